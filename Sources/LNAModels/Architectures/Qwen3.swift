extension Architecture {
    /// Qwen3 (dense).
    ///
    /// Recipe: the Llama recipe with an RMSNorm of each q and k head (one gain of head_dim shared by the heads)
    /// after the projections, before RoPE; q/k/v/o biases only with `attention_bias`. GGUF: `attn_q_norm`,
    /// `attn_k_norm`, rotate-half RoPE, nothing permuted.
    static let qwen3 = Architecture(
        name: "qwen3", hfModelTypes: ["qwen3"],
        configFromGGUF: { v, facts in
            try DecoderKeys.gguf(v, facts, arch: "qwen3") { Qwen3.recipe(headDim: $0, epsilon: $1, bias: false) }
        },
        configFromHF: { v in
            var c = try DecoderKeys.hf(v, arch: "qwen3") { headDim, epsilon in
                var recipe = Qwen3.recipe(headDim: headDim, epsilon: epsilon, bias: v.optionalBool("attention_bias") ?? false)
                recipe.mlp = .gated(try DecoderKeys.activation(v, default: .silu))
                return recipe
            }
            try Qwen.applyWindows(v, to: &c)
            return c
        })
}

enum Qwen3 {
    static func recipe(headDim: Int, epsilon: Float, bias: Bool) -> BlockRecipe {
        var recipe = DecoderKeys.llamaRecipe(headDim: headDim, epsilon: epsilon)
        recipe.attention.queryKeyNorm = .perHead
        recipe.attention.queryKeyValueBias = bias
        recipe.attention.outputBias = bias
        return recipe
    }
}
