/// Errors of the tensor kernels: always a wrong size or shape handed in by the caller.
///
/// ```swift
/// do { _ = try PackedLinear(weight: w, outputs: 8, inputs: 3) }
/// catch let error as TensorError { print(error) }  // "PackedLinear: weight has 20 values, expected 8 × 3 = 24"
/// ```
public enum TensorError: Error, CustomStringConvertible, Equatable {
    /// A buffer has the wrong number of values; the message names the buffer and the expected count.
    case sizeMismatch(String)
    /// A dimension or parameter is out of range (e.g. query heads not a multiple of key/value heads).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .sizeMismatch(let message), .invalidArgument(let message): return message
        }
    }
}
