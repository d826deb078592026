/// Everything the generic decoder forward needs to know about one model: sizes and feature flags.
///
/// Each architecture file (`Architectures/*.swift`) builds one from GGUF metadata or a Hugging Face
/// `config.json`; the forward pass has one code path driven by these fields.
///
/// ```swift
/// let model = try Model.load("gemma3-270m")
/// print(model.config.intermediateSize)   // 2048 neurons per layer
/// ```
public struct ModelConfig: Codable, Sendable, Equatable {
    /// Architecture name as in GGUF `general.architecture` / HF `model_type`: llama, mistral, qwen2, gemma3.
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
    public var rmsNormEpsilon: Float
    /// Multiplier of the token embedding (Gemma: √d), nil for none.
    public var embeddingScale: Float?
    /// Whether the LM head reuses the token embedding.
    public var tiedEmbeddings: Bool
    /// RMSNorm over each head of q and k before RoPE (Gemma 3).
    public var qkNorm: Bool
    /// RMSNorm of the attention output and of the MLP output before their residual adds (Gemma 2/3).
    public var sandwichNorms: Bool
    /// Biases on the q, k and v projections (Qwen2).
    public var attentionBias: Bool
    public var activation: Activation
    /// Multiplier of q·k before the softmax (usually 1/√headDim).
    public var attentionScale: Float
    public var contextLength: Int
    /// RoPE frequency scaling of full-attention layers (Llama 3.1 `llama3`, linear, yarn, …), nil for none.
    public var ropeScaling: RopeScaling?
    /// RoPE scaling of sliding-window layers when `localRopeBase` is set (Gemma 3 in transformers 5's
    /// per-layer-type `rope_parameters`); nil for none.
    public var localRopeScaling: RopeScaling? = nil
    /// Leading dimensions of each head that RoPE rotates (`partial_rotary_factor` · headDim); nil for all.
    public var rotaryDimension: Int? = nil
    /// Bias on the attention output projection (`attention_bias` of llama, qwen3, gemma, olmo2, cohere).
    public var attentionOutputBias: Bool = false
    /// Biases on the gate, up and down projections (`mlp_bias`).
    public var mlpBias: Bool = false
    /// `cap·tanh(score/cap)` on attention scores before the softmax (Gemma 2), nil for none.
    public var attentionLogitSoftcap: Float? = nil
    /// `cap·tanh(logit/cap)` on the output logits (Gemma 2), nil for none.
    public var finalLogitSoftcap: Float? = nil
    /// Multiplier of the output logits (Cohere `logit_scale`), nil for none.
    public var logitScale: Float? = nil

    /// The MLP gate activation (transformers' `ACT2FN` names in the comments).
    public enum Activation: String, Codable, Sendable, CaseIterable {
        /// `silu`, `swish`.
        case silu
        /// `gelu_pytorch_tanh`, `gelu_new`, `gelu_fast` (the same function up to float rounding).
        case geluTanh = "gelu_tanh"
        /// `gelu`: the exact, erf-based GELU.
        case gelu
        /// `relu`.
        case relu
    }

    /// Width of the concatenated query heads.
    public var queryWidth: Int { headCount * headDim }
    /// Width of the concatenated key (or value) heads.
    public var kvWidth: Int { kvHeadCount * headDim }

    /// RoPE base of a layer.
    public func ropeBase(layer: Int) -> Double {
        slidingWindowLayers[layer] ? (localRopeBase ?? ropeBase) : ropeBase
    }

    /// RoPE scaling of a layer: sliding layers with their own base use `localRopeScaling`.
    public func ropeScaling(layer: Int) -> RopeScaling? {
        slidingWindowLayers[layer] && localRopeBase != nil ? localRopeScaling : ropeScaling
    }

    /// Dimensions per head that RoPE rotates.
    public var rotaryWidth: Int { rotaryDimension ?? headDim }

    /// Sliding window of a layer, nil for full causal attention.
    public func window(layer: Int) -> Int? {
        slidingWindowLayers[layer] ? slidingWindow : nil
    }

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
        try require(headDim % 2 == 0, "head dim must be even for RoPE, got \(headDim)")
        try require((2...headDim).contains(rotaryWidth) && rotaryWidth % 2 == 0,
                    "rotary dimension \(rotaryWidth) must be even and within 2...\(headDim)")
        try require(slidingWindowLayers.count == layerCount,
                    "sliding-window flags for \(slidingWindowLayers.count) layers, expected \(layerCount)")
        if let window = slidingWindow { try within(window, ConfigLimits.window, "sliding window") }
        try require(!slidingWindowLayers.contains(true) || slidingWindow != nil, "sliding layers without a window size")
        for (name, value) in [("RoPE base", ropeBase), ("local RoPE base", localRopeBase ?? ropeBase)] {
            try require(value.isFinite && value > 0, "\(name) is \(value), expected a finite positive number")
        }
        try require(rmsNormEpsilon.isFinite && rmsNormEpsilon >= 0, "norm epsilon is \(rmsNormEpsilon)")
        try require(attentionScale.isFinite && attentionScale > 0, "attention scale is \(attentionScale)")
        for (name, value) in [("attention softcap", attentionLogitSoftcap), ("final logit softcap", finalLogitSoftcap)] {
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
