import Foundation
import COpenBLAS
import LNAHooks
import LNATensor

extension Model {
    /// Runs the decoder on a packed batch. With a `cache` (one sequence only) the tokens continue the cached
    /// positions and their keys/values are appended. Hooks fire once per layer per call at every active site.
    ///
    /// ```swift
    /// let r = try model.forward(TokenBatch([ids]), logits: .lastOfEachSequence)
    /// let next = r.logits.indices.max { r.logits[$0] < r.logits[$1] }!
    /// ```
    public func forward(_ batch: TokenBatch, hooks: HookSet? = nil, cache: KVCache? = nil,
                        phase: HookContext.Phase = .prompt, logits request: LogitsRequest = .lastOfEachSequence)
        throws -> ForwardResult
    {
        let c = config
        let tokens = batch.flatTokens
        let t = tokens.count
        guard t > 0 else { throw ModelError.emptyInput("no tokens to evaluate") }
        if let bad = tokens.first(where: { !(0..<c.vocabularySize).contains($0) }) {
            throw ModelError.tokenOutOfRange(bad, vocabularySize: c.vocabularySize)
        }
        var batch = batch
        if let cache {
            guard batch.sequences.count == 1 else {
                throw ModelError.invalidConfig("forward", "a KV cache holds one sequence; got \(batch.sequences.count)")
            }
            guard cache.count + t <= cache.capacity else {
                throw ModelError.contextOverflow(needed: cache.count + t, capacity: cache.capacity)
            }
            batch.startPositions = [cache.count]
        }
        let context = HookContext(phase: phase, positions: batch.positions, sequenceIndices: batch.sequenceIndices)
        var state = ForwardState(config: c, rows: t)
        embed(tokens, into: &state.x)
        try fire(hooks, .embed, nil, &state.x, c.hiddenSize, context)
        for l in 0..<c.layerCount {
            try block(l, &state, batch: batch, context: context, hooks: hooks, cache: cache)
        }
        cache?.advance(by: t)
        Kernels.rmsNorm(&state.x, rows: t, gain: finalNorm, epsilon: c.rmsNormEpsilon)
        try fire(hooks, .lnFinal, nil, &state.x, c.hiddenSize, context)
        return try computeLogits(state.x, batch: batch, request: request, hooks: hooks, context: context)
    }

    func embed(_ tokens: [Int], into x: inout [Float]) {
        let d = config.hiddenSize
        let scale = config.embeddingScale ?? 1
        for (r, token) in tokens.enumerated() {
            for i in 0..<d { x[r * d + i] = embedding[token * d + i] * scale }
        }
    }

