extension Architecture {
    /// Gemma 3 (text; also the language model of the multimodal checkpoints, whose `text_config` is read).
    ///
    /// Multimodal checkpoints (`Gemma3ForConditionalGeneration`, the released 4B/12B/27B) load their language
    /// model: `text_config`, tensors under `language_model.`, the vision tower ignored.
    ///
    /// Recipe: sandwich RMSNorms x·(1 + w) · embeddings × √d · RoPE, rotate-half, on q and k after an RMSNorm
    /// of each head (gain of head_dim, 1 + w) · attention scaled by 1/√`query_pre_attn_scalar`; 5 sliding-window
    /// layers (RoPE base `rope_local_base_freq`, 10000, no scaling) for every global layer (or as `layer_types`
    /// says) · GELU-tanh gated MLP · tied output. The local base and the 5:1 pattern are not in GGUF metadata;
    /// they are Gemma 3 constants there.
    static let gemma3 = Architecture(
        name: "gemma3", hfModelTypes: ["gemma3", "gemma3_text"],
        configFromGGUF: { v, facts in
            var c = try DecoderKeys.gguf(v, facts, arch: "gemma3") { headDim, epsilon in
                Gemma3.recipe(epsilon: epsilon, queryScale: Float(headDim), activation: .geluTanh)
            }
            c.localRopeBase = 10_000
            c.slidingWindow = v.optionalInt("gemma3.attention.sliding_window") ?? 512
            c.slidingWindowLayers = (0..<c.layerCount).map { ($0 + 1) % 6 != 0 }
            c.embeddingScale = Gemma.embeddingScale(c)
            return c
        },
        configFromHF: { v in
            try Gemma.requireCausal(v)
            var c = try DecoderKeys.hf(v, arch: "gemma3", tiedByDefault: true) { headDim, epsilon in
                Gemma3.recipe(epsilon: epsilon,
                              queryScale: Float(v.optionalDouble("query_pre_attn_scalar") ?? Double(headDim)),
                              activation: try DecoderKeys.activation(v, key: "hidden_activation", default: .geluTanh))
            }
            // transformers 5 writes RoPE per layer type; local layers may only use the plain (default) kind.
            if let global = v.optionalDouble("rope_parameters.full_attention.rope_theta") { c.ropeBase = global }
            if let scaling = try RopeScaling.fromHF(v, prefixes: ["rope_parameters.full_attention."]) { c.ropeScaling = scaling }
            if let local = v.optionalString("rope_parameters.sliding_attention.rope_type"), local != "default" {
                throw ModelError.invalidConfig(v.sourceName, "rope_parameters.sliding_attention.rope_type '\(local)' is not supported (default)")
            }
            c.localRopeBase = v.optionalDouble("rope_local_base_freq")
                ?? v.optionalDouble("rope_parameters.sliding_attention.rope_theta") ?? 10_000
            c.slidingWindow = v.optionalInt("sliding_window") ?? 512
            c.slidingWindowLayers = try Gemma.slidingLayers(v, layers: c.layerCount,
                                                            pattern: v.optionalInt("sliding_window_pattern") ?? 6)
            c.embeddingScale = Gemma.embeddingScale(c)
            return c
        },
        hfName: Gemma.sandwichHFName,
        multimodal: MultimodalLayout(prefix: "language_model.", otherParts: ["vision_tower.", "multi_modal_projector."]))
}

enum Gemma3 {
    static func recipe(epsilon: Float, queryScale: Float, activation: BlockRecipe.Activation) -> BlockRecipe {
        var recipe = Gemma.recipe(epsilon: epsilon, residual: .sandwich, queryScale: queryScale, activation: activation)
        recipe.attention.queryKeyNorm = .perHead
        return recipe
    }
}
