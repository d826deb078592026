extension Architecture {
    /// Mistral: the Llama recipe with a sliding attention window on every layer (`sliding_window` in
    /// config.json; null in v0.2 and later, which makes it plain Llama). llama.cpp writes Mistral GGUF files
    /// under the `llama` keys.
    static let mistral = Architecture(
        name: "mistral", hfModelTypes: ["mistral"],
        configFromGGUF: { v, facts in
            var c = try DecoderKeys.gguf(v, facts, arch: "mistral", keyPrefix: "llama") {
                DecoderKeys.llamaRecipe(headDim: $0, epsilon: $1)
            }
            c.architecture = "mistral"
            return c
        },
        configFromHF: { v in try Llama.hfConfig(v, arch: "mistral") },
        ggufPermutesQueryKey: true)
}
