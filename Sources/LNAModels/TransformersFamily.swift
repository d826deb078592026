/// What transformers 5 assumes for one `model_type` when a key is missing: the defaults of its
/// `configuration_<family>.py` (read from transformers 5.25), the keys its config class and modeling code
/// read, and how it derives the attention kind of each layer. Decoding uses these and nothing else, so a
/// missing key never gets a value transformers would not give it.
///
/// ```swift
/// let llama = try TransformersFamily.named("llama", source: "config.json")
/// print(llama.defaultNormEpsilon)   // 1e-06
/// ```
struct TransformersFamily: Sendable {
    let modelType: String
    /// The config class's defaults of the sizes: a multimodal Gemma 3's `text_config` leaves most of them out.
    let defaultSizes: Sizes
    /// The key naming the MLP activation, and the other spelling some checkpoints also carry.
    let activationKey: String
    let defaultActivation: String
    let defaultNormEpsilon: Double
    /// `rms_norm_eps` or `layer_norm_eps`.
    let normEpsilonKey: String
    /// nil: `hidden_size / num_attention_heads`.
    let defaultHeadDim: Int?
    /// nil: `num_attention_heads`. (A JSON null always means `num_attention_heads`.)
    let defaultKeyValueHeads: Int?
    let defaultMaxPositions: Int
    let defaultTiedEmbeddings: Bool
    /// `default_theta` of the config class (global layers for Gemma 3).
    let defaultTheta: Double
    let layerRule: LayerRule
    /// Family keys read beyond the common ones (`vocab_size`, `hidden_size`, … see `TransformersConfig+Decode`).
    let keys: Set<String>

    /// `vocab_size`, `hidden_size`, `intermediate_size`, `num_hidden_layers`, `num_attention_heads`.
    struct Sizes: Sendable {
        let vocabulary, hidden, intermediate, layers, heads: Int
    }

    /// How transformers decides which layers use the sliding window when `layer_types` is absent.
    enum LayerRule: Sendable {
        /// No sliding window; `layer_types` and `sliding_window` are not keys of this family.
        case allFull
        /// Every layer slides when `sliding_window` is not null (mistral, phi3).
        case allSlidingWhenWindow(defaultWindow: Int?)
        /// `use_sliding_window` and layer ≥ `max_window_layers` (qwen2, qwen3).
        case qwen(defaultWindow: Int, defaultMaxWindowLayers: Int)
        /// Layer l is global when (l + 1) is a multiple of the pattern (gemma2: 2; gemma3: `sliding_window_pattern`, 6).
        case pattern(defaultPattern: Int, readsPatternKey: Bool, defaultWindow: Int)
    }

