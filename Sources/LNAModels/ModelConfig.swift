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
    /// RoPE frequency scaling (Llama 3.1), nil for none. Applies to global layers only in Gemma 3.
    public var ropeScaling: RopeScaling?

    /// The MLP gate activation.
    public enum Activation: String, Codable, Sendable {
        case silu
        case geluTanh = "gelu_tanh"
    }

    /// Width of the concatenated query heads.
    public var queryWidth: Int { headCount * headDim }
    /// Width of the concatenated key (or value) heads.
    public var kvWidth: Int { kvHeadCount * headDim }

    /// RoPE base of a layer.
    public func ropeBase(layer: Int) -> Double {
        slidingWindowLayers[layer] ? (localRopeBase ?? ropeBase) : ropeBase
    }

    /// Sliding window of a layer, nil for full causal attention.
    public func window(layer: Int) -> Int? {
        slidingWindowLayers[layer] ? slidingWindow : nil
    }

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
        try require(slidingWindowLayers.count == layerCount,
                    "sliding-window flags for \(slidingWindowLayers.count) layers, expected \(layerCount)")
    }
}
