/// The tokenizer.json component types this module understands; raw values are the JSON `"type"` names, so an
/// unknown name fails `init(rawValue:)` and becomes a `TokenizerError.unsupportedComponent` naming it.
///
/// ```swift
/// HuggingFaceComponents.PreTokenizer(rawValue: "ByteLevel")   // .byteLevel
/// HuggingFaceComponents.PreTokenizer(rawValue: "UnicodeScripts")   // nil → error
/// ```
public enum HuggingFaceComponents {
    /// `model.type`.
    public enum Model: String, Sendable, CaseIterable {
        case bpe = "BPE"
        case unigram = "Unigram"
    }

    /// `normalizer.type`.
    public enum Normalizer: String, Sendable, CaseIterable {
        case sequence = "Sequence"
        case precompiled = "Precompiled"
        case nfc = "NFC"
        case nfd = "NFD"
        case nfkc = "NFKC"
        case nfkd = "NFKD"
        case replace = "Replace"
        case prepend = "Prepend"
        case strip = "Strip"
        case stripAccents = "StripAccents"
        case lowercase = "Lowercase"
    }

    /// `pre_tokenizer.type`.
    public enum PreTokenizer: String, Sendable, CaseIterable {
        case sequence = "Sequence"
        case byteLevel = "ByteLevel"
        case split = "Split"
        case digits = "Digits"
        case metaspace = "Metaspace"
        case whitespaceSplit = "WhitespaceSplit"
        case whitespace = "Whitespace"
        case punctuation = "Punctuation"
        case bertPreTokenizer = "BertPreTokenizer"
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
        case bpeDecoder = "BPEDecoder"
    }

    /// `post_processor.type`.
    public enum PostProcessor: String, Sendable, CaseIterable {
        case sequence = "Sequence"
        case byteLevel = "ByteLevel"
        case templateProcessing = "TemplateProcessing"
    }
}
