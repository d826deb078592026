import Foundation

/// Errors of masked-perplexity grids: one line naming the file or key, what was expected, and what to do.
public enum PerplexityError: Error, CustomStringConvertible, Equatable {
    /// A setting or input that cannot be used (e.g. an unknown deactivation class).
    case invalidInput(String)
    /// Masks and model (or texts) do not fit together.
    case shapeMismatch(String)
    /// A checkpoint or results file that cannot be read or was made with other settings.
    case checkpoint(String)
    /// Reading or writing a file failed.
    case io(String)

    public var description: String {
        switch self {
        case .invalidInput(let m): return "invalid input: \(m)"
        case .shapeMismatch(let m): return "shape mismatch: \(m)"
        case .checkpoint(let m): return "checkpoint: \(m)"
        case .io(let m): return "i/o: \(m)"
        }
    }
}
