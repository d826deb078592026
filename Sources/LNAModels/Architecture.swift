/// One supported architecture as data: how to read its configuration (sizes, per-layer schedule and block
/// recipe) from GGUF metadata or a Hugging Face `config.json`, how its tensors are named, and what to undo on
/// load so every source reaches one canonical (Hugging Face, unfused) layout. The forward passes follow the
/// recipe; see `Architectures/*.swift` for the instances.
struct Architecture: Sendable {
    /// `general.architecture` in GGUF.
    let name: String
    /// `model_type` values in HF `config.json` that map here.
    let hfModelTypes: [String]
    let configFromGGUF: @Sendable (_ values: ConfigValues, _ shapes: GGUFShapeFacts) throws -> ModelConfig
    let configFromHF: @Sendable (_ values: ConfigValues) throws -> ModelConfig
    var hfName: @Sendable (_ role: WeightRole, _ layer: Int?) -> String = HFNames.name
    var ggufName: @Sendable (_ role: WeightRole, _ layer: Int?) -> String = GGUFNames.name
    /// For roles stored as rows of a fused tensor (Phi-3 `qkv_proj`, `gate_up_proj`): which rows; nil otherwise.
    var fusedRows: @Sendable (_ role: WeightRole, _ config: ModelConfig) -> FusedRows? = { _, _ in nil }
    /// llama.cpp permutes the q/k rows of `llama` models for its interleaved RoPE; loading undoes it.
    var ggufPermutesQueryKey = false
    /// `general.architecture` values other than `name` that llama.cpp writes for this architecture.
    var otherGGUFNames: [String] = []
    /// How a multimodal HF checkpoint holds this language model, nil when there is no such layout.
    var multimodal: MultimodalLayout? = nil

    /// Every supported architecture, by GGUF name.
    static let all: [Architecture] = [
        .llama, .mistral, .qwen2, .qwen3, .gemma, .gemma2, .gemma3, .phi3, .olmo2, .cohere,
    ]

    static func named(_ name: String, source: String) throws -> Architecture {
        if let arch = all.first(where: { $0.name == name || $0.hfModelTypes.contains(name) || $0.otherGGUFNames.contains(name) }) { return arch }
        throw ModelError.unsupportedArchitecture(name, source: source, supported: all.map(\.name))
    }
}

/// A multimodal checkpoint's language model: tensor names with `prefix`, and the parts to leave alone.
struct MultimodalLayout: Sendable {
    var prefix: String
    var otherParts: [String]
}

/// Rows `rows` of a fused tensor of `totalRows` rows hold one role's weight.
struct FusedRows: Sendable, Equatable {
    var rows: Range<Int>
    var totalRows: Int
}

/// Facts about a GGUF file's tensors that its metadata may omit.
struct GGUFShapeFacts {
    /// Rows of `token_embd.weight`.
    var vocabularySize: Int
    /// Whether the file has a separate `output.weight`.
    var hasOutputWeight: Bool
    /// Every tensor name in the file (for optional components such as Cohere's q/k norms).
    var tensorNames: Set<String>
}

/// The keys every decoder shares (sizes, RoPE base and scaling, window, tied head), read from GGUF metadata
/// (`<arch>.embedding_length`, …) or a Hugging Face `config.json` (`hidden_size`, …). Each architecture adds
/// its recipe (`BlockRecipe`) and what its own keys change.
enum DecoderKeys {
    /// The shared part of a GGUF configuration; `recipe` gets the head dim and the norm epsilon.
    static func gguf(_ v: ConfigValues, _ facts: GGUFShapeFacts, arch: String, keyPrefix: String? = nil,
                     epsilonKey: String = "attention.layer_norm_rms_epsilon",
                     recipe: (_ headDim: Int, _ epsilon: Float) -> BlockRecipe) throws -> ModelConfig {
        let p = (keyPrefix ?? arch) + "."
        let hidden = try v.int(p + "embedding_length")
        let heads = try v.int(p + "attention.head_count")
        let layers = try v.int(p + "block_count")
        let headDim = v.optionalInt(p + "attention.key_length") ?? hidden / heads
        let window = v.optionalInt(p + "attention.sliding_window")
        return ModelConfig(
            architecture: arch, vocabularySize: facts.vocabularySize, hiddenSize: hidden,
            intermediateSize: try v.int(p + "feed_forward_length"), layerCount: layers, headCount: heads,
            kvHeadCount: v.optionalInt(p + "attention.head_count_kv") ?? heads, headDim: headDim,
            ropeBase: v.optionalDouble(p + "rope.freq_base") ?? 10_000,
            slidingWindow: window, slidingWindowLayers: Array(repeating: window != nil, count: layers),
            tiedEmbeddings: !facts.hasOutputWeight,
            contextLength: v.optionalInt(p + "context_length") ?? 4096,
            ropeScaling: RopeScaling.fromGGUF(v, prefix: p),
            block: recipe(headDim, Float(try v.double(p + epsilonKey))))
    }

