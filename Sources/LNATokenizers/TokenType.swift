/// The type of a vocabulary entry, with the numeric values of GGUF's `tokenizer.ggml.token_type`.
///
/// ```swift
/// TokenType(rawValue: 3)   // .control
/// ```
public enum TokenType: Int, Sendable, CaseIterable, Codable {
    case undefined = 0
    /// An ordinary piece produced by the tokenizer's algorithm.
    case normal = 1
    /// The `<unk>` token.
    case unknown = 2
    /// BOS/EOS/chat markers: never parsed from text by `encode`, rendered empty by `tokenBytes`.
    case control = 3
    /// Added text tokens (Gemma's whitespace runs and HTML tags, Qwen's `<tool_call>`): always split out of the
    /// text before the algorithm runs, rendered as their text.
    case userDefined = 4
    case unused = 5
    /// A SentencePiece byte-fallback token `<0xNN>`.
    case byte = 6
}