    private func block(_ l: Int, _ s: inout ForwardState, batch: TokenBatch, context: HookContext,
                       hooks: HookSet?, cache: KVCache?) throws {
        let c = config, w = layers[l], t = s.rows
        try fire(hooks, .residPre, l, &s.x, c.hiddenSize, context)
        // Attention.
        s.h.withUnsafeMutableBufferPointer { h in h.baseAddress!.update(from: s.x, count: t * c.hiddenSize) }
        Kernels.rmsNorm(&s.h, rows: t, gain: w.attentionNorm, epsilon: c.rmsNormEpsilon)
        try fire(hooks, .ln1Normalized, l, &s.h, c.hiddenSize, context)
        w.query.apply(s.h, rows: t, into: &s.q)
        w.key.apply(s.h, rows: t, into: &s.k)
        w.value.apply(s.h, rows: t, into: &s.v)
        if let qn = w.queryNorm, let kn = w.keyNorm {
            Kernels.rmsNorm(&s.q, rows: t * c.headCount, gain: qn, epsilon: c.rmsNormEpsilon)
            Kernels.rmsNorm(&s.k, rows: t * c.kvHeadCount, gain: kn, epsilon: c.rmsNormEpsilon)
        }
        try fire(hooks, .attnQ, l, &s.q, c.queryWidth, context)
        try fire(hooks, .attnK, l, &s.k, c.kvWidth, context)
        try fire(hooks, .attnV, l, &s.v, c.kvWidth, context)
        let maxPosition = (context.positions.max() ?? 0) + 1
        let (cosines, sines) = rotary[l].tables(upTo: maxPosition)
        Kernels.rope(&s.q, rows: t, heads: c.headCount, headDim: c.headDim, positions: context.positions,
                     cos: cosines, sin: sines)
        Kernels.rope(&s.k, rows: t, heads: c.kvHeadCount, headDim: c.headDim, positions: context.positions,
                     cos: cosines, sin: sines)
        try attention(l, &s, batch: batch, context: context, hooks: hooks, cache: cache)
        try fire(hooks, .attnZ, l, &s.z, c.queryWidth, context)
        w.attentionOutput.apply(s.z, rows: t, into: &s.h)
        if let n = w.postAttentionNorm { Kernels.rmsNorm(&s.h, rows: t, gain: n, epsilon: c.rmsNormEpsilon) }
        try fire(hooks, .attnOut, l, &s.h, c.hiddenSize, context)
        Kernels.add(&s.x, s.h)
        try fire(hooks, .residMid, l, &s.x, c.hiddenSize, context)
        // MLP.
        s.h.withUnsafeMutableBufferPointer { h in h.baseAddress!.update(from: s.x, count: t * c.hiddenSize) }
        Kernels.rmsNorm(&s.h, rows: t, gain: w.mlpNorm, epsilon: c.rmsNormEpsilon)
        try fire(hooks, .ln2Normalized, l, &s.h, c.hiddenSize, context)
        w.gate.apply(s.h, rows: t, into: &s.gate)
        try fire(hooks, .mlpPre, l, &s.gate, c.intermediateSize, context)
        switch c.activation {
        case .silu: Kernels.silu(&s.gate)
        case .geluTanh: Kernels.geluTanh(&s.gate)
        }
        try fire(hooks, .mlpAct, l, &s.gate, c.intermediateSize, context)
        w.up.apply(s.h, rows: t, into: &s.up)
        try fire(hooks, .mlpPreLinear, l, &s.up, c.intermediateSize, context)
        Kernels.multiply(&s.up, s.gate)
        try fire(hooks, .mlpPost, l, &s.up, c.intermediateSize, context)
        w.down.apply(s.up, rows: t, into: &s.h)
        if let n = w.postMLPNorm { Kernels.rmsNorm(&s.h, rows: t, gain: n, epsilon: c.rmsNormEpsilon) }
        try fire(hooks, .mlpOut, l, &s.h, c.hiddenSize, context)
        Kernels.add(&s.x, s.h)
        try fire(hooks, .residPost, l, &s.x, c.hiddenSize, context)
    }

    /// Causal (block-diagonal for packed batches, windowed on local layers) grouped-query attention.
    private func attention(_ l: Int, _ s: inout ForwardState, batch: TokenBatch, context: HookContext,
                           hooks: HookSet?, cache: KVCache?) throws {
        let c = config
        if let cache { cache.append(layer: l, keys: s.k, values: s.v, rows: s.rows) }
        let window = c.window(layer: l)
        let observePattern = hooks?.isActive(.attnPattern, layer: l) ?? false
        for (sequence, rows) in batch.rowRanges.enumerated() {
            let firstPosition = batch.startPositions[sequence]
            let keyCount = cache.map { $0.count + rows.count } ?? rows.count
            let keys: [Float], values: [Float], keyOffset: Int
            if let cache {
                keys = cache.keys[l]; values = cache.values[l]; keyOffset = 0
            } else {
                keys = s.k; values = s.v; keyOffset = rows.lowerBound
            }
            try Kernels.attention(
                q: s.q, queryRows: rows, keys: keys, values: values, keyOffset: keyOffset, keyCount: keyCount,
                firstQueryPosition: firstPosition, config: c, window: window, output: &s.z,
                pattern: observePattern ? { head, probabilities in
                    var p = probabilities
                    let ctx = HookContext(phase: context.phase, positions: Array(context.positions[rows]),
                                          sequenceIndices: Array(context.sequenceIndices[rows]))
                    try p.withUnsafeMutableBufferPointer { buffer in
                        try hooks?.fire(HookTensor(point: HookPoint(.attnPattern, layer: l), values: buffer.baseAddress!,
                                                   rows: rows.count, columns: keyCount, head: head, context: ctx))
                    }
                } : nil)
        }
    }

