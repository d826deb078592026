import LNAHooks

/// A copy of the tensor one hook point saw during a forward call: `rows × columns` floats, row-major, after the
/// interventions at that point. Rows are the packed batch's positions; for `attn.hook_pattern` the heads
/// follow one another (`rows` = heads × T, head-major, `columns` = S keys); for `hook_logits` the rows are
/// those the logits request computed.
public struct CachedTensor: Sendable, Equatable {
    public private(set) var rows: Int
    public let columns: Int
    public private(set) var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Row `r` (`columns` floats).
    public func row(_ r: Int) -> [Float] { Array(values[r * columns..<(r + 1) * columns]) }

    /// The last row: for a one-sequence batch, the last position.
    public var lastRow: [Float] { row(rows - 1) }

    mutating func append(_ t: HookTensor) {
        values.append(contentsOf: UnsafeBufferPointer(start: t.values, count: t.rows * t.columns))
        rows += t.rows
    }
}

/// The tensors a `runWithCache` call kept, by hook point, with the call's logits.
///
/// ```swift
/// let (out, cache) = try model.runWithCache(TokenBatch(ids), sites: ["blocks.*.hook_resid_post"])
/// let layer3 = cache[HookPoint(.residPost, layer: 3)]!    // T × hiddenSize
/// ```
public struct ActivationCache: Sendable {
    public private(set) var tensors: [HookPoint: CachedTensor] = [:]

    public subscript(_ point: HookPoint) -> CachedTensor? { tensors[point] }

    /// The cached points in forward order (embedding, blocks by layer and site, final norm, logits).
    public var points: [HookPoint] {
        tensors.keys.sorted { a, b in
            let la = a.layer.map { $0 + 1 } ?? (a.site == .embed ? 0 : Int.max)
            let lb = b.layer.map { $0 + 1 } ?? (b.site == .embed ? 0 : Int.max)
            return (la, a.site.ordinal) < (lb, b.site.ordinal)
        }
    }

    mutating func record(_ t: HookTensor) {
        tensors[t.point, default: CachedTensor(rows: 0, columns: t.columns, values: [])].append(t)
    }
}

extension Model {
    /// One forward call that keeps a copy of the tensor at every point the `sites` patterns select (hook names
    /// as in docs/hooks.md: `blocks.*.hook_resid_post`, `blocks.-1.mlp.hook_act`, `ln_final.hook_normalized`),
    /// after applying `interventions` (a deactivated mask, a steering plan). Uses the forward's own hooks: the
    /// cached tensors are exactly what a `HookSet` observer sees. With a `KVCache` the tokens continue the cached
    /// ones (as in `forward`) and only the new rows are cached here.
    ///
    /// ```swift
    /// let ids = model.tokenizer.encode("Français: \"fleur\" - English: \"")
    /// let (out, cache) = try model.runWithCache(TokenBatch(ids), sites: ["blocks.*.hook_resid_post"])
    /// let lens = try model.unembed(cache[HookPoint(.residPost, layer: 9)]!.lastRow)   // logit lens at block 9
    /// ```
    public func runWithCache(_ batch: TokenBatch, sites: [String], interventions: [Intervention] = [],
                             cache kv: KVCache? = nil, logits request: LogitsRequest = .lastOfEachSequence)
        throws -> (ForwardResult, ActivationCache)
    {
        let hooks = HookSet(layerCount: config.layerCount)
        try hooks.intervene(interventions)
        var cache = ActivationCache()
        for pattern in sites { try hooks.observe(pattern) { cache.record($0) } }
        let result = try forward(batch, hooks: hooks, cache: kv, logits: request)
        return (result, cache)
    }
}

extension ModelConfig {
    /// Floats per row at a hook site (docs/hooks.md): the hidden size d for residual-stream and norm sites,
    /// heads × head_dim for q and z, kv-heads × head_dim for k and v, the MLP width f for the four MLP sites,
    /// the vocabulary for logits, the expert count for the router and the expert width for an expert's `hook_act`.
    /// nil for `attn.hook_pattern`, whose width is the key count of each call, and for expert sites of a dense model.
    ///
    /// ```swift
    /// model.config.width(of: .mlpAct)      // 2048 for Gemma-3-270M
    /// model.config.width(of: .residPost)   // 640
    /// ```
    public func width(of site: HookSite) -> Int? {
        switch site {
        case .embed, .residPre, .ln1Normalized, .attnOut, .residMid, .ln2Normalized, .mlpOut, .residPost, .lnFinal:
            return hiddenSize
        case .attnQ, .attnZ: return queryWidth
        case .attnK, .attnV: return kvWidth
        case .attnPattern: return nil
        case .mlpPre, .mlpAct, .mlpPreLinear, .mlpPost: return intermediateSize
        case .logits: return vocabularySize
        case .mlpRouter: return expertCount > 0 ? expertCount : nil
        case .expertAct:
            // Rows are the tokens routed to the expert; each row is the expert's MLP width.
            if case let .experts(e) = block.mlp { return e.width }
            return nil
        }
    }
}
