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
    /// Sliding-window size for the layers flagged in `slidingWindowLayers`.
    public var slidingWindow: Int?
    /// Per layer: whether it uses the sliding window (and `localRopeBase`).
    public var slidingWindowLayers: [Bool]
    /// Multiplier of the token embedding (Gemma: √d), nil for none.
    public var embeddingScale: Float?
    /// Whether the LM head reuses the token embedding.
    public var tiedEmbeddings: Bool
    public var contextLength: Int
    /// RoPE frequency scaling (Llama 3.1), nil for none. Applies to global layers only in Gemma 3.
    public var ropeScaling: RopeScaling?
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

    /// Width of the concatenated query heads.
    public var queryWidth: Int { headCount * headDim }
    /// Width of the concatenated key (or value) heads.
    public var kvWidth: Int { kvHeadCount * headDim }

    /// The MLP gate activation.
    public var activation: BlockRecipe.Activation {
        switch block.mlp { case let .gated(activation): return activation }
    }

    /// Dimensions of each head that RoPE rotates.
    public var rotaryDimension: Int {
        switch block.positions { case let .rope(rope): return rope.rotaryDimension ?? headDim }
    }

    /// RoPE frequencies of a layer: the local base without scaling on sliding-window layers that have their own
    /// base (Gemma 3), else the global base with `ropeScaling`.
    func ropeFrequencies(layer: Int) -> [Double] {
        RopeScaling.inverseFrequencies(
            headDim: rotaryDimension, base: ropeBase(layer: layer),
            scaling: slidingWindowLayers[layer] && localRopeBase != nil ? nil : ropeScaling)
    }

    /// RoPE base of a layer.
    public func ropeBase(layer: Int) -> Double {
        slidingWindowLayers[layer] ? (localRopeBase ?? ropeBase) : ropeBase
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
            case .query, .key, .value, .attentionOutput, .gate, .up, .down: continue
            default: count += role.shape(in: self).reduce(1, *)
            }
        }
        return count
    }

    /// Parameters of the final norm (gain and any bias).
    public var finalNormParameters: Int { hiddenSize * (block.norm.bias ? 2 : 1) }

    /// Checks internal consistency; throws `ModelError.invalidConfig` naming the field.
    public func validate(source: String) throws {
        func require(_ ok: Bool, _ what: String) throws {
            if !ok { throw ModelError.invalidConfig(source, what) }
        }
        try require(layerCount > 0, "layer count must be positive, got \(layerCount)")
        try require(hiddenSize > 0 && intermediateSize > 0 && vocabularySize > 0, "sizes must be positive")
        try require(headCount > 0 && kvHeadCount > 0 && headCount % kvHeadCount == 0,
                    "head count \(headCount) must be a multiple of the kv head count \(kvHeadCount)")
        try require(headDim > 0 && headDim % 2 == 0, "head dim must be positive and even, got \(headDim)")
        try require(rotaryDimension > 0 && rotaryDimension % 2 == 0 && rotaryDimension <= headDim,
                    "rotary dimension \(rotaryDimension) must be positive, even and at most the head dim \(headDim)")
        try require(!block.norm.bias || block.norm.kind == .layer, "an RMSNorm has no bias")
        try require(slidingWindowLayers.count == layerCount,
                    "sliding-window flags for \(slidingWindowLayers.count) layers, expected \(layerCount)")
    }
}