    /// The shared part of a Hugging Face configuration. `tiedByDefault` is transformers' default of
    /// `tie_word_embeddings` for the family.
    static func hf(_ v: ConfigValues, arch: String, tiedByDefault: Bool = false, epsilonKey: String = "rms_norm_eps",
                   defaultEpsilon: Double = 1e-6,
                   recipe: (_ headDim: Int, _ epsilon: Float) throws -> BlockRecipe) throws -> ModelConfig {
        let hidden = try v.int("hidden_size")
        let heads = try v.int("num_attention_heads")
        let layers = try v.int("num_hidden_layers")
        let headDim = v.optionalInt("head_dim") ?? hidden / heads
        let window = v.optionalInt("sliding_window")
        return ModelConfig(
            architecture: arch, vocabularySize: try v.int("vocab_size"), hiddenSize: hidden,
            intermediateSize: try v.int("intermediate_size"), layerCount: layers, headCount: heads,
            kvHeadCount: v.optionalInt("num_key_value_heads") ?? heads, headDim: headDim,
            ropeBase: v.optionalDouble("rope_theta") ?? v.optionalDouble("rope_parameters.rope_theta") ?? 10_000,
            slidingWindow: window, slidingWindowLayers: Array(repeating: window != nil, count: layers),
            tiedEmbeddings: v.optionalBool("tie_word_embeddings") ?? tiedByDefault,
            contextLength: v.optionalInt("max_position_embeddings") ?? 4096,
            ropeScaling: try RopeScaling.fromHF(v),
            block: try recipe(headDim, Float(v.optionalDouble(epsilonKey) ?? defaultEpsilon)))
    }

    /// The Llama recipe: pre-norm RMSNorm, NEOX RoPE, 1/√headDim attention, SwiGLU.
    static func llamaRecipe(headDim: Int, epsilon: Float, activation: BlockRecipe.Activation = .silu) -> BlockRecipe {
        BlockRecipe(norm: .rms(epsilon: epsilon), residual: .preNorm, positions: .rope(.neox),
                    attention: .init(scale: 1 / Float(headDim).squareRoot()), mlp: .gated(activation))
    }

    /// The MLP activation of a Hugging Face config (`hidden_act`, or `hidden_activation` for Gemma 2/3); an
    /// activation lna does not implement fails the load with the key named.
    static func activation(_ v: ConfigValues, key: String = "hidden_act",
                           default fallback: BlockRecipe.Activation) throws -> BlockRecipe.Activation {
        guard let name = v.optionalString(key) else { return fallback }
        switch name {
        case "silu", "swish": return .silu
        case "gelu_pytorch_tanh", "gelu_new", "gelu_fast": return .geluTanh
        default: throw ModelError.invalidConfig(v.sourceName, "\(key) '\(name)' is not supported (silu, gelu_pytorch_tanh)")
        }
    }

    /// Per layer: whether it is a sliding-window layer, from `layer_types` (transformers 5) when present.
    static func slidingLayers(_ v: ConfigValues, layers: Int) throws -> [Bool]? {
        guard let types = v.optionalStringArray("layer_types") else { return nil }
        guard types.count == layers else {
            throw ModelError.invalidConfig(v.sourceName, "layer_types has \(types.count) entries for \(layers) layers")
        }
        return try types.map { type in
            switch type {
            case "sliding_attention": return true
            case "full_attention": return false
            default: throw ModelError.invalidConfig(v.sourceName, "layer_types entry '\(type)' is not supported")
            }
        }
    }
}
