import LNATensor

extension Model {
    /// Decodes residual-stream rows into logits the way the model decodes its last layer: the final norm, the
    /// LM head, then the model's logit transform (Cohere's logit scale, Gemma 2's final softcap). `residual` is
    /// `[rows, hiddenSize]` row-major (a copy of `blocks.{l}.hook_resid_post` rows, say); the result is
    /// `[rows, vocabularySize]`. Applied to the last block's output it gives exactly the logits of `forward`:
    /// this is the logit lens.
    ///
    /// ```swift
    /// let cache = try model.runWithCache(TokenBatch(ids), sites: ["blocks.*.hook_resid_post"])
    /// let middle = cache[HookPoint(.residPost, layer: 9)]!.lastRow
    /// let logits = try model.unembed(middle)                  // vocabularySize floats
    /// ```
    public func unembed(_ residual: [Float]) throws -> [Float] {
        let d = config.hiddenSize, v = config.vocabularySize
        guard !residual.isEmpty, residual.count % d == 0 else {
            throw ModelError.invalidConfig("unembed", "expected rows of \(d) floats (hidden size), got \(residual.count) floats")
        }
        let rows = residual.count / d
        let (total, overflow) = rows.multipliedReportingOverflow(by: v)
        guard !overflow else {
            throw ModelError.invalidConfig("unembed", "\(rows) rows × \(v) logits overflow")
        }
        var normed = residual
        finalNorm.apply(&normed, dimension: d, norm: config.block.norm)
        var logits = [Float](repeating: 0, count: total)
        try lmHead.get().applyBySlices(normed, rows: rows, into: &logits)
        if !config.logits.isIdentity {
            logits.withUnsafeMutableBufferPointer { config.logits.apply($0.baseAddress!, count: $0.count) }
        }
        return logits
    }
}
