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
}
