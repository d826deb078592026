extension Architecture {
    /// Qwen1.5-MoE / Qwen2-MoE (`qwen2_moe`).
    ///
    /// Recipe: the Qwen2 recipe (q/k/v biases with `qkv_bias`) whose MLPs are mixtures of `num_experts` SwiGLU
    /// experts of `moe_intermediate_size`: router `mlp.gate`, softmax, top `num_experts_per_tok` (renormalised
    /// only with `norm_topk_prob`), plus a shared SwiGLU expert of `shared_expert_intermediate_size` scaled by
    /// sigmoid(`shared_expert_gate`·x). Layers in `mlp_only_layers` (or off the `decoder_sparse_step`) have a
    /// dense SwiGLU MLP instead. Neurons: the shared expert's (and the dense layers') act(gate) like a dense
    /// MLP (`mlp.hook_act`); expert neurons (layer, expert, j) over the tokens routed to the expert. GGUF
    /// (`qwen2moe`): `expert_feed_forward_length`, `expert_shared_feed_forward_length`, tensors `ffn_gate_inp`,
    /// `ffn_*_exps`, `ffn_*_shexp`, `ffn_gate_inp_shexp`; llama.cpp ignores `mlp_only_layers`, so every layer routes.
    static let qwen2moe = Architecture(
        name: "qwen2moe", hfModelTypes: ["qwen2_moe"],
        configFromGGUF: { m, facts in
            var c = try LlamaFamily.ggufConfig(m, facts, arch: "qwen2moe", allowsExperts: true)
            guard case var .experts(e) = c.block.mlp else {
                throw m.fail("expert_count", nil, "the number of experts (a Qwen2-MoE has experts)")
            }
            // llama.cpp: feed_forward_length is the dense width; the experts' and the shared expert's have keys.
            e.width = try m.int("expert_feed_forward_length", in: ConfigLimits.intermediate)
            e.normalizeTopK = try m.bool("expert_weights_norm", default: false)
            e.sharedExpert = true
            c.intermediateSize = try m.int("expert_shared_feed_forward_length", in: ConfigLimits.intermediate)
            c.block.mlp = .experts(e)
            c.block.attention.queryKeyValueBias = true
            return c
        },
        configFromHF: { t, source in try MixtureOfExperts.config(t, architecture: "qwen2moe", source: source) })
}
