import LNATensor

/// Everything the decoder forward needs to know about one model: sizes, the per-layer schedule (windows, RoPE
/// bases) and the block recipe (`BlockRecipe`: which norm, positions, attention, MLP and residual topology).
///
/// Each architecture file (`Architectures/*.swift`) builds one from GGUF metadata or a Hugging Face
/// `config.json`; the forward passes follow its recipe.
///
/// ```swift
/// let model = try Model.load("gemma3-270m")
/// print(model.config.intermediateSize)   // 2048 neurons per layer
/// ```
public struct ModelConfig: Codable, Sendable, Equatable {
    /// Architecture name as in GGUF `general.architecture` / HF `model_type`: llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3, phi3,
    /// olmo2, cohere.
    public var architecture: String
    public var vocabularySize: Int
    /// Model width d.
    public var hiddenSize: Int
    /// MLP width f: the number of neurons per layer.
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int
    /// RoPE base of global-attention layers.
    public var ropeBase: Double
    /// RoPE base of sliding-window layers when it differs (Gemma 3: 10000).
    public var localRopeBase: Double?
    /// A LayerNorm of the (scaled) embedding before the first block (BLOOM `word_embeddings_layernorm`).
    public var embeddingNorm: Bool = false
    /// Sliding-window size for the layers flagged in `slidingWindowLayers`.
    public var slidingWindow: Int?
    /// Per layer: whether it uses the sliding window (and `localRopeBase`).
    public var slidingWindowLayers: [Bool]
    /// Multiplier of the token embedding (Gemma: √d), nil for none.
    public var embeddingScale: Float?
    /// Whether the LM head reuses the token embedding.
    public var tiedEmbeddings: Bool
    public var contextLength: Int
    /// RoPE frequency scaling of full-attention layers (Llama 3.1 `llama3`, linear, yarn, …), nil for none.
    public var ropeScaling: RopeScaling?
    /// RoPE scaling of sliding-window layers when `localRopeBase` is set (Gemma 3 in transformers 5's
    /// per-layer-type `rope_parameters`); nil for none.
    public var localRopeScaling: RopeScaling? = nil
    /// The components every block is built from (norm, positions, attention, MLP, residual topology).
    public var block: BlockRecipe
    /// What turns the LM head's output into logits (Cohere `logit_scale`, Gemma 2 final softcap).
    public var logits: LogitTransform

    public init(architecture: String, vocabularySize: Int, hiddenSize: Int, intermediateSize: Int, layerCount: Int,
                headCount: Int, kvHeadCount: Int, headDim: Int, ropeBase: Double, localRopeBase: Double? = nil,
                slidingWindow: Int?, slidingWindowLayers: [Bool], embeddingScale: Float? = nil, tiedEmbeddings: Bool,
                contextLength: Int, ropeScaling: RopeScaling?, block: BlockRecipe, logits: LogitTransform = .identity) {
        self.architecture = architecture
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headDim = headDim
        self.ropeBase = ropeBase
        self.localRopeBase = localRopeBase
        self.slidingWindow = slidingWindow
        self.slidingWindowLayers = slidingWindowLayers
        self.embeddingScale = embeddingScale
        self.tiedEmbeddings = tiedEmbeddings
        self.contextLength = contextLength
        self.ropeScaling = ropeScaling
        self.block = block
        self.logits = logits
    }

    /// Routed experts per MoE layer (0 for dense models).
    public var expertCount: Int { experts?.count ?? 0 }

    /// The mixture of experts of a model with experts (nil for dense models).
    public var experts: BlockRecipe.Experts? {
        if case let .experts(e) = block.mlp { return e }
        return nil
    }

    /// Width of the concatenated query heads.
    public var queryWidth: Int { headCount * headDim }
    /// Width of the concatenated key (or value) heads.
    public var kvWidth: Int { kvHeadCount * headDim }

    /// The MLP activation kinds (transformers' `ACT2FN` names in `BlockRecipe.Activation`).
    public typealias Activation = BlockRecipe.Activation

    /// The MLP gate activation.
    public var activation: BlockRecipe.Activation {
        block.mlp.activation
    }

    /// Dimensions of each head that RoPE rotates.
    public var rotaryDimension: Int {
        block.positions.rope.map { $0.rotaryDimension ?? headDim } ?? headDim
    }

    /// RoPE base of a layer.
    public func ropeBase(layer: Int) -> Double {
        slidingWindowLayers[layer] ? (localRopeBase ?? ropeBase) : ropeBase
    }

    /// RoPE scaling of a layer: sliding layers with their own base use `localRopeScaling`.
    public func ropeScaling(layer: Int) -> RopeScaling? {
        slidingWindowLayers[layer] && localRopeBase != nil ? localRopeScaling : ropeScaling
    }

