extension Architecture {
    /// Cohere Command-R / Aya 23 / Aya Expanse (`cohere`; llama.cpp: `command-r`).
    ///
    /// Recipe: parallel block, x += A(N(x)) + M(N(x)) with one LayerNorm (mean-centred, gain w, no bias,
    /// `layer_norm_eps`) · RoPE on interleaved pairs (2i, 2i + 1) · attention 1/√head_dim, q/k/v/o biases with
    /// `attention_bias`, with `use_qk_norm` a LayerNorm of each q and k head with a gain per head
    /// (`[heads, head_dim]`) · SwiGLU MLP · tied output, logits × `logit_scale` (0.0625). GGUF keys
    /// `command-r.logit_scale`, `command-r.attention.layer_norm_epsilon`; q/k norms when the file has
    /// `attn_q_norm` tensors; the converter leaves q/k rows as they are (llama.cpp's RoPE for command-r is
    /// the interleaved one).
    static let cohere = Architecture(
        name: "cohere", hfModelTypes: ["cohere"],
        configFromGGUF: { v, facts in
            var c = try DecoderKeys.gguf(v, facts, arch: "cohere", keyPrefix: "command-r",
                                         epsilonKey: "attention.layer_norm_epsilon") { headDim, epsilon in
                Cohere.recipe(headDim: headDim, epsilon: epsilon, bias: false,
                              queryKeyNorm: facts.tensorNames.contains("blk.0.attn_q_norm.weight"))
            }
            c.logits.scale = Float(try v.double("command-r.logit_scale"))
            return c
        },
        configFromHF: { v in
            var c = try DecoderKeys.hf(v, arch: "cohere", tiedByDefault: true, epsilonKey: "layer_norm_eps",
                                       defaultEpsilon: 1e-5) { headDim, epsilon in
                var recipe = Cohere.recipe(headDim: headDim, epsilon: epsilon,
                                           bias: v.optionalBool("attention_bias") ?? false,
                                           queryKeyNorm: v.optionalBool("use_qk_norm") ?? false)
                recipe.mlp = .gated(try DecoderKeys.activation(v, default: .silu))
                return recipe
            }
            c.logits.scale = v.optionalDouble("logit_scale", absentMeans: 0.0625).map(Float.init)
            return c
        },
        otherGGUFNames: ["command-r"])
}

enum Cohere {
    static func recipe(headDim: Int, epsilon: Float, bias: Bool, queryKeyNorm: Bool) -> BlockRecipe {
        BlockRecipe(norm: .layer(epsilon: epsilon, bias: false), residual: .parallel, positions: .rope(.interleaved),
                    attention: .init(scale: 1 / Float(headDim).squareRoot(), queryKeyValueBias: bias, outputBias: bias,
                                     queryKeyNorm: queryKeyNorm ? .perHeadOwnGain : nil),
                    mlp: .gated(.silu))
    }
}
