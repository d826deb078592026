/// The architectures lna can load, by name, for tools and tests that must cover every one of them (the
/// transformers parity test requires a fixture for each Hugging Face `model_type` listed here).
///
/// ```swift
/// SupportedArchitectures.names.contains("llama")                        // true
/// SupportedArchitectures.huggingFaceModelTypes.contains("gemma3_text")  // true
/// ```
public enum SupportedArchitectures {
    /// Architecture names as GGUF's `general.architecture` spells them.
    public static var names: [String] { Architecture.all.map(\.name) }

    /// Every `model_type` of a Hugging Face `config.json` that loads.
    public static var huggingFaceModelTypes: [String] { Architecture.all.flatMap(\.hfModelTypes) }
}
