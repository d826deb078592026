extension Architecture {
    /// Llama 2/3, SmolLM2 and other Llama-shaped models: pre-norm, SwiGLU MLP, RoPE, grouped-query attention.
    /// llama.cpp's converter permutes the q/k rows for its interleaved RoPE; loading undoes it.
    static let llama = Architecture(
        name: "llama", hfModelTypes: ["llama"],
        configFromGGUF: { v, facts in try LlamaFamily.ggufConfig(v, facts, arch: "llama") },
        configFromHF: { v in try LlamaFamily.hfConfig(v, arch: "llama") },
        hfName: HFNames.name, ggufPermutesQueryKey: true, hfNormGainOffset: 0)
}
