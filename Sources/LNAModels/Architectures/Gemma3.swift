extension Architecture {
    /// Gemma 3 (text): GELU-tanh gated MLP, RMSNorm on q and k per head, four norms per block
    /// (pre/post attention, pre/post MLP), embeddings scaled by √d, tied output, and 5 sliding-window
    /// layers (RoPE base 10000, window 512) for every global layer. The local base and the 5:1 pattern are not
    /// in GGUF metadata; they are Gemma 3 constants (HF: `rope_local_base_freq`, `sliding_window_pattern`).
    static let gemma3 = Architecture(
        name: "gemma3", hfModelTypes: ["gemma3", "gemma3_text"],
        configFromGGUF: { v, facts in
            var c = try LlamaFamily.ggufConfig(v, facts, arch: "gemma3")
            let keyLength = v.optionalInt("gemma3.attention.key_length") ?? c.headDim
            Gemma3.apply(to: &c, pattern: 6, localBase: 10_000, queryScale: Float(keyLength),
                         window: v.optionalInt("gemma3.attention.sliding_window") ?? 512)
            return c
        },
        configFromHF: { v in
            var c = try LlamaFamily.hfConfig(v, arch: "gemma3")
            c.tiedEmbeddings = v.optionalBool("tie_word_embeddings") ?? true
            Gemma3.apply(to: &c, pattern: v.optionalInt("sliding_window_pattern") ?? 6,
                         localBase: v.optionalDouble("rope_local_base_freq") ?? 10_000,
                         queryScale: Float(v.optionalDouble("query_pre_attn_scalar") ?? Double(c.headDim)),
                         window: v.optionalInt("sliding_window") ?? 512)
            return c
        },
        hfName: Gemma3.hfName, ggufPermutesQueryKey: false, hfNormGainOffset: 1)
}

enum Gemma3 {
    static func apply(to c: inout ModelConfig, pattern: Int, localBase: Double, queryScale: Float, window: Int) {
        c.architecture = "gemma3"
        c.qkNorm = true
        c.sandwichNorms = true
        c.activation = .geluTanh
        c.embeddingScale = Float(c.hiddenSize).squareRoot()
        c.attentionScale = 1 / queryScale.squareRoot()
        c.localRopeBase = localBase
        c.slidingWindow = window
        // Layer l is global when (l + 1) is a multiple of the pattern length: layers 5, 11, 17 of 18.
        c.slidingWindowLayers = (0..<c.layerCount).map { ($0 + 1) % pattern != 0 }
    }

    static func hfName(_ role: WeightRole, _ layer: Int?) -> String {
        let p = "model.layers.\(layer ?? 0)"
        switch role {
        case .postAttentionNorm: return "\(p).post_attention_layernorm.weight"
        case .mlpNorm: return "\(p).pre_feedforward_layernorm.weight"
        case .postMLPNorm: return "\(p).post_feedforward_layernorm.weight"
        default: return HFNames.name(role, layer: layer)
        }
    }
}
