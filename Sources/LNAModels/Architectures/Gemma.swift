extension Architecture {
    /// Gemma (1).
    ///
    /// Recipe: pre-norm RMSNorm computing x·(1 + w) · embeddings × √d · RoPE, rotate-half · multi-/grouped-query
    /// attention, 1/√head_dim · GELU-tanh gated MLP · tied output. llama.cpp's converter stores 1 + w in GGUF
    /// files (so nothing is added on load there).
    static let gemma = Architecture(
        name: "gemma", hfModelTypes: ["gemma"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "gemma")
            c.block.mlp = .gated(.geluTanh)
            Gemma.apply(to: &c, residual: .preNorm)
            return c
        },
        configFromHF: { t, source in
            var c = try ModelConfig(transformers: t, architecture: "gemma", source: source)
            Gemma.apply(to: &c, residual: .preNorm)
            return c
        })
}

/// What the Gemma generations share.
enum Gemma {
    /// RMSNorm x·(1 + w) in the given topology, embeddings × √d (rounded to float32 as transformers does).
    static func apply(to c: inout ModelConfig, residual: BlockRecipe.Residual) {
        c.block.norm = .rmsOnePlusWeight(epsilon: c.block.norm.epsilon)
        c.block.residual = residual
        c.embeddingScale = Float(c.hiddenSize).squareRoot()
    }

    /// Tensor names of the Gemma 2/3 sandwich blocks in HF checkpoints: `pre_feedforward_layernorm` is the MLP
    /// input norm, `post_attention_layernorm` the norm of the attention output.
    static func sandwichHFName(_ role: WeightRole, _ layer: Int?) -> String {
        let p = "model.layers.\(layer ?? 0)"
        switch role {
        case .postAttentionNorm: return "\(p).post_attention_layernorm.weight"
        case .mlpNorm: return "\(p).pre_feedforward_layernorm.weight"
        case .postMLPNorm: return "\(p).post_feedforward_layernorm.weight"
        default: return HFNames.name(role, layer: layer)
        }
    }
}
