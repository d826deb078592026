extension Architecture {
    /// Cohere Command-R / Aya 23 / Aya Expanse (`cohere`; llama.cpp: `command-r`).
    ///
    /// Recipe: parallel block, x += A(N(x)) + M(N(x)) with one LayerNorm (mean-centred, gain w, no bias,
    /// `layer_norm_eps`) · RoPE on interleaved pairs (2i, 2i + 1) · attention 1/√head_dim, q/k/v/o biases with
    /// `attention_bias`, with `use_qk_norm` a LayerNorm of each q and k head with a gain per head
    /// (`[heads, head_dim]`) · SwiGLU MLP · tied output, logits × `logit_scale`. GGUF keys
    /// `command-r.logit_scale`, `command-r.attention.layer_norm_epsilon`; q/k norms when the file has
    /// `attn_q_norm` tensors; the converter leaves q/k rows as they are (llama.cpp's RoPE for command-r is the
    /// interleaved one).
    static let cohere = Architecture(
        name: "cohere", hfModelTypes: ["cohere"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "cohere", epsilonKey: "attention.layer_norm_epsilon")
            c.logits.scale = Float(try m.double("logit_scale", in: 1e-6...1e6))
            Cohere.apply(to: &c, queryKeyNorm: facts.tensorNames.contains("blk.0.attn_q_norm.weight"))
            return c
        },
        configFromHF: { t, source in
            var c = try ModelConfig(transformers: t, architecture: "cohere", source: source)
            Cohere.apply(to: &c, queryKeyNorm: t.useQKNorm)
            return c
        },
        otherGGUFNames: ["command-r"])
}

enum Cohere {
    static func apply(to c: inout ModelConfig, queryKeyNorm: Bool) {
        c.block.norm = .layer(epsilon: c.block.norm.epsilon, bias: false)
        c.block.residual = .parallel
        if case let .rope(rope) = c.block.positions {
            c.block.positions = .rope(.init(pairing: .interleaved, rotaryDimension: rope.rotaryDimension))
        }
        c.block.attention.queryKeyNorm = queryKeyNorm ? .perHeadOwnGain : nil
    }
}
