extension Architecture {
    /// Qwen2 / Qwen2.5.
    ///
    /// Recipe: the Llama recipe with biases on the q, k and v projections (not o). RoPE pairs rotate-half in
    /// both GGUF and HF files, so nothing is permuted. Sliding windows follow `use_sliding_window` /
    /// `max_window_layers` / `layer_types` (off in released checkpoints).
    static let qwen2 = Architecture(
        name: "qwen2", hfModelTypes: ["qwen2"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "qwen2")
            c.block.attention.queryKeyValueBias = true
            // llama.cpp's qwen2 graph runs full attention whatever a converter wrote (use_sliding_window is
            // off in released checkpoints), so lna does the same.
            c.slidingWindow = nil
            c.slidingWindowLayers = Array(repeating: false, count: c.layerCount)
            return c
        },
        configFromHF: { t, source in
            // transformers' Qwen2 has q/k/v biases always (no attention_bias key).
            var c = try ModelConfig(transformers: t, architecture: "qwen2", source: source)
            c.block.attention.queryKeyValueBias = true
            return c
        })
}
