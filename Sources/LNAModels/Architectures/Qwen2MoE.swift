extension Architecture {
    /// Qwen1.5-MoE / Qwen2-MoE (`qwen2_moe`).
    ///
    /// Recipe: the Qwen2 recipe (q/k/v biases with `qkv_bias`) whose MLPs are mixtures of `num_experts` SwiGLU
    /// experts of `moe_intermediate_size`: router `mlp.gate`, softmax, top `num_experts_per_tok` (renormalised
    /// only with `norm_topk_prob`), plus a shared SwiGLU expert of `shared_expert_intermediate_size` scaled by
    /// sigmoid(`shared_expert_gate`·x). Layers in `mlp_only_layers` (or off the `decoder_sparse_step`) have a
    /// dense SwiGLU MLP instead. Neurons: the shared expert's (and the dense layers') act(gate) like a dense
    /// MLP (`mlp.hook_act`); expert neurons (layer, expert, j) over the tokens routed to the expert.
    static let qwen2moe = Architecture(
        name: "qwen2moe", hfModelTypes: ["qwen2_moe"],
        configFromGGUF: { m, _ in throw m.fail("general.architecture", .string("qwen2moe"), "a Hugging Face folder (GGUF Qwen2-MoE is not read yet)") },
        configFromHF: { t, source in try MixtureOfExperts.config(t, architecture: "qwen2moe", source: source) },
        readsGGUF: false)
}
