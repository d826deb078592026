import LNAHooks
import LNATensor

extension Model {
    /// Scores every row of a packed batch against its given next token without materialising the logits:
    /// per row log Σ e^logit, the next token's logit (so `nll` = −log p(next)), and the argmax with its logit
    /// (`topNLL` = −log p(argmax)). `nextTokens[r]` is −1 for a row without a next token (its `nll` is NaN).
    ///
    /// The LM head is fused with the log-sum-exp (`PackedLinear.scoreRows`): slices of the vocabulary are
    /// computed for blocks of rows, transformed as the model says (Cohere's logit scale, Gemma 2's final softcap)
    /// and folded at once, so the head's weights are read once per call and the `T × V` logits never exist. When hooks are active at `hook_logits` (they may edit the logits) the logits
    /// are materialised in chunks of 32 rows, the hooks fire on them as in `forward`, and the edited rows are
    /// scored: hook semantics are those of `.stream`.
    ///
    /// ```swift
    /// let tokens = model.tokenizer.encode("The cat sat.")
    /// let rows = try model.scoreRows(TokenBatch(tokens), nextTokens: Array(tokens.dropFirst()) + [-1])
    /// let nllSum = rows.dropLast().map(\.nll).reduce(0, +)
    /// ```
    public func scoreRows(_ batch: TokenBatch, nextTokens: [Int], hooks: HookSet? = nil) throws -> [RowScore] {
        let v = config.vocabularySize
        guard nextTokens.count == batch.rowCount else {
            throw ModelError.invalidConfig("scoreRows", "\(nextTokens.count) next tokens for \(batch.rowCount) rows")
        }
        if let bad = nextTokens.first(where: { $0 < -1 || $0 >= v }) {
            throw ModelError.tokenOutOfRange(bad, vocabularySize: v)
        }
        let (x, batch, context) = try finalHiddenStates(batch, hooks: hooks, cache: nil, phase: .prompt)
        guard let hooks, hooks.isActive(.logits) else {
            return try x.withUnsafeBufferPointer { xs in
                try lmHead.get().scoreRows(xs.baseAddress!, rows: batch.rowCount, targets: nextTokens,
                                           transform: config.logits)
            }
        }
        var scores = [RowScore](repeating: RowScore(logSumExp: .nan, targetLogit: .nan, maximum: .nan, argmax: 0),
                                count: batch.rowCount)
        try streamLogits(x, rows: batch.rowCount, chunkRows: 32, hooks: hooks, context: context) { chunk in
            scores.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let scoresOut = out.baseAddress!
                nextTokens.withUnsafeBufferPointer { next in
                    nonisolated(unsafe) let targets = next.baseAddress!
                    // Rows are independent: the log-sum-exp over the vocabulary runs on the compute pool.
                    parallelFor(count: chunk.rows) { r in
                        let row = chunk.firstRow + r
                        let target = targets[row]
                        scoresOut[row] = RowScore(logits: chunk.values + r * v, count: v,
                                                  target: target >= 0 ? target : nil)
                    }
                }
            }
        }
        return scores
    }
}
