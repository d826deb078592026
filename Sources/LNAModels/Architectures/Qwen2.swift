extension Architecture {
    /// Qwen2 / Qwen2.5.
    ///
    /// Recipe: the Llama recipe with biases on the q, k and v projections (not o). RoPE pairs rotate-half in
    /// both GGUF and HF files, so nothing is permuted. Sliding windows only with `use_sliding_window` (off in
    /// released checkpoints), on the layers from `max_window_layers` on or as `layer_types` says.
    static let qwen2 = Architecture(
        name: "qwen2", hfModelTypes: ["qwen2"],
        configFromGGUF: { v, facts in
            var c = try DecoderKeys.gguf(v, facts, arch: "qwen2") { headDim, epsilon in
                var recipe = DecoderKeys.llamaRecipe(headDim: headDim, epsilon: epsilon)
                recipe.attention.queryKeyValueBias = true
                return recipe
            }
            c.slidingWindow = nil  // Qwen2's use_sliding_window is off in released checkpoints
            c.slidingWindowLayers = Array(repeating: false, count: c.layerCount)
            return c
        },
        configFromHF: { v in
            var c = try DecoderKeys.hf(v, arch: "qwen2") { headDim, epsilon in
                var recipe = DecoderKeys.llamaRecipe(headDim: headDim, epsilon: epsilon,
                                                     activation: try DecoderKeys.activation(v, default: .silu))
                recipe.attention.queryKeyValueBias = true
                return recipe
            }
            try Qwen.applyWindows(v, to: &c)
            return c
        })
}

/// What Qwen2 and Qwen3 configurations share.
enum Qwen {
    /// Sliding windows as transformers sets them: none without `use_sliding_window` (the window is dropped
    /// even where `layer_types` says sliding); else `layer_types` when given, else the layers from
    /// `max_window_layers` on.
    static func applyWindows(_ v: ConfigValues, to c: inout ModelConfig) throws {
        var layers = Array(repeating: false, count: c.layerCount)
        if v.optionalBool("use_sliding_window") == true, c.slidingWindow != nil {
            if let types = try DecoderKeys.slidingLayers(v, layers: c.layerCount) {
                layers = types
            } else {
                let first = v.optionalInt("max_window_layers") ?? 28
                layers = (0..<c.layerCount).map { $0 >= first }
            }
        }
        c.slidingWindowLayers = layers
        if !layers.contains(true) { c.slidingWindow = nil }
    }
}
