/// The score of one text under one condition: what every aggregate (token-weighted, macro, NJUNLP-compatible)
/// needs, so a checkpoint of these numbers reproduces every reported value exactly.
///
/// ```swift
/// let s = TextScore(tokens: 12, nllSum: 30.5, njunlpMeanNLL: 2.41)
/// s.meanNLL   // 2.5417
/// ```
public struct TextScore: Codable, Sendable, Equatable {
    /// Scored tokens (tokens 1..T−1 of the text).
    public var tokens: Int
    /// Σ −log p(actual token), natural log.
    public var nllSum: Double
    /// The original NJUNLP per-text value: −mean of every log-probability vLLM's `prompt_logprobs=1` returns,
    /// i.e. the actual token's and, where the argmax differs from it, also the top-1 token's (METHODS §1.11).
    public var njunlpMeanNLL: Double

    public init(tokens: Int, nllSum: Double, njunlpMeanNLL: Double) {
        self.tokens = tokens; self.nllSum = nllSum; self.njunlpMeanNLL = njunlpMeanNLL
    }

    /// Mean NLL of the actual tokens of this text.
    public var meanNLL: Double { tokens == 0 ? .nan : nllSum / Double(tokens) }

    enum CodingKeys: String, CodingKey { case tokens = "n", nllSum = "nll", njunlpMeanNLL = "nj" }
}