    private func computeLogits(_ x: [Float], batch: TokenBatch, request: LogitsRequest, hooks: HookSet?,
                               context: HookContext) throws -> ForwardResult {
        let v = config.vocabularySize, d = config.hiddenSize
        switch request {
        case .none:
            return ForwardResult(logits: [], vocabularySize: v)
        case .lastOfEachSequence:
            let lastRows = batch.rowRanges.map { $0.upperBound - 1 }
            var selected = [Float](repeating: 0, count: lastRows.count * d)
            for (i, r) in lastRows.enumerated() { for j in 0..<d { selected[i * d + j] = x[r * d + j] } }
            var out = [Float](repeating: 0, count: lastRows.count * v)
            lmHead.apply(selected, rows: lastRows.count, into: &out)
            if let hooks, hooks.isActive(.logits) {
                let ctx = HookContext(phase: context.phase, positions: lastRows.map { context.positions[$0] },
                                      sequenceIndices: lastRows.map { context.sequenceIndices[$0] })
                try out.withUnsafeMutableBufferPointer { b in
                    try hooks.fire(HookTensor(point: HookPoint(.logits), values: b.baseAddress!, rows: lastRows.count,
                                              columns: v, context: ctx))
                }
            }
            return ForwardResult(logits: out, vocabularySize: v)
        case .all:
            var out = [Float](repeating: 0, count: batch.rowCount * v)
            try streamLogits(x, rows: batch.rowCount, chunkRows: 64, hooks: hooks, context: context) { chunk in
                out.withUnsafeMutableBufferPointer { b in
                    (b.baseAddress! + chunk.firstRow * v).update(from: chunk.values, count: chunk.rows * v)
                }
            }
            return ForwardResult(logits: out, vocabularySize: v)
        case let .stream(chunkRows, body):
            try streamLogits(x, rows: batch.rowCount, chunkRows: max(1, chunkRows), hooks: hooks, context: context,
                             body)
            return ForwardResult(logits: [], vocabularySize: v)
        }
    }

    private func streamLogits(_ x: [Float], rows: Int, chunkRows: Int, hooks: HookSet?, context: HookContext,
                              _ body: (LogitsChunk) throws -> Void) throws {
        let v = config.vocabularySize, d = config.hiddenSize
        var buffer = [Float](repeating: 0, count: min(chunkRows, rows) * v)
        try x.withUnsafeBufferPointer { xs in
            for first in stride(from: 0, to: rows, by: chunkRows) {
                let n = min(chunkRows, rows - first)
                try buffer.withUnsafeMutableBufferPointer { out in
                    lmHead.apply(xs.baseAddress! + first * d, rows: n, into: out.baseAddress!)
                    if let hooks, hooks.isActive(.logits) {
                        try hooks.fire(HookTensor(point: HookPoint(.logits), values: out.baseAddress!, rows: n,
                                                  columns: v, rowOffset: first, context: context))
                    }
                    try body(LogitsChunk(firstRow: first, rows: n, vocabularySize: v, values: out.baseAddress!))
                }
            }
        }
    }

    /// Fires the hooks of one site on a `[rows, columns]` buffer when any are attached (else costs one lookup).
    @inline(__always)
    func fire(_ hooks: HookSet?, _ site: HookSite, _ layer: Int?, _ buffer: inout [Float], _ columns: Int,
              _ context: HookContext) throws {
        guard let hooks, hooks.isActive(site, layer: layer) else { return }
        let rows = buffer.count / columns
        try buffer.withUnsafeMutableBufferPointer { b in
            try hooks.fire(HookTensor(point: HookPoint(site, layer: layer), values: b.baseAddress!, rows: rows,
                                      columns: columns, context: context))
        }
    }
}

/// Work buffers of one forward call, each `[rows, width]` row-major.
struct ForwardState {
    let rows: Int
    var x: [Float]      // residual stream [T, d]
    var h: [Float]      // normed input / block output [T, d]
    var q: [Float]      // [T, heads·headDim]
    var k: [Float]      // [T, kvHeads·headDim]
    var v: [Float]      // [T, kvHeads·headDim]
    var z: [Float]      // attention mix [T, heads·headDim]
    var gate: [Float]   // gate pre-activation, then act(gate) [T, f]
    var up: [Float]     // up projection, then act(gate)·up [T, f]

    init(config c: ModelConfig, rows t: Int) {
        rows = t
        x = [Float](repeating: 0, count: t * c.hiddenSize)
        h = x
        q = [Float](repeating: 0, count: t * c.queryWidth)
        z = q
        k = [Float](repeating: 0, count: t * c.kvWidth)
        v = k
        gate = [Float](repeating: 0, count: t * c.intermediateSize)
        up = gate
    }
}
