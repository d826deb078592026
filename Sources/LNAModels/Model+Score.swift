import Foundation
import LNAHooks

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
    /// Scores every token after the first given the ones before it, streaming the logits in chunks so a
    /// 262k vocabulary never needs T·V floats at once. Log-softmax is computed in Double.
    ///
    /// ```swift
    /// let s = try model.score(tokens: model.tokenizer.encode("The cat sat."))
    /// print(s.perplexity)
    /// ```
    public func score(tokens: [Int], hooks: HookSet? = nil) throws -> ScoreResult {
        guard !tokens.isEmpty else { throw ModelError.emptyInput("no tokens to score") }
        var nll = [Double](repeating: 0, count: tokens.count - 1)
        var argmax = [Int](repeating: 0, count: tokens.count)
        _ = try forward(TokenBatch(tokens), hooks: hooks, logits: .stream(chunkRows: 32) { chunk in
            for r in 0..<chunk.rows {
                let position = chunk.firstRow + r
                let row = chunk.row(r)
                let (lse, best) = LogSoftmax.logSumExpAndArgmax(row)
                argmax[position] = best
                if position + 1 < tokens.count {
                    nll[position] = lse - Double(row[tokens[position + 1]])
                }
            }
        })
        return ScoreResult(nll: nll, argmax: argmax)
    }
}

/// Log-softmax helpers in Double.
public enum LogSoftmax {
    /// logsumexp of a row, and the index of its largest value (ties to the lower index).
    public static func logSumExpAndArgmax(_ row: UnsafeBufferPointer<Float>) -> (Double, Int) {
        var best = 0
        var top = row[0]
        for i in 1..<row.count where row[i] > top { top = row[i]; best = i }
        var sum: Double = 0
        let m = Double(top)
        for v in row { sum += exp(Double(v) - m) }
        return (m + log(sum), best)
    }
}
