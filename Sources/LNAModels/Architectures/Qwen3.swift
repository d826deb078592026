extension Architecture {
    /// Qwen3 (dense).
    ///
    /// Recipe: the Llama recipe with an RMSNorm of each q and k head (one gain of head_dim shared by the heads)
    /// after the projections, before RoPE; q/k/v/o biases only with `attention_bias`. GGUF: `attn_q_norm`,
    /// `attn_k_norm`, rotate-half RoPE, nothing permuted.
    static let qwen3 = Architecture(
        name: "qwen3", hfModelTypes: ["qwen3"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "qwen3")
            c.block.attention.queryKeyNorm = .perHead
            return c
        },
        configFromHF: { t, source in
            var c = try ModelConfig(transformers: t, architecture: "qwen3", source: source)
            c.block.attention.queryKeyNorm = .perHead
            return c
        })
}
