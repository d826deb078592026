extension Architecture {
    /// OLMo 2.
    ///
    /// Recipe: no norm before the sublayers; an RMSNorm (gain w) after attention and after the MLP, before
    /// each residual add (`post_attention_layernorm`, `post_feedforward_layernorm`) · q and k RMSNormed over the
    /// whole projection (gains of heads·head_dim and kv_heads·head_dim) before RoPE, rotate-half · SwiGLU MLP.
    /// GGUF: `post_attention_norm`, `post_ffw_norm`, `attn_q_norm`, `attn_k_norm`, nothing permuted.
    static let olmo2 = Architecture(
        name: "olmo2", hfModelTypes: ["olmo2"],
        configFromGGUF: { v, facts in
            try DecoderKeys.gguf(v, facts, arch: "olmo2") { Olmo2.recipe(headDim: $0, epsilon: $1, bias: false) }
        },
        configFromHF: { v in
            try DecoderKeys.hf(v, arch: "olmo2", defaultEpsilon: 1e-5) { headDim, epsilon in
                var recipe = Olmo2.recipe(headDim: headDim, epsilon: epsilon, bias: v.optionalBool("attention_bias") ?? false)
                recipe.mlp = .gated(try DecoderKeys.activation(v, default: .silu))
                return recipe
            }
        })
}

enum Olmo2 {
    static func recipe(headDim: Int, epsilon: Float, bias: Bool) -> BlockRecipe {
        var recipe = DecoderKeys.llamaRecipe(headDim: headDim, epsilon: epsilon)
        recipe.residual = .postNorm
        recipe.attention.queryKeyNorm = .wholeProjection
        recipe.attention.queryKeyValueBias = bias
        recipe.attention.outputBias = bias
        return recipe
    }
}
