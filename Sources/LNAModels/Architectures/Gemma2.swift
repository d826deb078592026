extension Architecture {
    /// Gemma 2.
    ///
    /// Recipe: sandwich RMSNorms x·(1 + w) (before and after attention and MLP) · embeddings × √d · RoPE,
    /// rotate-half · attention scaled by 1/√`query_pre_attn_scalar`, scores soft-capped
    /// (`attn_logit_softcapping`), sliding window on every other layer from layer 0 (or as `layer_types` says) ·
    /// GELU-tanh gated MLP · tied output, logits soft-capped (`final_logit_softcapping`). A softcap set to null
    /// turns it off.
    ///
    /// GGUF: `gemma2.attn_logit_softcapping`, `gemma2.final_logit_softcapping` (required: llama.cpp would
    /// otherwise use its defaults), `gemma2.attention.sliding_window`; the query scale is not in the metadata:
    /// llama.cpp uses 1/√head_dim, and 1/√(d/heads) for the 46-layer 27B model, and so does lna.
    static let gemma2 = Architecture(
        name: "gemma2", hfModelTypes: ["gemma2"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "gemma2")
            if c.layerCount == 46 { c.block.attention.scale = 1 / Float(c.hiddenSize / c.headCount).squareRoot() }
            c.block.attention.logitSoftcap = Float(try m.double("attn_logit_softcapping", in: 1e-3...1e6))
            c.logits.softcap = Float(try m.double("final_logit_softcapping", in: 1e-3...1e6))
            c.slidingWindow = try m.int("attention.sliding_window", in: ConfigLimits.window)
            c.slidingWindowLayers = (0..<c.layerCount).map { ($0 + 1) % 2 != 0 }
            c.block.mlp = .gated(.geluTanh)
            Gemma.apply(to: &c, residual: .sandwich)
            return c
        },
        configFromHF: { t, source in
            var c = try ModelConfig(transformers: t, architecture: "gemma2", source: source)
            Gemma.apply(to: &c, residual: .sandwich)
            return c
        },
        hfName: Gemma.sandwichHFName)
}
