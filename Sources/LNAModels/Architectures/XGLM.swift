extension Architecture {
    /// XGLM (`xglm`).
    ///
    /// Recipe: token embedding × √d (`scale_embedding`) + fairseq sinusoidal position embedding (row p + 2; the
    /// row of `pad_token_id` is zero) · pre-norm LayerNorm with bias (ε 1e-5) · multi-head attention with q/k/v/o
    /// biases, 1/√head_dim · plain MLP `fc2(gelu(fc1(x)))` with biases (the neuron: element j of the GELU) · a
    /// final LayerNorm · tied output.
    static let xglm = Architecture(
        name: "xglm", hfModelTypes: ["xglm"],
        configFromGGUF: { m, _ in throw m.fail("general.architecture", .string("xglm"), "a Hugging Face folder (llama.cpp does not convert XGLM)") },
        configFromHF: { t, _ in
            ModelConfig(classic: t, architecture: "xglm", positions: .sinusoidal(offset: 2, zeroRow: t.padTokenID))
        },
        hfName: XGLM.hfName, readsGGUF: false)
}

enum XGLM {
    static func hfName(_ role: WeightRole, _ layer: Int?) -> String {
        let p = "model.layers.\(layer ?? 0)"
        switch role {
        case .attentionNorm: return "\(p).self_attn_layer_norm.weight"
        case .attentionNormBias: return "\(p).self_attn_layer_norm.bias"
        case .attentionOutput: return "\(p).self_attn.out_proj.weight"
        case .attentionOutputBias: return "\(p).self_attn.out_proj.bias"
        case .mlpNorm: return "\(p).final_layer_norm.weight"
        case .mlpNormBias: return "\(p).final_layer_norm.bias"
        case .up: return "\(p).fc1.weight"
        case .upBias: return "\(p).fc1.bias"
        case .down: return "\(p).fc2.weight"
        case .downBias: return "\(p).fc2.bias"
        case .finalNorm: return "model.layer_norm.weight"
        case .finalNormBias: return "model.layer_norm.bias"
        default: return HFNames.name(role, layer: layer)
        }
    }
}
