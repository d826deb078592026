extension Architecture {
    /// Llama 2/3, SmolLM2 and other Llama-shaped models.
    ///
    /// Recipe: pre-norm RMSNorm (gain w) · RoPE, rotate-half pairs · grouped-query attention, 1/√head_dim,
    /// q/k/v/o biases with `attention_bias` · gated MLP (`hidden_act`). llama.cpp's converter permutes the q/k
    /// rows for its interleaved RoPE; loading undoes it. llama.cpp also writes Mistral checkpoints under this GGUF
    /// architecture, and Mixtral as `llama` with `llama.expert_count` (router `ffn_gate_inp`, experts
    /// `ffn_{gate,up,down}_exps` as `[experts, f, d]`).
    static let llama = Architecture(
        name: "llama", hfModelTypes: ["llama"],
        configFromGGUF: { m, facts in try LlamaFamily.ggufConfig(m, facts, arch: "llama", allowsExperts: true) },
        configFromHF: { t, source in try ModelConfig(transformers: t, architecture: "llama", source: source) },
        ggufPermutesQueryKey: true)
}
