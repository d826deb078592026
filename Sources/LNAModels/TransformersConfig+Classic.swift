import LNAFormats

extension TransformersConfig {
    /// The `model_type`s with their own config keys (GPT-2's `n_embd`, BLOOM's `n_head`, XGLM's `d_model`), no
    /// RoPE and a plain MLP with biases: decoded by `init(classic:modelType:)`.
    static let classicModelTypes = ["bloom", "gpt2", "xglm"]

    /// Decodes a bloom, gpt2 or xglm `config.json` with the defaults of its transformers 5.25 config class,
    /// accepting the attribute-map spellings (`num_hidden_layers` for `n_layer`, …) and refusing settings lna
    /// does not run (`apply_residual_connection_post_layernorm`, `scale_attn_by_inverse_layer_idx`,
    /// `add_cross_attention`) by name. These families have no RoPE: `rope` keeps transformers' default and is
    /// never used.
    init(classic r: ConfigKeyReader, modelType: String) throws {
        self.modelType = modelType
        multimodalWrapper = nil
        architectures = r.present("architectures")?.arrayValue?.compactMap(\.stringValue) ?? []
        attentionBias = true
        mlpBias = true
        plainMLP = true
        useQKNorm = false
        queryPreAttnScalar = nil
        attnLogitSoftcapping = nil
        finalLogitSoftcapping = nil
        logitScale = nil
        slidingWindow = nil
        slidingRope = nil
        rope = RopeParameters(type: .default, theta: 10_000)
        switch modelType {
        case "bloom":
            vocabSize = try r.int("vocab_size", in: ConfigLimits.vocabulary, default: 250_880)
            // BloomConfig pops the legacy `n_embed` over hidden_size.
            let hidden = try r.int("hidden_size", in: ConfigLimits.hidden, default: 64)
            hiddenSize = try r.optionalInt("n_embed", in: ConfigLimits.hidden) ?? hidden
            numHiddenLayers = try Self.aliased(r, "n_layer", "num_hidden_layers", ConfigLimits.layers, default: 2)
            numAttentionHeads = try Self.aliased(r, "n_head", "num_attention_heads", ConfigLimits.heads, default: 8)
            intermediateSize = 4 * hiddenSize
            // Megatron-DeepSpeed training flags BLOOM checkpoints carry; transformers' Bloom reads none of them
            // (n_inner included: its MLP is always 4·d).
            r.accept(["attention_softmax_in_fp32", "masked_softmax_fusion", "offset_alibi", "skip_bias_add",
                      "skip_bias_add_qkv", "bias_dropout_fusion", "unk_token_id", "slow_but_exact", "seq_length"])
            if let inner = try r.optionalInt("n_inner", in: ConfigLimits.intermediate), inner != intermediateSize {
                throw r.fail("n_inner", .int(inner), "null or \(intermediateSize) (transformers' BLOOM MLP is 4·hidden_size)")
            }
            if try r.bool("apply_residual_connection_post_layernorm", default: false) {
                throw r.fail("apply_residual_connection_post_layernorm", .bool(true), "false (lna runs BLOOM's pre-norm residual)")
            }
            normEpsilon = try r.double("layer_norm_epsilon", in: ConfigLimits.epsilon, default: 1e-5)
            activation = .geluTanh  // bloom_gelu_forward: the tanh form
            // ALiBi has no table: 2048 is BLOOM's training length, the bound of lna's KV cache.
            maxPositionEmbeddings = 2048
            positionKind = .alibi
            embeddingLayerNorm = true
            tieWordEmbeddings = try r.bool("tie_word_embeddings", default: true)
        case "gpt2":
            vocabSize = try r.int("vocab_size", in: ConfigLimits.vocabulary, default: 50_257)
            hiddenSize = try Self.aliased(r, "n_embd", "hidden_size", ConfigLimits.hidden, default: 768)
            numHiddenLayers = try Self.aliased(r, "n_layer", "num_hidden_layers", ConfigLimits.layers, default: 12)
            numAttentionHeads = try Self.aliased(r, "n_head", "num_attention_heads", ConfigLimits.heads, default: 12)
            maxPositionEmbeddings = try Self.aliased(r, "n_positions", "max_position_embeddings", ConfigLimits.positions, default: 1024)
            intermediateSize = try r.optionalInt("n_inner", in: ConfigLimits.intermediate) ?? 4 * hiddenSize
            activation = try Self.classicActivation(r, "activation_function", default: "gelu_new")
            normEpsilon = try r.double("layer_norm_epsilon", in: ConfigLimits.epsilon, default: 1e-5)
            scaleAttentionWeights = try r.bool("scale_attn_weights", default: true)
            if try r.bool("scale_attn_by_inverse_layer_idx", default: false) {
                throw r.fail("scale_attn_by_inverse_layer_idx", .bool(true), "false (per-layer attention scales are not implemented)")
            }
            // reorder_and_upcast_attn only changes the float precision of the scores (float32 already here);
            // n_ctx is a legacy copy of n_positions; the summary_* keys configure GPT2DoubleHeadsModel's head.
            r.accept(["reorder_and_upcast_attn", "n_ctx", "summary_type", "summary_use_proj", "summary_activation",
                      "summary_proj_to_labels", "summary_first_dropout", "gradient_checkpointing"])
            try Self.refuseCrossAttention(r)
            positionKind = .learned
            tieWordEmbeddings = try r.bool("tie_word_embeddings", default: true)
        default:  // xglm
            vocabSize = try r.int("vocab_size", in: ConfigLimits.vocabulary, default: 256_008)
            hiddenSize = try Self.aliased(r, "d_model", "hidden_size", ConfigLimits.hidden, default: 1024)
            numHiddenLayers = try Self.aliased(r, "num_layers", "num_hidden_layers", ConfigLimits.layers, default: 24)
            numAttentionHeads = try Self.aliased(r, "attention_heads", "num_attention_heads", ConfigLimits.heads, default: 16)
            maxPositionEmbeddings = try r.int("max_position_embeddings", in: ConfigLimits.positions, default: 2048)
            intermediateSize = try r.int("ffn_dim", in: ConfigLimits.intermediate, default: 4096)
            activation = try Self.classicActivation(r, "activation_function", default: "gelu")
            normEpsilon = 1e-5  // nn.LayerNorm's default; XGLM has no key for it
            scaleEmbedding = try r.bool("scale_embedding", default: true)
            r.accept(["activation_dropout", "layerdrop", "init_std"])
            try Self.refuseCrossAttention(r)
            positionKind = .sinusoidal
            tieWordEmbeddings = try r.bool("tie_word_embeddings", default: true)
        }
        numKeyValueHeads = numAttentionHeads
        guard hiddenSize % numAttentionHeads == 0 else {
            throw r.fail("hidden_size", .int(hiddenSize), "a multiple of the head count (\(numAttentionHeads))")
        }
        headDim = hiddenSize / numAttentionHeads
        layerTypes = Array(repeating: .fullAttention, count: numHiddenLayers)
        bosTokenID = try r.tokenIDs("bos_token_id").first
        eosTokenIDs = try r.tokenIDs("eos_token_id")
        // XGLM's sinusoidal table zeroes the row of pad_token_id (its class default is 1).
        let padDefault = modelType == "xglm" && r.object["pad_token_id"] == nil ? 1 : nil
        padTokenID = try r.tokenIDs("pad_token_id").first ?? padDefault
        dtype = try r.optionalString("dtype") ?? r.optionalString("torch_dtype")
        r.accept(ConfigKeyReader.inertKeys)
        _ = r.raw("model_type")
    }

    /// A size that transformers' `attribute_map` lets a file spell two ways; both given must agree.
    private static func aliased(_ r: ConfigKeyReader, _ key: String, _ alias: String, _ range: ClosedRange<Int>,
                                default fallback: Int) throws -> Int {
        let primary = try r.optionalInt(key, in: range), other = try r.optionalInt(alias, in: range)
        if let primary, let other, primary != other {
            throw r.fail(alias, .int(other), "\(primary), the value of \(key) (both are given)")
        }
        return primary ?? other ?? fallback
    }

    private static func classicActivation(_ r: ConfigKeyReader, _ key: String, default name: String) throws -> ModelConfig.Activation {
        let given = try r.optionalString(key) ?? name
        guard let activation = activationNamed(given, modelType: "") else {
            throw r.fail(key, .string(given), "one of silu, swish, gelu, gelu_pytorch_tanh, gelu_new, gelu_fast, relu")
        }
        return activation
    }

    private static func refuseCrossAttention(_ r: ConfigKeyReader) throws {
        if try r.bool("add_cross_attention", default: false) {
            throw r.fail("add_cross_attention", .bool(true), "false (lna runs decoder-only models)")
        }
    }
}
