import Foundation
import LNAHooks
import LNATensor

/// Per-token negative log-likelihoods of a text.
public struct ScoreResult: Codable, Sendable {
    /// nll[i−1] = −log p(token[i] | tokens[..<i]) for i = 1..T−1, natural log.
    public var nll: [Double]
    public var nllSum: Double { nll.reduce(0, +) }
    public var scoredCount: Int { nll.count }
    /// exp(mean NLL).
    public var perplexity: Double { nll.isEmpty ? .nan : exp(nllSum / Double(nll.count)) }
    /// argmax of the logits at every position 0..T−1 (the predicted next token).
    public var argmax: [Int]
}

extension Model {
    /// Scores every token after the first given the ones before it. The LM head is fused with the log-softmax
    /// (`scoreRows`), so a 262k vocabulary never needs T·V floats; log-sum-exps are accumulated in Double.
    ///
    /// ```swift
    /// let s = try model.score(tokens: model.tokenizer.encode("The cat sat."))
    /// print(s.perplexity)
    /// ```
    public func score(tokens: [Int], hooks: HookSet? = nil) throws -> ScoreResult {
        guard !tokens.isEmpty else { throw ModelError.emptyInput("no tokens to score") }
        let rows = try scoreRows(TokenBatch(tokens), nextTokens: Array(tokens.dropFirst()) + [-1], hooks: hooks)
        return ScoreResult(nll: rows.dropLast().map(\.nll), argmax: rows.map(\.argmax))
    }
}

/// Log-softmax helpers in Double.
public enum LogSoftmax {
    /// logsumexp of a row, and the index of its largest value (the first on ties; NaN never wins).
    ///
    /// ```swift
    /// let (lse, best) = LogSoftmax.logSumExpAndArgmax(chunk.row(0))
    /// ```
    public static func logSumExpAndArgmax(_ row: UnsafeBufferPointer<Float>) -> (Double, Int) {
        guard let base = row.baseAddress else { return (-.infinity, 0) }
        let (lse, best) = LNATensor.logSumExpAndArgmax(base, count: row.count)
        return (lse, best)
    }
}
