extension Architecture {
    /// Mixtral (`mixtral`).
    ///
    /// Recipe: the Mistral recipe (pre-norm RMSNorm, RoPE halves, GQA, a window on every layer when
    /// `sliding_window` is set) with every MLP a mixture of `num_local_experts` SwiGLU experts of
    /// `intermediate_size`: router `block_sparse_moe.gate`, softmax, top `num_experts_per_tok` renormalised to
    /// sum 1; expert e is `w2(silu(w1(x)) · w3(x))`. The neuron: (layer, expert, j) = element j of expert e's
    /// silu(w1(x)) over the tokens routed to it.
    static let mixtral = Architecture(
        name: "mixtral", hfModelTypes: ["mixtral"],
        configFromGGUF: { m, _ in throw m.fail("general.architecture", .string("mixtral"), "a Hugging Face folder (GGUF Mixtral is not read yet)") },
        configFromHF: { t, source in try MixtureOfExperts.config(t, architecture: "mixtral", source: source) },
        hfName: Mixtral.hfName, hfExpertName: Mixtral.expertName, readsGGUF: false)
}

enum Mixtral {
    static func hfName(_ role: WeightRole, _ layer: Int?) -> String {
        role == .router ? "model.layers.\(layer ?? 0).block_sparse_moe.gate.weight" : HFNames.name(role, layer: layer)
    }

    /// `w1` = gate, `w3` = up, `w2` = down.
    static func expertName(_ tensor: ExpertTensor, _ layer: Int, _ expert: Int) -> String {
        let w: String
        switch tensor {
        case .gate: w = "w1"
        case .up: w = "w3"
        case .down: w = "w2"
        }
        return "model.layers.\(layer).block_sparse_moe.experts.\(expert).\(w).weight"
    }
}

/// The forward configuration of a decoded mixture-of-experts config (mixtral, qwen2_moe): the Llama recipe of
/// the shared keys with its MLP replaced by the experts.
enum MixtureOfExperts {
    static func config(_ t: TransformersConfig, architecture: String, source: String) throws -> ModelConfig {
        var c = try ModelConfig(transformers: t, architecture: architecture, source: source)
        guard let x = t.experts else {
            throw ModelError.configValue(file: source, key: "model_type", value: t.modelType, expected: "a model with experts")
        }
        if let shared = x.sharedExpertWidth, shared != t.intermediateSize {
            // The shared expert is the neuron site of a routed layer, the dense MLP of a dense layer: one width.
            guard x.denseLayers.isEmpty else {
                throw ModelError.configValue(file: source, key: "shared_expert_intermediate_size", value: "\(shared)",
                                             expected: "\(t.intermediateSize) (intermediate_size) when some layers are dense")
            }
            c.intermediateSize = shared
        }
        c.block.mlp = .experts(.init(count: x.count, topK: x.topK, normalizeTopK: x.normalizeTopK, width: x.width,
                                     activation: t.activation, sharedExpert: x.sharedExpertWidth != nil,
                                     denseLayers: x.denseLayers))
        return c
    }
}
