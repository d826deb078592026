extension Architecture {
    /// BLOOM (`bloom`).
    ///
    /// Recipe: LayerNorm (with bias) of the embedding · pre-norm LayerNorm with bias · ALiBi (no positions in
    /// q or k; head h adds slope_h · (key − query position) to its scores) · multi-head attention with q, k, v
    /// stored as one `query_key_value` whose rows are head-major (head h: its q, then k, then v rows), q/k/v/o
    /// biases · plain MLP `dense_4h_to_h(gelu_tanh(dense_h_to_4h(x)))` with biases (the neuron: element j of the
    /// GELU, as LAPE records it) · tied output. Tensors under `transformer.` (or without it, as some releases
    /// store them). GGUF (`bloom`): `token_embd_norm`, `attn_qkv` reordered to q | k | v by llama.cpp, and the
    /// embedding written again as `output` (so the GGUF model is untied, with equal weights).
    static let bloom = Architecture(
        name: "bloom", hfModelTypes: ["bloom"],
        configFromGGUF: { m, facts in try PlainGGUF.config(m, facts, arch: "bloom", positions: .alibi, embeddingNorm: true) },
        configFromHF: { t, _ in ModelConfig(classic: t, architecture: "bloom", positions: .alibi) },
        hfName: Bloom.hfName, ggufName: PlainGGUF.ggufName, fusedRows: Bloom.fusedRows, ggufFusedRows: PlainGGUF.fusedRows)
}

enum Bloom {
    static func hfName(_ role: WeightRole, _ layer: Int?) -> String {
        let p = "transformer.h.\(layer ?? 0)"
        switch role {
        case .tokenEmbedding: return "transformer.word_embeddings.weight"
        case .embeddingNorm: return "transformer.word_embeddings_layernorm.weight"
        case .embeddingNormBias: return "transformer.word_embeddings_layernorm.bias"
        case .attentionNorm: return "\(p).input_layernorm.weight"
        case .attentionNormBias: return "\(p).input_layernorm.bias"
        case .query, .key, .value: return "\(p).self_attention.query_key_value.weight"
        case .queryBias, .keyBias, .valueBias: return "\(p).self_attention.query_key_value.bias"
        case .attentionOutput: return "\(p).self_attention.dense.weight"
        case .attentionOutputBias: return "\(p).self_attention.dense.bias"
        case .mlpNorm: return "\(p).post_attention_layernorm.weight"
        case .mlpNormBias: return "\(p).post_attention_layernorm.bias"
        case .up: return "\(p).mlp.dense_h_to_4h.weight"
        case .upBias: return "\(p).mlp.dense_h_to_4h.bias"
        case .down: return "\(p).mlp.dense_4h_to_h.weight"
        case .downBias: return "\(p).mlp.dense_4h_to_h.bias"
        case .finalNorm: return "transformer.ln_f.weight"
        case .finalNormBias: return "transformer.ln_f.bias"
        default: return HFNames.name(role, layer: layer)
        }
    }

    /// `query_key_value` is `[heads, 3, head_dim]` rows: head h's q rows are 3·h·hd ..< (3h + 1)·hd, and so on.
    static func fusedRows(_ role: WeightRole, _ c: ModelConfig) -> FusedRows? {
        let part: Int
        switch role {
        case .query, .queryBias: part = 0
        case .key, .keyBias: part = 1
        case .value, .valueBias: part = 2
        default: return nil
        }
        let hd = c.headDim
        return FusedRows(ranges: (0..<c.headCount).map { h in ((3 * h + part) * hd)..<((3 * h + part + 1) * hd) },
                         totalRows: 3 * c.headCount * hd)
    }
}
