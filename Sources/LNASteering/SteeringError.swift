/// Why a steering plan or experiment refused its input. Messages are one line naming the file, language or
/// option, what was found and what was expected.
///
/// ```swift
/// do { _ = try SteeringPlan.build(masks: masks, means: means, request: request) }
/// catch let error as SteeringError { print(error) }   // "unknown language 'xx' ..."
/// ```
public enum SteeringError: Error, CustomStringConvertible, Equatable {
    /// A language is in neither the masks nor the statistics.
    case unknownLanguage(String)
    /// Masks and statistics do not describe the same model shape.
    case shapeMismatch(String)
    /// A statistics file has no `sum_act`, so mean activations cannot be formed.
    case missingMeans(String)
    /// An option value could not be parsed or is out of range.
    case invalidOption(String)
    /// A file could not be read, parsed or written.
    case io(String)

    public var description: String {
        switch self {
        case let .unknownLanguage(m): return "unknown language: \(m)"
        case let .shapeMismatch(m): return "shape mismatch: \(m)"
        case let .missingMeans(m): return "missing mean activations: \(m)"
        case let .invalidOption(m): return "invalid option: \(m)"
        case let .io(m): return m
        }
    }
}
