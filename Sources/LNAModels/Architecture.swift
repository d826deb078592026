/// One supported architecture as data: how to read its configuration from GGUF metadata or a Hugging Face
/// `config.json`, how its tensors are named, and what to undo on load so every source reaches one canonical
/// (Hugging Face) layout. The forward pass is generic; see `Architectures/*.swift` for the four instances.
struct Architecture: Sendable {
    /// `general.architecture` in GGUF.
    let name: String
    /// `model_type` values in HF `config.json` that map here.
    let hfModelTypes: [String]
    let configFromGGUF: @Sendable (_ values: ConfigValues, _ shapes: GGUFShapeFacts) throws -> ModelConfig
    let configFromHF: @Sendable (_ values: ConfigValues) throws -> ModelConfig
    let hfName: @Sendable (_ role: WeightRole, _ layer: Int?) -> String
    /// llama.cpp permutes the q/k rows of `llama` models for its interleaved RoPE; loading undoes it.
    let ggufPermutesQueryKey: Bool
    /// Gemma checkpoints store a norm gain w and compute x·(1+w); GGUF files already hold 1+w.
    let hfNormGainOffset: Float

    /// Every supported architecture, by GGUF name.
    static let all: [Architecture] = [.llama, .mistral, .qwen2, .gemma3]

    static func named(_ name: String, source: String) throws -> Architecture {
        if let arch = all.first(where: { $0.name == name || $0.hfModelTypes.contains(name) }) { return arch }
        throw ModelError.unsupportedArchitecture(name, source: source, supported: all.map(\.name))
    }
}

/// Facts about a GGUF file's tensors that its metadata may omit.
struct GGUFShapeFacts {
    /// Rows of `token_embd.weight`.
    var vocabularySize: Int
    /// Whether the file has a separate `output.weight`.
    var hasOutputWeight: Bool
}

/// Decoding shared by the Llama family (llama, mistral, qwen2): the standard llama.cpp and HF keys.
enum LlamaFamily {
    static func ggufConfig(_ v: ConfigValues, _ facts: GGUFShapeFacts, arch: String) throws -> ModelConfig {
        let p = arch + "."
        let hidden = try v.int(p + "embedding_length")
        let heads = try v.int(p + "attention.head_count")
        let layers = try v.int(p + "block_count")
        let headDim = v.optionalInt(p + "attention.key_length") ?? hidden / heads
        let window = v.optionalInt(p + "attention.sliding_window")
        return ModelConfig(
            architecture: arch, vocabularySize: facts.vocabularySize, hiddenSize: hidden,
            intermediateSize: try v.int(p + "feed_forward_length"), layerCount: layers, headCount: heads,
            kvHeadCount: v.optionalInt(p + "attention.head_count_kv") ?? heads, headDim: headDim,
            ropeBase: v.optionalDouble(p + "rope.freq_base") ?? 10_000, localRopeBase: nil,
            slidingWindow: window, slidingWindowLayers: Array(repeating: window != nil, count: layers),
            rmsNormEpsilon: Float(try v.double(p + "attention.layer_norm_rms_epsilon")),
            embeddingScale: nil, tiedEmbeddings: !facts.hasOutputWeight, qkNorm: false, sandwichNorms: false,
            attentionBias: false, activation: .silu, attentionScale: 1 / Float(headDim).squareRoot(),
            contextLength: v.optionalInt(p + "context_length") ?? 4096,
            ropeScaling: RopeScaling.fromGGUF(v, prefix: p))
    }

    static func hfConfig(_ v: ConfigValues, arch: String) throws -> ModelConfig {
        let hidden = try v.int("hidden_size")
        let heads = try v.int("num_attention_heads")
        let layers = try v.int("num_hidden_layers")
        let headDim = v.optionalInt("head_dim") ?? hidden / heads
        let window = v.optionalInt("sliding_window")
        return ModelConfig(
            architecture: arch, vocabularySize: try v.int("vocab_size"), hiddenSize: hidden,
            intermediateSize: try v.int("intermediate_size"), layerCount: layers, headCount: heads,
            kvHeadCount: v.optionalInt("num_key_value_heads") ?? heads, headDim: headDim,
            ropeBase: v.optionalDouble("rope_theta") ?? 10_000, localRopeBase: nil,
            slidingWindow: window, slidingWindowLayers: Array(repeating: window != nil, count: layers),
            rmsNormEpsilon: Float(v.optionalDouble("rms_norm_eps") ?? 1e-6),
            embeddingScale: nil, tiedEmbeddings: v.optionalBool("tie_word_embeddings") ?? false,
            qkNorm: false, sandwichNorms: false, attentionBias: false, activation: .silu,
            attentionScale: 1 / Float(headDim).squareRoot(),
            contextLength: v.optionalInt("max_position_embeddings") ?? 4096,
            ropeScaling: RopeScaling.fromHF(v))
    }
}
