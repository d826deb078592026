extension Architecture {
    /// GPT-2 and GPT-2-style models such as mGPT (`gpt2`).
    ///
    /// Recipe: token embedding + learned position embedding (`wpe`) · pre-norm LayerNorm with bias · multi-head
    /// attention (1/√head_dim with `scale_attn_weights`, else 1) with q, k, v as the column thirds of one
    /// `c_attn` · plain MLP `c_proj(gelu_new(c_fc(x)))` with biases (the neuron: element j of the GELU) · tied
    /// output. Every matrix is a `Conv1D` stored `[inputs, outputs]`: loading transposes it. Tensors under
    /// `transformer.` (or without it, as the original checkpoints store them). GGUF (`gpt2`): `position_embd`,
    /// `attn_qkv` (q | k | v, already `[outputs, inputs]`).
    static let gpt2 = Architecture(
        name: "gpt2", hfModelTypes: ["gpt2"],
        configFromGGUF: { m, facts in try PlainGGUF.config(m, facts, arch: "gpt2", positions: .learned, embeddingNorm: false) },
        configFromHF: { t, _ in ModelConfig(classic: t, architecture: "gpt2", positions: .learned) },
        hfName: GPT2.hfName, ggufName: PlainGGUF.ggufName, fusedRows: PlainGGUF.fusedRows, hfStoresTransposed: GPT2.isConv1D)
    // `c_attn` (transposed to `[3d, d]`) splits into q | k | v like GGUF's `attn_qkv`: one row split serves both.
}

enum GPT2 {
    static func hfName(_ role: WeightRole, _ layer: Int?) -> String {
        let p = "transformer.h.\(layer ?? 0)"
        switch role {
        case .tokenEmbedding: return "transformer.wte.weight"
        case .positionEmbedding: return "transformer.wpe.weight"
        case .attentionNorm: return "\(p).ln_1.weight"
        case .attentionNormBias: return "\(p).ln_1.bias"
        case .query, .key, .value: return "\(p).attn.c_attn.weight"
        case .queryBias, .keyBias, .valueBias: return "\(p).attn.c_attn.bias"
        case .attentionOutput: return "\(p).attn.c_proj.weight"
        case .attentionOutputBias: return "\(p).attn.c_proj.bias"
        case .mlpNorm: return "\(p).ln_2.weight"
        case .mlpNormBias: return "\(p).ln_2.bias"
        case .up: return "\(p).mlp.c_fc.weight"
        case .upBias: return "\(p).mlp.c_fc.bias"
        case .down: return "\(p).mlp.c_proj.weight"
        case .downBias: return "\(p).mlp.c_proj.bias"
        case .finalNorm: return "transformer.ln_f.weight"
        case .finalNormBias: return "transformer.ln_f.bias"
        default: return HFNames.name(role, layer: layer)
        }
    }

    static func isConv1D(_ role: WeightRole) -> Bool {
        switch role {
        case .query, .key, .value, .attentionOutput, .up, .down: return true
        default: return false
        }
    }
}
