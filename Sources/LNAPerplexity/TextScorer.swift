import Foundation
import LNAHooks
import LNAModels
import LNATensor

/// Scores many tokenised texts under one set of hooks, packing several texts into each forward call
/// (`TokenBatch([[Int]])`, block-diagonal attention) and streaming the logits so the vocabulary-sized rows
/// never pile up. Per text it keeps what every aggregate needs (`TextScore`).
///
/// ```swift
/// let scorer = TextScorer(model: model, batchTokens: 512)
/// let scores = try scorer.score(texts: [[2, 651, 6037], [2, 9259, 603]], hooks: nil)
/// ```
public struct TextScorer {
    public let model: Model
    /// Upper bound of rows per forward call (a longer text is scored alone).
    public var batchTokens: Int
    /// Logit rows per streamed chunk.
    public var chunkRows: Int

    public init(model: Model, batchTokens: Int = 512, chunkRows: Int = 32) {
        self.model = model; self.batchTokens = max(1, batchTokens); self.chunkRows = max(1, chunkRows)
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
        // Per row: −log p(actual), and −log p(top-1) when the argmax differs (NaN otherwise).
        var actualNLL = [Double](repeating: .nan, count: batch.rowCount)
        var topNLL = [Double](repeating: .nan, count: batch.rowCount)
        let vocabulary = model.config.vocabularySize
        _ = try model.forward(batch, hooks: hooks, logits: .stream(chunkRows: chunkRows) { chunk in
            actualNLL.withUnsafeMutableBufferPointer { actual in
                topNLL.withUnsafeMutableBufferPointer { top in
                    // Rows are independent: the log-sum-exp over the vocabulary runs on the compute pool.
                    nonisolated(unsafe) let actualOut = actual.baseAddress!
                    nonisolated(unsafe) let topOut = top.baseAddress!
                    let first = chunk.firstRow
                    let values = chunk.values
                    let width = chunk.vocabularySize
                    nextToken.withUnsafeBufferPointer { next in
                        nonisolated(unsafe) let nextTokens = next.baseAddress!
                        parallelFor(count: chunk.rows) { r in
                            let row = first + r
                            let target = nextTokens[row]
                            guard target >= 0, target < vocabulary else { return }
                            let logits = values + r * width
                            let (lse, best) = LogSoftmax.logSumExpAndArgmax(UnsafeBufferPointer(start: logits, count: width))
                            actualOut[row] = lse - Double(logits[target])
                            if best != target { topOut[row] = lse - Double(logits[best]) }
                        }
                    }
                }
            }
        })
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
