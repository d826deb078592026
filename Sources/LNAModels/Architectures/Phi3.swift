extension Architecture {
    /// Phi-3 / Phi-3.5 / Phi-4-mini (dense).
    ///
    /// Recipe: the Llama recipe with q, k and v stored as one `qkv_proj` (rows q | k | v) and gate and up as
    /// one `gate_up_proj` (rows gate | up), split on load into the canonical roles; RoPE on the first
    /// `partial_rotary_factor` × head_dim dimensions of each head (rotate-half within them); a sliding window
    /// on every layer when `sliding_window` is set. The neuron is element j of act(gate), gate being the first
    /// half of `gate_up_proj`. GGUF: `attn_qkv`, `ffn_up` (gate | up), `phi3.rope.dimension_count`.
    static let phi3 = Architecture(
        name: "phi3", hfModelTypes: ["phi3"],
        configFromGGUF: { m, facts in try LlamaFamily.ggufConfig(m, facts, arch: "phi3") },
        configFromHF: { t, source in try ModelConfig(transformers: t, architecture: "phi3", source: source) },
        hfName: Phi3.hfName, ggufName: Phi3.ggufName, fusedRows: Phi3.fusedRows)
}

enum Phi3 {
    static func hfName(_ role: WeightRole, _ layer: Int?) -> String {
        let p = "model.layers.\(layer ?? 0)"
        switch role {
        case .query, .key, .value: return "\(p).self_attn.qkv_proj.weight"
        case .gate, .up: return "\(p).mlp.gate_up_proj.weight"
        default: return HFNames.name(role, layer: layer)
        }
    }

    static func ggufName(_ role: WeightRole, _ layer: Int?) -> String {
        let l = layer ?? 0
        switch role {
        case .query, .key, .value: return "blk.\(l).attn_qkv.weight"
        case .gate, .up: return "blk.\(l).ffn_up.weight"
        default: return GGUFNames.name(role, layer: layer)
        }
    }

    static func fusedRows(_ role: WeightRole, _ c: ModelConfig) -> FusedRows? {
        let q = c.queryWidth, kv = c.kvWidth, f = c.intermediateSize
        switch role {
        case .query: return FusedRows(rows: 0..<q, totalRows: q + 2 * kv)
        case .key: return FusedRows(rows: q..<(q + kv), totalRows: q + 2 * kv)
        case .value: return FusedRows(rows: (q + kv)..<(q + 2 * kv), totalRows: q + 2 * kv)
        case .gate: return FusedRows(rows: 0..<f, totalRows: 2 * f)
        case .up: return FusedRows(rows: f..<(2 * f), totalRows: 2 * f)
        default: return nil
        }
    }
}
