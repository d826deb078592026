extension Architecture {
    /// Gemma 3 (text, and the language model of the multimodal checkpoints: `text_config`, tensors under
    /// `language_model.model.` or `model.language_model.`, the vision tower ignored by name).
    ///
    /// Recipe: sandwich RMSNorms x·(1 + w) · embeddings × √d · RoPE, rotate-half, on q and k after an RMSNorm
    /// of each head (gain of head_dim, 1 + w) · attention scaled by 1/√`query_pre_attn_scalar`; sliding-window
    /// layers with their own RoPE (`layer_types`/`sliding_window_pattern`, `rope_parameters`/
    /// `rope_local_base_freq`) · GELU-tanh gated MLP · tied output. GGUF metadata carries neither the local base
    /// nor the pattern: llama.cpp hard-codes 10000 and 5 local : 1 global, and scales queries by 1/√(d/heads)
    /// for the 27B (62 layers) instead of 1/√key_length.
    static let gemma3 = Architecture(
        name: "gemma3", hfModelTypes: ["gemma3_text"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "gemma3")
            let queryScale = c.layerCount == 62 ? Float(c.hiddenSize / c.headCount) : Float(c.headDim)
            c.block.attention.scale = 1 / queryScale.squareRoot()
            c.localRopeBase = 10_000
            c.slidingWindow = c.slidingWindow ?? 512
            c.slidingWindowLayers = (0..<c.layerCount).map { ($0 + 1) % 6 != 0 }
            c.block.mlp = .gated(.geluTanh)
            Gemma3.apply(to: &c)
            return c
        },
        configFromHF: { t, source in
            var c = try ModelConfig(transformers: t, architecture: "gemma3", source: source)
            Gemma3.apply(to: &c)
            return c
        },
        hfName: Gemma.sandwichHFName)
}

enum Gemma3 {
    static func apply(to c: inout ModelConfig) {
        Gemma.apply(to: &c, residual: .sandwich)
        c.block.attention.queryKeyNorm = .perHead
    }
}
