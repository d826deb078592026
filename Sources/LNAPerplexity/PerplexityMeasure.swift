/// How per-text scores are aggregated into one perplexity per cell.
///
/// ```swift
/// let m = try PerplexityMeasure(name: "njunlp")   // .njunlp
/// ```
public enum PerplexityMeasure: String, Codable, Sendable, CaseIterable {
    /// PPL = exp(Σ nll / Σ tokens) over all texts: every token counts once (the standard corpus perplexity).
    case tokenWeighted = "token-weighted"
    /// The NJUNLP original: exp(mean over texts of the per-text NLL) where the per-text NLL also averages in the
    /// top-1 log-probability at every position whose argmax is not the actual token. That extra term is never
    /// larger than the actual token's NLL, so this value is biased downward (METHODS §1.11, quirk 4).
    case njunlp

    public init(name: String) throws {
        switch name.lowercased() {
        case "token-weighted", "tokens", "standard", "lna": self = .tokenWeighted
        case "njunlp": self = .njunlp
        default: throw PerplexityError.invalidInput("measure '\(name)': expected token-weighted or njunlp")
        }
    }
}
