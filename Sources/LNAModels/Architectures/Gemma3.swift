extension Architecture {
    /// Gemma 3 (text, and the language model of the multimodal checkpoints): GELU-tanh gated MLP, RMSNorm on q
    /// and k per head, four norms per block (pre/post attention, pre/post MLP), embeddings scaled by √d, tied
    /// output, sliding-window layers with their own RoPE base. From config.json the layer kinds, window and both
    /// RoPEs come from `layer_types`/`sliding_window_pattern`, `rope_parameters`/`rope_local_base_freq`. GGUF
    /// metadata carries neither the local base nor the pattern: llama.cpp hard-codes 10000 and 5 local : 1
    /// global, and scales queries by 1/√(d/heads) for the 27B (62 layers) instead of 1/√key_length.
    static let gemma3 = Architecture(
        name: "gemma3", hfModelTypes: ["gemma3_text"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "gemma3")
            let queryScale = c.layerCount == 62 ? Float(c.hiddenSize / c.headCount) : Float(c.headDim)
            c.attentionScale = 1 / queryScale.squareRoot()
            c.localRopeBase = 10_000
            c.slidingWindow = c.slidingWindow ?? 512
            c.slidingWindowLayers = (0..<c.layerCount).map { ($0 + 1) % 6 != 0 }
            c.activation = .geluTanh
            Gemma3.applyBlock(to: &c)
            return c
        },
        configFromHF: { t, source in
            var c = try ModelConfig(transformers: t, architecture: "gemma3", source: source)
            Gemma3.applyBlock(to: &c)
            return c
        },
        hfName: Gemma3.hfName, ggufPermutesQueryKey: false, hfNormGainOffset: 1)
}

enum Gemma3 {
    /// The block recipe's flags (not configurable in either file format).
    static func applyBlock(to c: inout ModelConfig) {
        c.architecture = "gemma3"
        c.qkNorm = true
        c.sandwichNorms = true
        c.embeddingScale = Float(c.hiddenSize).squareRoot()
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
