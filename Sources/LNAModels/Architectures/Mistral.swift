extension Architecture {
    /// Mistral: the Llama recipe with a sliding attention window on every layer (`sliding_window` in
    /// config.json; null in v0.2 and later, which makes it plain Llama). llama.cpp converts Mistral checkpoints
    /// to GGUF architecture `llama` (q/k permuted, no window key), so GGUF files load through `Architecture.llama`.
    static let mistral = Architecture(
        name: "mistral", hfModelTypes: ["mistral"],
        configFromGGUF: { m, _ in
            throw m.fail("general.architecture", .string("mistral"), "llama (llama.cpp writes Mistral as llama)")
        },
        configFromHF: { t, source in try ModelConfig(transformers: t, architecture: "mistral", source: source) },
        ggufPermutesQueryKey: true, readsGGUF: false)
}
