import Foundation
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
        let (x, batch, context) = try finalHiddenStates(batch, hooks: hooks, cache: cache, phase: phase)
        return try computeLogits(x, batch: batch, request: request, hooks: hooks, context: context)
    }

    /// The decoder up to the final norm (its hooks fired): `[T, hidden]` rows, the batch with its start
    /// positions set from the cache, and the hook context. `forward` and `scoreRows` apply the LM head to it.
    func finalHiddenStates(_ batch: TokenBatch, hooks: HookSet?, cache: KVCache?, phase: HookContext.Phase)
        throws -> (x: [Float], batch: TokenBatch, context: HookContext)
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
        if let limit = c.ropeExactLength, let last = batch.positions.max(), last >= limit {
            throw ModelError.invalidConfig("forward", "position \(last) is beyond the \(limit) positions this model's RoPE scaling runs exactly (longrope original_max_position_embeddings)")
        }
        if !positionTable.isEmpty, let last = batch.positions.max(), last >= c.contextLength {
            throw ModelError.contextOverflow(needed: last + 1, capacity: c.contextLength)
        }
        let context = HookContext(phase: phase, positions: batch.positions, sequenceIndices: batch.sequenceIndices)
        var state = ForwardState(config: c, rows: t)
        try embed(tokens, into: &state.x)
        try fire(hooks, .embed, nil, &state.x, c.hiddenSize, context)
        addAbsolutePositions(&state.x, positions: context.positions)
        embeddingNorm?.apply(&state.x, dimension: c.hiddenSize, norm: c.block.norm)
        for l in 0..<c.layerCount {
            try block(l, &state, batch: batch, context: context, hooks: hooks, cache: cache)
        }
        cache?.advance(by: t)
        finalNorm.apply(&state.x, dimension: c.hiddenSize, norm: c.block.norm)
        try fire(hooks, .lnFinal, nil, &state.x, c.hiddenSize, context)
        return (state.x, batch, context)
    }

    func embed(_ tokens: [Int], into x: inout [Float]) throws {
        let d = config.hiddenSize
        try x.withUnsafeMutableBufferPointer { xs in
            for (r, token) in tokens.enumerated() { try embedding.copy(token: token, into: xs.baseAddress! + r * d) }
            if let scale = config.embeddingScale { scaleInPlace(xs.baseAddress!, by: scale, count: xs.count) }
        }
    }

    /// One block as its recipe says: each sublayer reads `h` (a normed copy of the residual, or the residual
    /// itself in post-norm blocks; the parallel block's MLP reads the attention's input) and leaves what it adds
    /// to the residual in `o`.
    private func block(_ l: Int, _ s: inout ForwardState, batch: TokenBatch, context: HookContext,
                       hooks: HookSet?, cache: KVCache?) throws {
        let c = config, recipe = c.block, w = try layers.layer(l), d = c.hiddenSize
        try fire(hooks, .residPre, l, &s.x, d, context)
        // Attention.
        s.copyResidualToInput()
        w.attentionNorm?.apply(&s.h, dimension: d, norm: recipe.norm)
        try fire(hooks, .ln1Normalized, l, &s.h, d, context)
        try attentionSublayer(l, w, &s, batch: batch, context: context, hooks: hooks, cache: cache)
        w.postAttentionNorm?.apply(&s.o, dimension: d, norm: recipe.norm)
        try fire(hooks, .attnOut, l, &s.o, d, context)
        Ops.add(&s.x, s.o)
        try fire(hooks, .residMid, l, &s.x, d, context)
        // MLP.
        if recipe.residual != .parallel {
            s.copyResidualToInput()
            w.mlpNorm?.apply(&s.h, dimension: d, norm: recipe.norm)
        }
        try fire(hooks, .ln2Normalized, l, &s.h, d, context)
        try mlpSublayer(l, w, &s, context: context, hooks: hooks)
        w.postMLPNorm?.apply(&s.o, dimension: d, norm: recipe.norm)
        try fire(hooks, .mlpOut, l, &s.o, d, context)
        Ops.add(&s.x, s.o)
        try fire(hooks, .residPost, l, &s.x, d, context)
    }

    /// q, k, v from `h` (+ biases, q/k norms), positions, attention, o_proj (+ bias) into `o`.
    private func attentionSublayer(_ l: Int, _ w: FastLayer, _ s: inout ForwardState, batch: TokenBatch,
                                   context: HookContext, hooks: HookSet?, cache: KVCache?) throws {
        let c = config, t = s.rows
        // One pass over the normed input for q, k and v (x is packed once for all three).
        try s.q.withUnsafeMutableBufferPointer { q in
            try s.k.withUnsafeMutableBufferPointer { k in
                try s.v.withUnsafeMutableBufferPointer { v in
                    try Projection.apply([w.query, w.key, w.value], to: s.h, rows: t,
                                           into: [q.baseAddress!, k.baseAddress!, v.baseAddress!])
                }
            }
        }
        w.queryNorm?.apply(&s.q, dimension: NormWeights.queryKeyDimension(c, heads: c.headCount), norm: c.block.norm)
        w.keyNorm?.apply(&s.k, dimension: NormWeights.queryKeyDimension(c, heads: c.kvHeadCount), norm: c.block.norm)
        try fire(hooks, .attnQ, l, &s.q, c.queryWidth, context)
        try fire(hooks, .attnK, l, &s.k, c.kvWidth, context)
        try fire(hooks, .attnV, l, &s.v, c.kvWidth, context)
        switch c.block.positions {
        case .rope:
            s.q.withUnsafeMutableBufferPointer { rotary[l].apply($0.baseAddress!, tokens: t, heads: c.headCount, positions: context.positions) }
            s.k.withUnsafeMutableBufferPointer { rotary[l].apply($0.baseAddress!, tokens: t, heads: c.kvHeadCount, positions: context.positions) }
        case .alibi, .learned, .sinusoidal:
            break  // ALiBi acts on the scores (`attention`), absolute positions on the embedding.
        }
        try attention(l, &s, batch: batch, context: context, hooks: hooks, cache: cache)
        try fire(hooks, .attnZ, l, &s.z, c.queryWidth, context)
        w.attentionOutput.apply(s.z, rows: t, into: &s.o)
    }

    /// The MLP from `h` into `o`, as the recipe says: gated, plain, or a mixture of experts (whose dense layers
    /// and shared expert are gated MLPs).
    private func mlpSublayer(_ l: Int, _ w: FastLayer, _ s: inout ForwardState, context: HookContext,
                             hooks: HookSet?) throws {
        switch config.block.mlp {
        case let .gated(activation):
            try gatedMLP(l, w, activation, &s, context: context, hooks: hooks)
        case let .plain(activation, _):
            try plainMLP(l, w, activation, &s, context: context, hooks: hooks)
        case let .experts(experts):
            if let layer = w.experts {
                try expertSublayer(l, w, layer, experts, &s, context: context, hooks: hooks)
            } else {
                try gatedMLP(l, w, experts.activation, &s, context: context, hooks: hooks)
            }
        }
    }

    /// Gated: act(gate(h)) · up(h), then down; `act(gate)` is the neuron site.
    func gatedMLP(_ l: Int, _ w: FastLayer, _ activation: BlockRecipe.Activation, _ s: inout ForwardState,
                  context: HookContext, hooks: HookSet?) throws {
        let t = s.rows, f = config.intermediateSize
        guard let gate = w.gate, let up = w.up, let down = w.down else {
            throw ModelError.invalidConfig("forward", "layer \(l) has no gated MLP weights")
        }
        // gate and up read the same input: one pass. up does not depend on the gate, so computing it before
        // the gate hooks fire changes nothing they could observe or edit.
        try s.gate.withUnsafeMutableBufferPointer { g in
            try s.up.withUnsafeMutableBufferPointer { u in
                try Projection.apply([gate, up], to: s.h, rows: t, into: [g.baseAddress!, u.baseAddress!])
            }
        }
        try fire(hooks, .mlpPre, l, &s.gate, f, context)
        Self.activate(&s.gate, activation)
        try fire(hooks, .mlpAct, l, &s.gate, f, context)
        try fire(hooks, .mlpPreLinear, l, &s.up, f, context)
        Ops.multiply(&s.up, s.gate)
        try fire(hooks, .mlpPost, l, &s.up, f, context)
        down.apply(s.up, rows: t, into: &s.o)
    }

    /// Plain: act(up(h) + b), then down (+ b); `act(up)` is the neuron site (and the input of down, so
    /// `mlp.hook_post` sees the same tensor after the `hook_act` edits; there is no `hook_pre_linear`).
    private func plainMLP(_ l: Int, _ w: FastLayer, _ activation: BlockRecipe.Activation, _ s: inout ForwardState,
                          context: HookContext, hooks: HookSet?) throws {
        let t = s.rows, f = config.intermediateSize
        guard let up = w.up, let down = w.down else {
            throw ModelError.invalidConfig("forward", "layer \(l) has no MLP weights")
        }
        up.apply(s.h, rows: t, into: &s.gate)
        try fire(hooks, .mlpPre, l, &s.gate, f, context)
        Self.activate(&s.gate, activation)
        try fire(hooks, .mlpAct, l, &s.gate, f, context)
        try fire(hooks, .mlpPost, l, &s.gate, f, context)
        down.apply(s.gate, rows: t, into: &s.o)
    }

    /// The activation in place.
    static func activate(_ x: inout [Float], _ activation: BlockRecipe.Activation) {
        x.withUnsafeMutableBufferPointer { b in
            switch activation {
            case .silu: silu(b.baseAddress!, count: b.count)
            case .geluTanh: geluTanh(b.baseAddress!, count: b.count)
            case .gelu: geluErf(b.baseAddress!, count: b.count)
            case .relu: relu(b.baseAddress!, count: b.count)
            }
        }
    }

    /// Causal (block-diagonal for packed batches, windowed on local layers) grouped-query attention. With a
    /// cache the keys are every cached position plus the new ones.
    private func attention(_ l: Int, _ s: inout ForwardState, batch: TokenBatch, context: HookContext,
                           hooks: HookSet?, cache: KVCache?) throws {
        let c = config, t = s.rows
        var patternError: Error?
        let observer: AttentionPatternObserver? = (hooks?.isActive(.attnPattern, layer: l) ?? false) ? { head, pattern in
            let copy = UnsafeMutableBufferPointer<Float>.allocate(capacity: pattern.count)
            defer { copy.deallocate() }
            _ = copy.initialize(from: pattern)
            do {
                try hooks?.fire(HookTensor(point: HookPoint(.attnPattern, layer: l), values: copy.baseAddress!, rows: t,
                                           columns: pattern.count / max(t, 1), head: head, context: context))
            } catch { patternError = patternError ?? error }
        } : nil
        if c.block.positions == .alibi {
            try alibiAttention(l, &s, batch: batch, context: context, cache: cache, observer: observer)
        } else if let cache {
            cache.append(layer: l, keys: s.k, values: s.v, rows: t)
            let keyCount = cache.count + t
            try cache.keys[l].withUnsafeBufferPointer { k in
                try cache.values[l].withUnsafeBufferPointer { v in
                    try s.z.withUnsafeMutableBufferPointer { z in
                        try causalAttention(
                            q: s.q, k: k.baseAddress!, v: v.baseAddress!, queries: t, keys: keyCount,
                            queryHeads: c.headCount, keyValueHeads: c.kvHeadCount, headDimension: c.headDim,
                            queryPositions: context.positions, keyPositions: Array(0..<keyCount),
                            scale: c.block.attention.scale, window: c.window(layer: l),
                            softcap: c.block.attention.logitSoftcap, output: z.baseAddress!, observer: observer)
                    }
                }
            }
        } else {
            let single = batch.sequences.count == 1
            try s.z.withUnsafeMutableBufferPointer { z in
                try causalAttention(
                    q: s.q, k: s.k, v: s.v, queries: t, keys: t,
                    queryHeads: c.headCount, keyValueHeads: c.kvHeadCount, headDimension: c.headDim,
                    queryPositions: context.positions, keyPositions: context.positions,
                    querySequenceIds: single ? nil : context.sequenceIndices,
                    keySequenceIds: single ? nil : context.sequenceIndices,
                    scale: c.block.attention.scale, window: c.window(layer: l),
                    softcap: c.block.attention.logitSoftcap, output: z.baseAddress!, observer: observer)
            }
        }
        if let patternError { throw patternError }
    }

    /// `attention` with ALiBi's per-head biases (`ALiBi.attention`), with or without a cache.
    private func alibiAttention(_ l: Int, _ s: inout ForwardState, batch: TokenBatch, context: HookContext,
                                cache: KVCache?, observer: AttentionPatternObserver?) throws {
        let c = config, t = s.rows
        let single = batch.sequences.count == 1
        func run(_ k: UnsafePointer<Float>, _ v: UnsafePointer<Float>, keys: Int, keyPositions: [Int],
                 _ z: UnsafeMutablePointer<Float>) {
            ALiBi.attention(q: s.q, k: k, v: v, queries: t, keys: keys, queryHeads: c.headCount,
                            keyValueHeads: c.kvHeadCount, headDimension: c.headDim, queryPositions: context.positions,
                            keyPositions: keyPositions,
                            querySequenceIds: cache == nil && !single ? context.sequenceIndices : nil,
                            keySequenceIds: cache == nil && !single ? context.sequenceIndices : nil,
                            slopes: alibiSlopes, scale: c.block.attention.scale, output: z, observer: observer)
        }
        var z = s.z
        if let cache {
            cache.append(layer: l, keys: s.k, values: s.v, rows: t)
            let keyCount = cache.count + t
            cache.keys[l].withUnsafeBufferPointer { k in
                cache.values[l].withUnsafeBufferPointer { v in
                    z.withUnsafeMutableBufferPointer { run(k.baseAddress!, v.baseAddress!, keys: keyCount,
                                                           keyPositions: Array(0..<keyCount), $0.baseAddress!) }
                }
            }
        } else {
            s.k.withUnsafeBufferPointer { k in
                s.v.withUnsafeBufferPointer { v in
                    z.withUnsafeMutableBufferPointer { run(k.baseAddress!, v.baseAddress!, keys: t,
                                                           keyPositions: context.positions, $0.baseAddress!) }
                }
            }
        }
        s.z = z
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
            try lmHead.get().applyBySlices(selected, rows: lastRows.count, into: &out)
            if !config.logits.isIdentity { out.withUnsafeMutableBufferPointer { config.logits.apply($0.baseAddress!, count: $0.count) } }
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

    func streamLogits(_ x: [Float], rows: Int, chunkRows: Int, hooks: HookSet?, context: HookContext,
                              _ body: (LogitsChunk) throws -> Void) throws {
        let v = config.vocabularySize, d = config.hiddenSize
        var buffer = [Float](repeating: 0, count: min(chunkRows, rows) * v)
        try x.withUnsafeBufferPointer { xs in
            for first in stride(from: 0, to: rows, by: chunkRows) {
                let n = min(chunkRows, rows - first)
                try buffer.withUnsafeMutableBufferPointer { out in
                    // Slice by slice through the vocabulary: the logits are accumulated in cache, not in `out`.
                    try lmHead.get().applyBySlices(xs.baseAddress! + first * d, rows: n, into: out.baseAddress!)
                    if !config.logits.isIdentity { config.logits.apply(out.baseAddress!, count: n * v) }
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
    var h: [Float]      // sublayer input (normed residual) [T, d]
    var o: [Float]      // sublayer output, what is added to the residual [T, d]
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
        o = x
        q = [Float](repeating: 0, count: t * c.queryWidth)
        z = q
        k = [Float](repeating: 0, count: t * c.kvWidth)
        v = k
        gate = [Float](repeating: 0, count: t * c.intermediateSize)
        up = gate
    }

    /// h ← x: the sublayer's input before any norm.
    mutating func copyResidualToInput() {
        let count = x.count
        x.withUnsafeBufferPointer { x in h.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: x.baseAddress!, count: count) } }
    }
}

/// Thin array wrappers over the LNATensor kernels, so the forward reads as math.
enum Ops {
    static func add(_ x: inout [Float], _ y: [Float]) {
        x.withUnsafeMutableBufferPointer { addInPlace($0.baseAddress!, y, count: $0.count) }
    }

    static func multiply(_ x: inout [Float], _ y: [Float]) {
        x.withUnsafeMutableBufferPointer { multiplyInPlace($0.baseAddress!, by: y, count: $0.count) }
    }
}
