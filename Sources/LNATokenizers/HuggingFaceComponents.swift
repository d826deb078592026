/// The tokenizer.json component types this module understands; raw values are the JSON `"type"` names, so an
/// unknown name fails `init(rawValue:)` and becomes a `TokenizerError.unsupportedComponent` naming it.
///
/// ```swift
/// HuggingFaceComponents.PreTokenizer(rawValue: "ByteLevel")   // .byteLevel
/// HuggingFaceComponents.PreTokenizer(rawValue: "BertPreTokenizer")   // nil → error
/// ```
public enum HuggingFaceComponents {
    /// `model.type`.
    public enum Model: String, Sendable, CaseIterable {
        case bpe = "BPE"
    }

    /// `normalizer.type`.
    public enum Normalizer: String, Sendable, CaseIterable {
        case sequence = "Sequence"
        case replace = "Replace"
        case prepend = "Prepend"
    }

    /// `pre_tokenizer.type`.
    public enum PreTokenizer: String, Sendable, CaseIterable {
        case sequence = "Sequence"
        case byteLevel = "ByteLevel"
        case split = "Split"
        case digits = "Digits"
        case metaspace = "Metaspace"
    }

    /// `decoder.type`.
    public enum Decoder: String, Sendable, CaseIterable {
        case sequence = "Sequence"
        case byteLevel = "ByteLevel"
        case replace = "Replace"
        case byteFallback = "ByteFallback"
        case fuse = "Fuse"
        case strip = "Strip"
        case metaspace = "Metaspace"
    }

    /// `post_processor.type`.
    public enum PostProcessor: String, Sendable, CaseIterable {
        case sequence = "Sequence"
        case byteLevel = "ByteLevel"
        case templateProcessing = "TemplateProcessing"
    }
}
