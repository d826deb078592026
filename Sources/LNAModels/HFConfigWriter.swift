import Foundation

/// Writes a Hugging Face `config.json` for a `ModelConfig`, the inverse of the architectures' `configFromHF`
/// (a round trip gives back the same configuration).
enum HFConfigWriter {
    static func json(_ c: ModelConfig, bosID: Int?, eosID: Int?, torchDType: String = "float32") throws -> Data {
        var object: [String: Any] = [
            "model_type": modelType(c), "architectures": [className(c)],
            "hidden_size": c.hiddenSize, "intermediate_size": c.intermediateSize,
            "num_hidden_layers": c.layerCount, "num_attention_heads": c.headCount,
            "num_key_value_heads": c.kvHeadCount, "head_dim": c.headDim,
            "rope_theta": c.ropeBase, "rms_norm_eps": Double(c.rmsNormEpsilon),
            "vocab_size": c.vocabularySize, "tie_word_embeddings": c.tiedEmbeddings,
            "max_position_embeddings": c.contextLength, "torch_dtype": torchDType,
            "hidden_act": c.activation == .silu ? "silu" : "gelu_pytorch_tanh",
            "attention_bias": c.attentionBias,
        ]
        if let bosID { object["bos_token_id"] = bosID }
        if let eosID { object["eos_token_id"] = eosID }
        object["sliding_window"] = c.slidingWindow ?? NSNull()
        if c.architecture == "gemma3" {
            object["hidden_activation"] = "gelu_pytorch_tanh"
            object["rope_local_base_freq"] = c.localRopeBase ?? 10_000
            object["query_pre_attn_scalar"] = Double(1 / (c.attentionScale * c.attentionScale)).rounded()
            let firstGlobal = c.slidingWindowLayers.firstIndex(of: false).map { $0 + 1 } ?? (c.layerCount + 1)
            object["sliding_window_pattern"] = firstGlobal
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

    static func modelType(_ c: ModelConfig) -> String {
        c.architecture == "gemma3" ? "gemma3_text" : c.architecture
    }

    static func className(_ c: ModelConfig) -> String {
        switch c.architecture {
        case "llama": return "LlamaForCausalLM"
        case "mistral": return "MistralForCausalLM"
        case "qwen2": return "Qwen2ForCausalLM"
        case "gemma3": return "Gemma3ForCausalLM"
        default: return "AutoModelForCausalLM"
        }
    }
}
