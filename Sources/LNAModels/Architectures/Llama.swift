extension Architecture {
    /// Llama 2/3, SmolLM2 and other Llama-shaped models.
    ///
    /// Recipe: pre-norm RMSNorm (gain w) · RoPE, rotate-half pairs · grouped-query attention, 1/√head_dim,
    /// q/k/v/o biases when `attention_bias` · SwiGLU MLP (`hidden_act`). llama.cpp's converter permutes the q/k
    /// rows for its interleaved RoPE; loading undoes it.
    static let llama = Architecture(
        name: "llama", hfModelTypes: ["llama"],
        configFromGGUF: { v, facts in
            try DecoderKeys.gguf(v, facts, arch: "llama") { DecoderKeys.llamaRecipe(headDim: $0, epsilon: $1) }
        },
        configFromHF: { v in try Llama.hfConfig(v, arch: "llama") },
        ggufPermutesQueryKey: true)
}

/// Hugging Face decoding of the Llama recipe, shared by llama and mistral.
enum Llama {
    static func hfConfig(_ v: ConfigValues, arch: String) throws -> ModelConfig {
        if v.optionalBool("mlp_bias") == true {
            throw ModelError.invalidConfig(v.sourceName, "mlp_bias true is not supported")
        }
        return try DecoderKeys.hf(v, arch: arch) { headDim, epsilon in
            var recipe = DecoderKeys.llamaRecipe(headDim: headDim, epsilon: epsilon,
                                                 activation: try DecoderKeys.activation(v, default: .silu))
            let bias = v.optionalBool("attention_bias") ?? false
            recipe.attention.queryKeyValueBias = bias
            recipe.attention.outputBias = bias
            return recipe
        }
    }
}