    static let all: [TransformersFamily] = [
        TransformersFamily(modelType: "llama", defaultSizes: Sizes(vocabulary: 32000, hidden: 4096, intermediate: 11008, layers: 32, heads: 32),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-6, normEpsilonKey: "rms_norm_eps", defaultHeadDim: nil,
                           defaultKeyValueHeads: nil, defaultMaxPositions: 2048, defaultTiedEmbeddings: false,
                           defaultTheta: 10_000, layerRule: .allFull,
                           keys: ["head_dim", "attention_bias", "mlp_bias"]),
        TransformersFamily(modelType: "mistral", defaultSizes: Sizes(vocabulary: 32000, hidden: 4096, intermediate: 14336, layers: 32, heads: 32),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-6, normEpsilonKey: "rms_norm_eps", defaultHeadDim: nil,
                           defaultKeyValueHeads: 8, defaultMaxPositions: 131_072, defaultTiedEmbeddings: false,
                           defaultTheta: 10_000, layerRule: .allSlidingWhenWindow(defaultWindow: 4096),
                           keys: ["head_dim"]),
        TransformersFamily(modelType: "qwen2", defaultSizes: Sizes(vocabulary: 151936, hidden: 4096, intermediate: 22016, layers: 32, heads: 32),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-6, normEpsilonKey: "rms_norm_eps", defaultHeadDim: nil,
                           defaultKeyValueHeads: 32, defaultMaxPositions: 32_768, defaultTiedEmbeddings: false,
                           defaultTheta: 10_000, layerRule: .qwen(defaultWindow: 4096, defaultMaxWindowLayers: 28),
                           keys: ["head_dim"]),
        TransformersFamily(modelType: "qwen3", defaultSizes: Sizes(vocabulary: 151936, hidden: 4096, intermediate: 22016, layers: 32, heads: 32),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-6, normEpsilonKey: "rms_norm_eps", defaultHeadDim: 128,
                           defaultKeyValueHeads: 32, defaultMaxPositions: 32_768, defaultTiedEmbeddings: false,
                           defaultTheta: 10_000, layerRule: .qwen(defaultWindow: 4096, defaultMaxWindowLayers: 28),
                           keys: ["head_dim", "attention_bias"]),
        TransformersFamily(modelType: "gemma", defaultSizes: Sizes(vocabulary: 256000, hidden: 3072, intermediate: 24576, layers: 28, heads: 16),
                           activationKey: "hidden_act", defaultActivation: "gelu_pytorch_tanh",
                           defaultNormEpsilon: 1e-6, normEpsilonKey: "rms_norm_eps", defaultHeadDim: 256,
                           defaultKeyValueHeads: 16, defaultMaxPositions: 8192, defaultTiedEmbeddings: true,
                           defaultTheta: 10_000, layerRule: .allFull,
                           keys: ["head_dim", "attention_bias", "use_bidirectional_attention"]),
        TransformersFamily(modelType: "gemma2", defaultSizes: Sizes(vocabulary: 256000, hidden: 2304, intermediate: 9216, layers: 26, heads: 8),
                           activationKey: "hidden_activation", defaultActivation: "gelu_pytorch_tanh",
                           defaultNormEpsilon: 1e-6, normEpsilonKey: "rms_norm_eps", defaultHeadDim: 256,
                           defaultKeyValueHeads: 4, defaultMaxPositions: 8192, defaultTiedEmbeddings: true,
                           defaultTheta: 10_000,
                           layerRule: .pattern(defaultPattern: 2, readsPatternKey: false, defaultWindow: 4096),
                           keys: ["head_dim", "attention_bias", "query_pre_attn_scalar", "attn_logit_softcapping",
                                  "final_logit_softcapping", "use_bidirectional_attention"]),
        TransformersFamily(modelType: "gemma3_text", defaultSizes: Sizes(vocabulary: 262208, hidden: 2304, intermediate: 9216, layers: 26, heads: 8),
                           activationKey: "hidden_activation", defaultActivation: "gelu_pytorch_tanh",
                           defaultNormEpsilon: 1e-6, normEpsilonKey: "rms_norm_eps", defaultHeadDim: 256,
                           defaultKeyValueHeads: 4, defaultMaxPositions: 131_072, defaultTiedEmbeddings: true,
                           defaultTheta: 1_000_000,
                           layerRule: .pattern(defaultPattern: 6, readsPatternKey: true, defaultWindow: 4096),
                           keys: ["head_dim", "attention_bias", "query_pre_attn_scalar", "attn_logit_softcapping",
                                  "final_logit_softcapping", "use_bidirectional_attention"]),
        TransformersFamily(modelType: "phi3", defaultSizes: Sizes(vocabulary: 32064, hidden: 3072, intermediate: 8192, layers: 32, heads: 32),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-5, normEpsilonKey: "rms_norm_eps", defaultHeadDim: nil,
                           defaultKeyValueHeads: nil, defaultMaxPositions: 4096, defaultTiedEmbeddings: false,
                           defaultTheta: 10_000, layerRule: .allSlidingWhenWindow(defaultWindow: nil),
                           keys: ["head_dim", "original_max_position_embeddings"]),
        TransformersFamily(modelType: "olmo2", defaultSizes: Sizes(vocabulary: 50304, hidden: 4096, intermediate: 11008, layers: 32, heads: 32),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-5, normEpsilonKey: "rms_norm_eps", defaultHeadDim: nil,
                           defaultKeyValueHeads: nil, defaultMaxPositions: 2048, defaultTiedEmbeddings: false,
                           defaultTheta: 10_000, layerRule: .allFull,
                           keys: ["head_dim", "attention_bias"]),
        TransformersFamily(modelType: "cohere", defaultSizes: Sizes(vocabulary: 256000, hidden: 8192, intermediate: 22528, layers: 40, heads: 64),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-5, normEpsilonKey: "layer_norm_eps", defaultHeadDim: nil,
                           defaultKeyValueHeads: nil, defaultMaxPositions: 8192, defaultTiedEmbeddings: true,
                           defaultTheta: 500_000, layerRule: .allFull,
                           keys: ["head_dim", "attention_bias", "logit_scale", "use_qk_norm"]),
        TransformersFamily(modelType: "mixtral", defaultSizes: Sizes(vocabulary: 32000, hidden: 4096, intermediate: 14336, layers: 32, heads: 32),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-5, normEpsilonKey: "rms_norm_eps", defaultHeadDim: nil,
                           defaultKeyValueHeads: 8, defaultMaxPositions: 131_072, defaultTiedEmbeddings: false,
                           defaultTheta: 1_000_000, layerRule: .allSlidingWhenWindow(defaultWindow: nil),
                           keys: ["head_dim", "num_local_experts", "num_experts_per_tok"]),
        TransformersFamily(modelType: "qwen2_moe", defaultSizes: Sizes(vocabulary: 151936, hidden: 2048, intermediate: 5632, layers: 24, heads: 16),
                           activationKey: "hidden_act", defaultActivation: "silu",
                           defaultNormEpsilon: 1e-6, normEpsilonKey: "rms_norm_eps", defaultHeadDim: nil,
                           defaultKeyValueHeads: 16, defaultMaxPositions: 32_768, defaultTiedEmbeddings: false,
                           defaultTheta: 10_000, layerRule: .qwen(defaultWindow: 4096, defaultMaxWindowLayers: 28),
                           keys: ["qkv_bias", "num_experts", "num_experts_per_tok", "norm_topk_prob", "moe_intermediate_size",
                                  "shared_expert_intermediate_size", "mlp_only_layers", "decoder_sparse_step"]),
    ]

    /// Local (sliding-layer) RoPE θ of Gemma 3 when `rope_local_base_freq` and `rope_parameters` are silent.
    static let gemma3LocalTheta = 10_000.0

    static func named(_ modelType: String, source: String) throws -> TransformersFamily {
        if let family = all.first(where: { $0.modelType == modelType }) { return family }
        throw ModelError.configValue(file: source, key: "model_type", value: "\"\(modelType)\"",
                                     expected: "one of \((all.map(\.modelType) + TransformersConfig.classicModelTypes).joined(separator: ", ")) (gemma3 with a text_config)")
    }

    /// Whether the family's config has a `layer_types` key (and so a per-layer-type `rope_parameters`).
    var hasLayerTypes: Bool {
        switch layerRule {
        case .allFull, .allSlidingWhenWindow: return false
        case .qwen, .pattern: return true
        }
    }
}
