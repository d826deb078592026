extension Architecture {
    /// OLMo 2.
    ///
    /// Recipe: no norm before the sublayers; an RMSNorm (gain w) after attention and after the MLP, before
    /// each residual add (`post_attention_layernorm`, `post_feedforward_layernorm`) · q and k RMSNormed over the
    /// whole projection (gains of heads·head_dim and kv_heads·head_dim) before RoPE, rotate-half · SwiGLU MLP.
    /// GGUF: `post_attention_norm`, `post_ffw_norm`, `attn_q_norm`, `attn_k_norm`, nothing permuted.
    static let olmo2 = Architecture(
        name: "olmo2", hfModelTypes: ["olmo2"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "olmo2")
            Olmo2.apply(to: &c)
            return c
        },
        configFromHF: { t, source in
            var c = try ModelConfig(transformers: t, architecture: "olmo2", source: source)
            Olmo2.apply(to: &c)
            return c
        })
}

enum Olmo2 {
    static func apply(to c: inout ModelConfig) {
        c.block.residual = .postNorm
        c.block.attention.queryKeyNorm = .wholeProjection
    }
}
