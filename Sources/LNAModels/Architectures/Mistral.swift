extension Architecture {
    /// Mistral: Llama with a sliding attention window on every layer (`sliding_window` in config.json;
    /// null in v0.2 and later, which makes it plain Llama).
    static let mistral = Architecture(
        name: "mistral", hfModelTypes: ["mistral"],
        configFromGGUF: { v, facts in
            var c = try LlamaFamily.ggufConfig(v, facts, arch: "llama")
            c.architecture = "mistral"
            return c
        },
        configFromHF: { v in try LlamaFamily.hfConfig(v, arch: "mistral") },
        hfName: HFNames.name, ggufPermutesQueryKey: true, hfNormGainOffset: 0)
}
