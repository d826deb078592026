import Foundation
import LNAHooks
import LNAModels
import LNATensor

/// Scores many tokenised texts under one set of hooks, packing several texts into each forward call
/// (`TokenBatch([[Int]])`, block-diagonal attention) and scoring the rows with `Model.scoreRows`, whose LM head
/// is fused with the log-softmax so the vocabulary-sized rows never exist. Per text it keeps what every
/// aggregate needs (`TextScore`).
///
/// ```swift
/// let scorer = TextScorer(model: model, batchTokens: 512)
/// let scores = try scorer.score(texts: [[2, 651, 6037], [2, 9259, 603]], hooks: nil)
/// ```
public struct TextScorer {
    public let model: Model
    /// Upper bound of rows per forward call (a longer text is scored alone).
    public var batchTokens: Int

    public init(model: Model, batchTokens: Int = 512) {
        self.model = model; self.batchTokens = max(1, batchTokens)
    }

    /// Groups consecutive texts into batches of at most `batchTokens` rows (order kept).
    public static func batches(lengths: [Int], batchTokens: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0, rows = 0
        for (i, n) in lengths.enumerated() {
            if i > start && rows + n > batchTokens { out.append(start..<i); start = i; rows = 0 }
            rows += n
        }
        if start < lengths.count { out.append(start..<lengths.count) }
        return out
    }

    /// Scores every text (texts with fewer than two tokens get a zero-token score).
    public func score(texts: [[Int]], hooks: HookSet?) throws -> [TextScore] {
        var out = [TextScore](repeating: TextScore(tokens: 0, nllSum: 0, njunlpMeanNLL: .nan), count: texts.count)
        let usable = texts.indices.filter { texts[$0].count >= 2 }
        for range in TextScorer.batches(lengths: usable.map { texts[$0].count }, batchTokens: batchTokens) {
            let indices = Array(usable[range])
            let scores = try scoreBatch(indices.map { texts[$0] }, hooks: hooks)
            for (i, s) in zip(indices, scores) { out[i] = s }
        }
        return out
    }

    /// One forward call over a packed batch.
    func scoreBatch(_ sequences: [[Int]], hooks: HookSet?) throws -> [TextScore] {
        let batch = TokenBatch(sequences)
        // For every packed row: its next token within the same sequence (−1 at a sequence's last row).
        var nextToken = [Int](); nextToken.reserveCapacity(batch.rowCount)
        var sequenceOfRow = [Int](); sequenceOfRow.reserveCapacity(batch.rowCount)
        for (s, tokens) in sequences.enumerated() {
            for p in 0..<tokens.count { nextToken.append(p + 1 < tokens.count ? tokens[p + 1] : -1); sequenceOfRow.append(s) }
        }
        // Per row: −log p(actual), and −log p(top-1) when the argmax differs (NaN otherwise). The LM head is
        // fused with the log-softmax: the batch's logits never exist in memory.
        let rows = try model.scoreRows(batch, nextTokens: nextToken, hooks: hooks)
        let actualNLL = rows.map(\.nll)
        let topNLL = zip(rows, nextToken).map { row, next in row.argmax != next ? row.topNLL : .nan }
        var scores = [TextScore](repeating: TextScore(tokens: 0, nllSum: 0, njunlpMeanNLL: 0), count: sequences.count)
        var collected = [Int](repeating: 0, count: sequences.count)
        var collectedSum = [Double](repeating: 0, count: sequences.count)
        for row in 0..<batch.rowCount where nextToken[row] >= 0 {
            let s = sequenceOfRow[row]
            scores[s].tokens += 1
            scores[s].nllSum += actualNLL[row]
            collected[s] += 1; collectedSum[s] += actualNLL[row]
            if !topNLL[row].isNaN { collected[s] += 1; collectedSum[s] += topNLL[row] }
        }
        for s in scores.indices { scores[s].njunlpMeanNLL = collected[s] == 0 ? .nan : collectedSum[s] / Double(collected[s]) }
        return scores
    }
}
