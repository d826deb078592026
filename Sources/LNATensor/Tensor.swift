/// A dense float32 tensor in row-major order (the last dimension varies fastest), as in NumPy and PyTorch.
///
/// Shapes are written outermost first: a weight matrix of a linear layer `y = W x` with `out` outputs and
/// `in` inputs has shape `[out, in]`.
///
/// ```swift
/// var t = Tensor(shape: [2, 3], repeating: 0)
/// t[1, 2] = 5
/// ```
public struct Tensor: Sendable, Equatable {
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// The values, row-major; `storage.count` is the product of `shape`.
    public var storage: [Float]

    /// Wraps existing values; throws `TensorError.sizeMismatch` when their count is not the product of the shape
    /// (or a dimension is negative).
    ///
    /// ```swift
    /// let x = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
    /// ```
    public init(shape: [Int], storage: [Float]) throws(TensorError) {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == storage.count else {
            let expected = shape.map(String.init).joined(separator: " × ")
            throw .sizeMismatch("Tensor: storage has \(storage.count) values, shape \(shape) needs \(expected) = "
                                + "\(shape.reduce(1, *)); pass as many values as the shape holds")
        }
        self.shape = shape
        self.storage = storage
    }

    /// A tensor filled with one value.
    public init(shape: [Int], repeating value: Float = 0) {
        self.shape = shape
        self.storage = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// Number of values.
    public var count: Int { storage.count }
    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Element of a rank-2 tensor.
    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * shape[1] + column] }
        set { storage[row * shape[1] + column] = newValue }
    }
}
