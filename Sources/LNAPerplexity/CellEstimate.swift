import Foundation

/// Mean NLL, perplexity and standard errors of one grid cell, computed from its per-text scores.
///
/// The standard error treats texts as the sampled units (tokens of one text are not independent):
/// for the token-weighted mean R = Σsᵢ / Σnᵢ (sᵢ = NLL sum, nᵢ = tokens of text i) the delta method gives
/// Var(R) ≈ m / (m − 1) · Σ (sᵢ − R·nᵢ)² / (Σnᵢ)², m texts. For the NJUNLP macro mean it is the usual
/// sd / √m of the per-text values. SE(PPL) = PPL · SE(NLL) (delta method for exp).
///
/// ```swift
/// let cell = CellEstimate(scores: scores, measure: .tokenWeighted)
/// print(cell.perplexity, cell.perplexityStandardError)
/// ```
public struct CellEstimate: Codable, Sendable, Equatable {
    public var texts: Int
    public var tokens: Int
    /// Mean NLL per token (token-weighted) or per text (NJUNLP macro), natural log.
    public var nll: Double
    public var nllStandardError: Double
    public var perplexity: Double
    public var perplexityStandardError: Double

    public init(scores: [TextScore], measure: PerplexityMeasure) {
        texts = scores.count
        tokens = scores.reduce(0) { $0 + $1.tokens }
        switch measure {
        case .tokenWeighted:
            let totalNLL = scores.reduce(0.0) { $0 + $1.nllSum }
            nll = tokens == 0 ? .nan : totalNLL / Double(tokens)
            nllStandardError = CellEstimate.ratioStandardError(numerators: scores.map(\.nllSum),
                                                               denominators: scores.map { Double($0.tokens) })
        case .njunlp:
            let values = scores.filter { $0.tokens > 0 }.map(\.njunlpMeanNLL)
            nll = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
            nllStandardError = CellEstimate.meanStandardError(values)
        }
        perplexity = exp(nll)
        perplexityStandardError = perplexity * nllStandardError
    }

    /// Delta-method standard error of Σaᵢ / Σbᵢ with texts as units (NaN for fewer than two texts).
    public static func ratioStandardError(numerators a: [Double], denominators b: [Double]) -> Double {
        let m = a.count
        let totalB = b.reduce(0, +)
        guard m >= 2, totalB > 0 else { return .nan }
        let ratio = a.reduce(0, +) / totalB
        var squares = 0.0
        for i in 0..<m { let r = a[i] - ratio * b[i]; squares += r * r }
        return (Double(m) / Double(m - 1) * squares).squareRoot() / totalB
    }

    /// sd / √m of a sample (NaN for fewer than two values).
    public static func meanStandardError(_ x: [Double]) -> Double {
        guard x.count >= 2 else { return .nan }
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
        return (variance / Double(x.count)).squareRoot()
    }

    /// Paired standard error of the change in mean NLL between two conditions on the same texts: the texts'
    /// differences are what varies, so this is much smaller than combining the two cells' errors.
    public static func pairedDeltaStandardError(baseline: [TextScore], treated: [TextScore],
                                                measure: PerplexityMeasure) -> Double {
        guard baseline.count == treated.count else { return .nan }
        switch measure {
        case .tokenWeighted:
            return ratioStandardError(numerators: zip(treated, baseline).map { $0.nllSum - $1.nllSum },
                                      denominators: baseline.map { Double($0.tokens) })
        case .njunlp:
            return meanStandardError(zip(treated, baseline).filter { $1.tokens > 0 }.map { $0.njunlpMeanNLL - $1.njunlpMeanNLL })
        }
    }
}
