extension Architecture {
    /// Qwen2 / Qwen2.5: Llama with biases on the q, k and v projections; RoPE in the NEOX (rotate-half)
    /// layout in both GGUF and HF files, so nothing is permuted.
    static let qwen2 = Architecture(
        name: "qwen2", hfModelTypes: ["qwen2"],
        configFromGGUF: { v, facts in
            var c = try LlamaFamily.ggufConfig(v, facts, arch: "qwen2")
            c.attentionBias = true
            c.slidingWindow = nil  // Qwen2's use_sliding_window is off in released checkpoints
            c.slidingWindowLayers = Array(repeating: false, count: c.layerCount)
            return c
        },
        configFromHF: { v in
            var c = try LlamaFamily.hfConfig(v, arch: "qwen2")
            c.attentionBias = true
            if v.optionalBool("use_sliding_window") != true {
                c.slidingWindow = nil
                c.slidingWindowLayers = Array(repeating: false, count: c.layerCount)
            }
            return c
        },
        hfName: HFNames.name, ggufPermutesQueryKey: false, hfNormGainOffset: 0)
}
