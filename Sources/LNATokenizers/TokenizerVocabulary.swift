/// Everything needed to rebuild a tokenizer: the vocabulary and the switches of its pipeline. It mirrors GGUF's
/// `tokenizer.ggml.*` keys, so the GGUF reader fills it directly and the tokenizer.json importer/exporter translate
/// to and from it.
///
/// ```swift
/// let vocabulary = TokenizerVocabulary(model: .gpt2, preTokenizer: "gpt-2",
///                                      tokens: ["a", "b", "ab"], merges: ["a b"])
/// let tokenizer = try Tokenizer(vocabulary: vocabulary)
/// tokenizer.encode("ab")   // [2]
/// ```
public struct TokenizerVocabulary: Sendable, Equatable {
    /// The algorithm (GGUF `tokenizer.ggml.model`).
    public enum Model: String, Sendable, CaseIterable {
        /// SentencePiece-style BPE driven by token *scores*, spaces as `▁`, byte fallback `<0xNN>` (Gemma, Llama 2).
        case llama
        /// Byte-level BPE driven by *merge ranks* over the GPT-2 byte alphabet (SmolLM2, Qwen2, Llama 3).
        case gpt2
        /// BPE driven by merge ranks over raw UTF-8 with `▁` for spaces and `<0xNN>` byte fallback: what a
        /// SentencePiece vocabulary becomes in a tokenizer.json (`"byte_fallback": true`).
        case bpeByteFallback = "bpe-byte-fallback"
    }

    public var model: Model
    /// GGUF `tokenizer.ggml.pre`: which pre-tokenizer splits text into words for `gpt2` (see `PreTokenizer`).
    /// Ignored by the other models.
    public var preTokenizer: String
    /// Vocabulary strings as stored (GPT-2 byte alphabet for `gpt2`, `▁` for spaces otherwise).
    public var tokens: [String]
    /// One score per token (`llama` only; empty otherwise).
    public var scores: [Float]
    /// One type per token; empty means all `normal`.
    public var tokenTypes: [TokenType]
    /// Merges "left right", best first (`gpt2`, `bpeByteFallback`).
    public var merges: [String]
    public var bosID: Int?
    public var eosID: Int?
    public var unknownID: Int?
    public var paddingID: Int?
    /// Whether `encode(_, addSpecial: true)` prepends BOS / appends EOS.
    public var addBOS: Bool
    public var addEOS: Bool
    /// Whether a space is put in front of every text fragment (SentencePiece `add_dummy_prefix`).
    public var addSpacePrefix: Bool
    /// Whether a word that is itself a token skips the merges (Llama 3's `ignore_merges`).
    public var ignoreMerges: Bool

    public init(model: Model, preTokenizer: String = "default", tokens: [String], scores: [Float] = [],
                tokenTypes: [TokenType] = [], merges: [String] = [], bosID: Int? = nil, eosID: Int? = nil,
                unknownID: Int? = nil, paddingID: Int? = nil, addBOS: Bool = false, addEOS: Bool = false,
                addSpacePrefix: Bool = false, ignoreMerges: Bool = false) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.paddingID = paddingID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
        self.ignoreMerges = ignoreMerges
    }

    /// The type of token `id` (`normal` when no types were given).
    public func type(of id: Int) -> TokenType { tokenTypes.isEmpty ? .normal : tokenTypes[id] }
}
