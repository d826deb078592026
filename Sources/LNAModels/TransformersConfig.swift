/// A Hugging Face `config.json`, decoded strictly and normalised: the same checkpoint gives the same value
/// whether its file uses the pre-v5 keys (`rope_theta`, `rope_scaling`, `rope_local_base_freq`,
/// `sliding_window_pattern`) or transformers 5's (`rope_parameters`, per layer type or not, `layer_types`).
///
/// Every key of the file is accounted for when decoding (see `TransformersConfig+Decode.swift`): it is read
/// into a field below, or it is on the list of keys known not to change the forward, or decoding fails with a
/// one-line error naming the file, the key and its value. Missing keys take transformers' documented default
/// for that `model_type` (`TransformersFamily`), never a guess. The same struct writes `config.json`
/// (`TransformersConfig+Encode.swift`, transformers 5's dialect), so `lna convert` round-trips.
///
/// ```swift
/// let t = try TransformersConfig(contentsOf: dir.appendingPathComponent("config.json"))
/// print(t.modelType, t.rope.type, t.rope.theta)       // llama llama3 500000.0
/// ```
public struct TransformersConfig: Sendable, Equatable {
    /// The text model's `model_type` (`gemma3_text` for a multimodal Gemma 3's `text_config`).
    public var modelType: String
    /// The `architectures` class names, as written (informational).
    public var architectures: [String]
    /// The outer `model_type` when the text model came from a multimodal wrapper's `text_config` (`gemma3`).
    public var multimodalWrapper: String?

    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var headDim: Int
    /// The MLP activation (`hidden_act` or `hidden_activation`, as the family's config class names it).
    public var activation: ModelConfig.Activation
    public var maxPositionEmbeddings: Int
    /// `rms_norm_eps`, or `layer_norm_eps` for LayerNorm families (cohere).
    public var normEpsilon: Double
    public var tieWordEmbeddings: Bool
    /// Biases on the attention projections (`attention_bias`; qwen2 always has q/k/v biases).
    public var attentionBias: Bool
    /// Biases on the MLP projections (`mlp_bias`, llama).
    public var mlpBias: Bool

    /// Attention kind of every layer (`layer_types`, or derived from the pre-v5 keys as transformers does).
    public var layerTypes: [LayerType]
    /// Window of the `sliding_attention` layers.
    public var slidingWindow: Int?
    /// RoPE of the `full_attention` layers (of every layer when the file has one RoPE).
    public var rope: RopeParameters
    /// RoPE of the `sliding_attention` layers when it differs from `rope` (Gemma 3: base 10000, no scaling).
    public var slidingRope: RopeParameters?

    /// Gemma 2/3: queries are scaled by `query_pre_attn_scalar^-1/2` instead of `head_dim^-1/2`.
    public var queryPreAttnScalar: Double?
    /// Gemma 2: `cap·tanh(score/cap)` on attention scores.
    public var attnLogitSoftcapping: Double?
    /// Gemma 2: `cap·tanh(logit/cap)` on the output logits.
    public var finalLogitSoftcapping: Double?
    /// Cohere: logits are multiplied by this.
    public var logitScale: Double?
    /// Cohere: LayerNorm over q and k per head.
    public var useQKNorm: Bool

    /// How positions enter: RoPE, or (bloom, gpt2, xglm) ALiBi, a learned or a sinusoidal table.
    public var positionKind: PositionKind = .rope
    /// A plain MLP `fc2(act(fc1(x)))` with biases (bloom, gpt2, xglm) instead of a gated one.
    public var plainMLP = false
    /// bloom: a LayerNorm of the embedding (`word_embeddings_layernorm`).
    public var embeddingLayerNorm = false
    /// xglm: the embedding × √d (`scale_embedding`).
    public var scaleEmbedding = false
    /// gpt2: `scale_attn_weights` (false: scores are not divided by √head_dim).
    public var scaleAttentionWeights = true
    /// Mixtures of experts (mixtral, qwen2_moe); nil for dense models.
    public var experts: ExpertParameters?

    /// How positions enter the model.
    public enum PositionKind: String, Sendable, Equatable {
        case rope, alibi, learned, sinusoidal
    }

    /// The routing of a mixture of experts.
    public struct ExpertParameters: Sendable, Equatable {
        /// `num_local_experts` (mixtral) / `num_experts` (qwen2_moe).
        public var count: Int
        /// `num_experts_per_tok`.
        public var topK: Int
        /// Renormalise the top-k probabilities (mixtral always; qwen2_moe `norm_topk_prob`).
        public var normalizeTopK: Bool
        /// Neurons per expert (mixtral `intermediate_size`, qwen2_moe `moe_intermediate_size`).
        public var width: Int
        /// qwen2_moe `shared_expert_intermediate_size` (nil: no shared expert).
        public var sharedExpertWidth: Int?
        /// Layers with a dense MLP of `intermediate_size` (qwen2_moe `mlp_only_layers`, `decoder_sparse_step`).
        public var denseLayers: [Int]
    }

    /// Special token ids (informational; the tokenizer decides).
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int]
    public var padTokenID: Int?
    /// `dtype` / `torch_dtype` as written (informational).
    public var dtype: String?

    /// Attention kind of one layer, as transformers 5 names it in `layer_types`.
    public enum LayerType: String, Sendable, Equatable, CaseIterable {
        case fullAttention = "full_attention"
        case slidingAttention = "sliding_attention"
    }

    /// The RoPE of the layers of one type (`rope_parameters`, or `rope_theta` + `rope_scaling` in the pre-v5
    /// dialect). Fields a type does not use are nil.
    public struct RopeParameters: Sendable, Equatable {
        public var type: RopeType
        /// θ, the base of the inverse frequencies.
        public var theta: Double
        /// Fraction of each head that rotates (phi3, cohere variants); 1 for all.
        public var partialRotaryFactor: Double = 1
        public var factor: Double?
        public var originalMaxPositionEmbeddings: Int?
        /// llama3.
        public var lowFreqFactor: Double?
        public var highFreqFactor: Double?
        /// yarn and longrope: multiplier of cos and sin (nil: derived from `factor` as transformers does).
        public var attentionFactor: Double?
        /// yarn.
        public var betaFast: Double?
        public var betaSlow: Double?
        public var mscale: Double?
        public var mscaleAllDim: Double?
        public var truncate: Bool?
        /// longrope: per-pair divisors of the frequencies within / beyond the original context.
        public var shortFactor: [Double]?
        public var longFactor: [Double]?

        public init(type: RopeType, theta: Double) {
            self.type = type
            self.theta = theta
        }
    }

    /// `rope_type` values transformers defines; each either runs exactly as transformers computes it, or the
    /// load is refused naming it (see `RopeScaling.init(_:headDim:maxPositionEmbeddings:source:)`).
    public enum RopeType: String, Sendable, Equatable, CaseIterable {
        case `default`, linear, dynamic, yarn, llama3, longrope
    }

    /// Whether layer `layer` is a sliding-window layer.
    public func isSliding(_ layer: Int) -> Bool { layerTypes[layer] == .slidingAttention }
}
