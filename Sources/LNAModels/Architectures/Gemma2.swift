extension Architecture {
    /// Gemma 2.
    ///
    /// Recipe: sandwich RMSNorms x·(1 + w) (before and after attention and MLP) · embeddings × √d · RoPE,
    /// rotate-half · attention scaled by 1/√`query_pre_attn_scalar`, scores soft-capped
    /// (`attn_logit_softcapping`, 50), sliding window (`sliding_window`) on every other layer from layer 0
    /// (or as `layer_types` says) · GELU-tanh gated MLP · tied output, logits soft-capped
    /// (`final_logit_softcapping`, 30). A softcap key set to null turns it off.
    ///
    /// GGUF: `gemma2.attn_logit_softcapping`, `gemma2.final_logit_softcapping`, `gemma2.attention.sliding_window`
    /// (required: llama.cpp would otherwise use its defaults); the query scale is not in the metadata: llama.cpp
    /// uses 1/√head_dim, and 1/√(d/heads) for the 46-layer 27B model, and so does lna.
    static let gemma2 = Architecture(
        name: "gemma2", hfModelTypes: ["gemma2"],
        configFromGGUF: { v, facts in
            var c = try DecoderKeys.gguf(v, facts, arch: "gemma2") { headDim, epsilon in
                Gemma.recipe(epsilon: epsilon, residual: .sandwich, queryScale: Float(headDim), activation: .geluTanh)
            }
            if c.layerCount == 46 { c.block.attention.scale = 1 / Float(c.hiddenSize / c.headCount).squareRoot() }
            c.block.attention.logitSoftcap = Float(try v.double("gemma2.attn_logit_softcapping"))
            c.logits.softcap = Float(try v.double("gemma2.final_logit_softcapping"))
            c.slidingWindow = try v.int("gemma2.attention.sliding_window")
            c.slidingWindowLayers = (0..<c.layerCount).map { ($0 + 1) % 2 != 0 }
            c.embeddingScale = Gemma.embeddingScale(c)
            return c
        },
        configFromHF: { v in
            try Gemma.requireCausal(v)
            var c = try DecoderKeys.hf(v, arch: "gemma2", tiedByDefault: true) { headDim, epsilon in
                Gemma.recipe(epsilon: epsilon, residual: .sandwich,
                             queryScale: Float(v.optionalDouble("query_pre_attn_scalar") ?? 256),
                             activation: try DecoderKeys.activation(v, key: "hidden_activation", default: .geluTanh))
            }
            c.block.attention.logitSoftcap = v.optionalDouble("attn_logit_softcapping", absentMeans: 50).map(Float.init)
            c.logits.softcap = v.optionalDouble("final_logit_softcapping", absentMeans: 30).map(Float.init)
            c.slidingWindow = v.isPresent("sliding_window") ? v.optionalInt("sliding_window") : 4096
            c.slidingWindowLayers = c.slidingWindow == nil ? Array(repeating: false, count: c.layerCount)
                : try Gemma.slidingLayers(v, layers: c.layerCount, pattern: 2)
            c.embeddingScale = Gemma.embeddingScale(c)
            return c
        },
        hfName: Gemma.sandwichHFName)
}
