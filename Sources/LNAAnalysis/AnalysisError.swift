/// Why an analysis step refused its input. Messages are one line: the file or key, what was found, what was
/// expected and, where useful, what to do.
///
/// ```swift
/// do { _ = try ActivationProbabilities(statistics: stats) } catch let e as AnalysisError { print(e) }
/// ```
public enum AnalysisError: Error, CustomStringConvertible, Equatable {
    /// Shapes of two inputs that must agree do not.
    case shapeMismatch(String)
    /// A value is out of range, NaN or otherwise unusable.
    case invalidValue(String)
    /// A required input (file, language, prefix counts, tensor) is missing.
    case missing(String)
    /// A parameter (rate, bar, λ range...) is out of its valid range.
    case invalidParameter(String)
    /// Metadata of inputs that must describe the same run disagree.
    case metadataMismatch(String)
    /// A file could not be read or written.
    case io(String)
    /// A file's content is not what the format expects.
    case format(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let m): return "shape mismatch: \(m)"
        case .invalidValue(let m): return "invalid value: \(m)"
        case .missing(let m): return "missing input: \(m)"
        case .invalidParameter(let m): return "invalid parameter: \(m)"
        case .metadataMismatch(let m): return "metadata mismatch: \(m)"
        case .io(let m): return m
        case .format(let m): return "bad file: \(m)"
        }
    }
}
