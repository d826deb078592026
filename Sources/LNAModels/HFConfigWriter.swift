import Foundation

/// Writes a Hugging Face `config.json` for a `ModelConfig`, the inverse of the architectures' `configFromHF`
/// (a round trip gives back the same configuration).
enum HFConfigWriter {
    static func json(_ c: ModelConfig, bosID: Int?, eosID: Int?, torchDType: String = "float32") throws -> Data {
        let recipe = c.block
        var object: [String: Any] = [
            "model_type": modelType(c), "architectures": [className(c)],
            "hidden_size": c.hiddenSize, "intermediate_size": c.intermediateSize,
            "num_hidden_layers": c.layerCount, "num_attention_heads": c.headCount,
            "num_key_value_heads": c.kvHeadCount, "head_dim": c.headDim,
            "rope_theta": c.ropeBase, "rms_norm_eps": Double(recipe.norm.epsilon),
            "vocab_size": c.vocabularySize, "tie_word_embeddings": c.tiedEmbeddings,
            "max_position_embeddings": c.contextLength, "torch_dtype": torchDType,
            "hidden_act": activationName(c.activation),
            "attention_bias": recipe.attention.outputBias,
        ]
        if let bosID { object["bos_token_id"] = bosID }
        if let eosID { object["eos_token_id"] = eosID }
        object["sliding_window"] = c.slidingWindow ?? NSNull()
        if c.slidingWindow != nil { object["layer_types"] = layerTypes(c) }
        switch c.architecture {
        case "qwen2", "qwen3":
            object["use_sliding_window"] = c.slidingWindow != nil
        case "gemma2", "gemma3":
            object["hidden_activation"] = activationName(c.activation)
            object["query_pre_attn_scalar"] = Double(1 / (recipe.attention.scale * recipe.attention.scale)).rounded()
            if c.architecture == "gemma3" {
                object["rope_local_base_freq"] = c.localRopeBase ?? 10_000
            } else {
                object["attn_logit_softcapping"] = recipe.attention.logitSoftcap.map { Double($0) } ?? NSNull()
                object["final_logit_softcapping"] = c.logits.softcap.map { Double($0) } ?? NSNull()
            }
        case "phi3":
            object["partial_rotary_factor"] = Double(c.rotaryDimension) / Double(c.headDim)
        case "cohere":
            object["layer_norm_eps"] = Double(recipe.norm.epsilon)
            object["logit_scale"] = c.logits.scale.map { Double($0) } ?? NSNull()
            object["use_qk_norm"] = recipe.attention.queryKeyNorm != nil
        default: break
        }
        if let s = c.ropeScaling {
            var scaling: [String: Any] = ["rope_type": s.kind.rawValue, "factor": s.factor]
            if s.kind == .llama3 {
                scaling["low_freq_factor"] = s.lowFrequencyFactor
                scaling["high_freq_factor"] = s.highFrequencyFactor
                scaling["original_max_position_embeddings"] = s.originalContextLength
            }
            object["rope_scaling"] = scaling
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    static func layerTypes(_ c: ModelConfig) -> [String] {
        c.slidingWindowLayers.map { $0 ? "sliding_attention" : "full_attention" }
    }

    static func activationName(_ a: BlockRecipe.Activation) -> String {
        switch a {
        case .silu: return "silu"
        case .geluTanh: return "gelu_pytorch_tanh"
        }
    }

    static func modelType(_ c: ModelConfig) -> String {
        c.architecture == "gemma3" ? "gemma3_text" : c.architecture
    }

    static func className(_ c: ModelConfig) -> String {
        switch c.architecture {
        case "llama": return "LlamaForCausalLM"
        case "mistral": return "MistralForCausalLM"
        case "qwen2": return "Qwen2ForCausalLM"
        case "qwen3": return "Qwen3ForCausalLM"
        case "gemma": return "GemmaForCausalLM"
        case "gemma2": return "Gemma2ForCausalLM"
        case "gemma3": return "Gemma3ForCausalLM"
        case "phi3": return "Phi3ForCausalLM"
        case "olmo2": return "Olmo2ForCausalLM"
        case "cohere": return "CohereForCausalLM"
        default: return "AutoModelForCausalLM"
        }
    }
}
