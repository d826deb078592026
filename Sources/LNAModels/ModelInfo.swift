/// Facts about a model that need no weights loaded.
public enum ModelInfo {
    /// The configuration of a MODEL argument (reads only the metadata / config.json).
    ///
    /// ```swift
    /// let c = try ModelInfo.config(of: "gemma3-270m")   // c.layerCount == 18
    /// ```
    public static func config(of argument: String) throws -> ModelConfig {
        try ModelFile.open(ModelLocator.resolve(argument)).config
    }

    /// The forward's configuration of a decoded `config.json`, validated and checked against what the forward
    /// runs, without any weights: what loading the checkpoint would use (before its tensors are checked).
    ///
    /// ```swift
    /// let t = try TransformersConfig(contentsOf: URL(fileURLWithPath: "m/config.json"))
    /// let c = try ModelInfo.config(transformers: t, source: "m/config.json")
    /// ```
    public static func config(transformers t: TransformersConfig, source: String) throws -> ModelConfig {
        let arch = try Architecture.named(t.modelType, source: source)
        let config = try arch.configFromHF(t, source)
        try config.validate(source: source)
        return config
    }
}