    /// Sliding window of a layer, nil for full causal attention.
    public func window(layer: Int) -> Int? {
        slidingWindowLayers[layer] ? slidingWindow : nil
    }

    /// Parameters of one block's norms and biases (gains, norm biases, projection biases).
    public var layerNormParameters: Int {
        var count = 0
        let present: (WeightRole) -> Bool = { $0.isPresent(in: self) }
        for role in WeightRole.allCases where role.isPerLayer && present(role) {
            switch role {
            case .query, .key, .value, .attentionOutput, .gate, .up, .down, .router, .sharedGate, .sharedUp,
                 .sharedDown, .sharedExpertGate: continue
            default: count += role.shape(in: self).reduce(1, *)
            }
        }
        return count
    }

    /// Parameters of the final norm (gain and any bias).
    public var finalNormParameters: Int { hiddenSize * (block.norm.bias ? 2 : 1) }

    /// Checks every size against sane bounds (`ConfigLimits`) and for consistency, before anything is sized by
    /// it; the products the loader and forward form (vocabulary × d, heads × head dim, layers × f, RoPE tables)
    /// are checked not to overflow. Throws `ModelError.invalidConfig` naming the field and the expectation.
    ///
    /// ```swift
    /// try config.validate(source: "m/config.json")
    /// ```
    public func validate(source: String) throws {
        func require(_ ok: Bool, _ what: @autoclosure () -> String) throws {
            if !ok { throw ModelError.invalidConfig(source, what()) }
        }
        func within(_ value: Int, _ range: ClosedRange<Int>, _ name: String) throws {
            try require(range.contains(value), "\(name) is \(value), expected \(range.lowerBound)...\(range.upperBound)")
        }
        try within(layerCount, ConfigLimits.layers, "layer count")
        try within(hiddenSize, ConfigLimits.hidden, "hidden size")
        try within(intermediateSize, ConfigLimits.intermediate, "intermediate size")
        try within(vocabularySize, ConfigLimits.vocabulary, "vocabulary size")
        try within(headCount, ConfigLimits.heads, "head count")
        try within(kvHeadCount, ConfigLimits.heads, "kv head count")
        try within(headDim, ConfigLimits.headDim, "head dim")
        try within(contextLength, ConfigLimits.positions, "context length")
        try require(headCount % kvHeadCount == 0,
                    "head count \(headCount) must be a multiple of the kv head count \(kvHeadCount)")
        if block.positions.rope != nil {
            try require(headDim % 2 == 0, "head dim must be even for RoPE, got \(headDim)")
            try require((2...headDim).contains(rotaryDimension) && rotaryDimension % 2 == 0,
                        "rotary dimension \(rotaryDimension) must be even and within 2...\(headDim)")
        }
        if case let .experts(e) = block.mlp {
            try within(e.count, 1...4096, "expert count")
            try within(e.topK, 1...e.count, "experts per token")
            try within(e.width, ConfigLimits.intermediate, "expert width")
            try require(e.denseLayers.allSatisfy { (0..<layerCount).contains($0) }, "dense layers \(e.denseLayers) outside 0..<\(layerCount)")
            let (product, overflow) = (layerCount * e.count).multipliedReportingOverflow(by: e.width)
            try require(!overflow && product <= 1 << 40, "layers × experts × expert width is too large")
        }
        try require(!block.norm.bias || block.norm.kind == .layer, "an RMSNorm has no bias")
        try require(slidingWindowLayers.count == layerCount,
                    "sliding-window flags for \(slidingWindowLayers.count) layers, expected \(layerCount)")
        if let window = slidingWindow { try within(window, ConfigLimits.window, "sliding window") }
        try require(!slidingWindowLayers.contains(true) || slidingWindow != nil, "sliding layers without a window size")
        for (name, value) in [("RoPE base", ropeBase), ("local RoPE base", localRopeBase ?? ropeBase)] {
            try require(value.isFinite && value > 0, "\(name) is \(value), expected a finite positive number")
        }
        let epsilon = block.norm.epsilon, scale = block.attention.scale
        try require(epsilon.isFinite && epsilon >= 0, "norm epsilon is \(epsilon)")
        try require(scale.isFinite && scale > 0, "attention scale is \(scale)")
        for (name, value) in [("attention softcap", block.attention.logitSoftcap), ("final logit softcap", logits.softcap),
                              ("logit scale", logits.scale)] {
            if let value { try require(value.isFinite && value > 0, "\(name) is \(value), expected a positive number") }
        }
        // The largest products the loader and the forward form; all bounded above, checked anyway.
        for (name, a, b) in [("vocabulary × hidden", vocabularySize, hiddenSize), ("heads × head dim", headCount, headDim),
                             ("intermediate × hidden", intermediateSize, hiddenSize), ("layers × intermediate", layerCount, intermediateSize)] {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            try require(!overflow && product <= 1 << 40, "\(name) = \(a) × \(b) is too large")
        }
    }
}
