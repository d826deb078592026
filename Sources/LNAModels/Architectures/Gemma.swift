extension Architecture {
    /// Gemma (1).
    ///
    /// Recipe: pre-norm RMSNorm computing x·(1 + w) · embeddings × √d · RoPE, rotate-half · multi-/grouped-query
    /// attention, 1/√head_dim · GELU-tanh gated MLP · tied output. llama.cpp's converter stores 1 + w in GGUF
    /// files (so nothing is added on load there).
    static let gemma = Architecture(
        name: "gemma", hfModelTypes: ["gemma"],
        configFromGGUF: { v, facts in
            var c = try DecoderKeys.gguf(v, facts, arch: "gemma") { headDim, epsilon in
                Gemma.recipe(epsilon: epsilon, residual: .preNorm, queryScale: Float(headDim), activation: .geluTanh)
            }
            c.embeddingScale = Gemma.embeddingScale(c)
            return c
        },
        configFromHF: { v in
            try Gemma.requireCausal(v)
            var c = try DecoderKeys.hf(v, arch: "gemma", tiedByDefault: true) { headDim, epsilon in
                Gemma.recipe(epsilon: epsilon, residual: .preNorm, queryScale: Float(headDim),
                             activation: try DecoderKeys.activation(v, default: .geluTanh))
            }
            c.embeddingScale = Gemma.embeddingScale(c)
            return c
        })
}

/// What the Gemma generations share.
enum Gemma {
    /// RMSNorm x·(1 + w), rotate-half RoPE, attention scaled by 1/√`queryScale`, a gated MLP.
    static func recipe(epsilon: Float, residual: BlockRecipe.Residual, queryScale: Float,
                       activation: BlockRecipe.Activation) -> BlockRecipe {
        BlockRecipe(norm: .rmsOnePlusWeight(epsilon: epsilon), residual: residual, positions: .rope(.neox),
                    attention: .init(scale: 1 / queryScale.squareRoot()), mlp: .gated(activation))
    }

    /// Refuses `use_bidirectional_attention: true` (Gemma's embedding variants): lna's attention is causal.
    static func requireCausal(_ v: ConfigValues) throws {
        if v.optionalBool("use_bidirectional_attention") == true {
            throw ModelError.invalidConfig(v.sourceName, "use_bidirectional_attention true is not supported (causal only)")
        }
    }

    /// Embeddings are multiplied by √d, rounded to float32 as transformers does.
    static func embeddingScale(_ c: ModelConfig) -> Float { Float(c.hiddenSize).squareRoot() }

    /// Tensor names of the Gemma 2/3 sandwich blocks in HF checkpoints: `pre_feedforward_layernorm` is the MLP
    /// input norm, `post_attention_layernorm` the norm of the attention output.
    static func sandwichHFName(_ role: WeightRole, _ layer: Int?) -> String {
        let p = "model.layers.\(layer ?? 0)"
        switch role {
        case .postAttentionNorm: return "\(p).post_attention_layernorm.weight"
        case .mlpNorm: return "\(p).pre_feedforward_layernorm.weight"
        case .postMLPNorm: return "\(p).post_feedforward_layernorm.weight"
        default: return HFNames.name(role, layer: layer)
        }
    }

    /// Sliding-window layers: `layer_types` when given, else every layer l with (l + 1) not a multiple of
    /// `pattern` (Gemma 2: 2, layers 0, 2, 4… slide; Gemma 3: 6).
    static func slidingLayers(_ v: ConfigValues, layers: Int, pattern: Int) throws -> [Bool] {
        if let types = try DecoderKeys.slidingLayers(v, layers: layers) { return types }
        return (0..<layers).map { ($0 + 1) % pattern != 0 }
    }
}
