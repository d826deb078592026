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
        /// (Any other tokenizer.json BPE too, e.g. with an unknown token and no byte fallback.)
        case bpeByteFallback = "bpe-byte-fallback"
        /// SentencePiece Unigram (XGLM, mT5, XLM-R…): the segmentation with the best total piece score; only from a
        /// tokenizer.json (it needs the `huggingFace` pipeline, which holds the `f64` scores).
        case unigram
    }

    /// Which algorithm turns text into pieces.
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
    /// Beginning-of-sequence token (`tokenizer.ggml.bos_token_id`).
    public var bosID: Int?
    /// End-of-sequence token (`tokenizer.ggml.eos_token_id`).
    public var eosID: Int?
    /// `<unk>` (`tokenizer.ggml.unknown_token_id`).
    public var unknownID: Int?
    /// Padding token (`tokenizer.ggml.padding_token_id`); not used for encoding.
    public var paddingID: Int?
    /// Whether `encode(_, addSpecial: true)` prepends BOS / appends EOS.
    public var addBOS: Bool
    /// Whether `encode(_, addSpecial: true)` appends EOS.
    public var addEOS: Bool
    /// Whether a space is put in front of every text fragment (SentencePiece `add_dummy_prefix`).
    public var addSpacePrefix: Bool
    /// Whether a word that is itself a token skips the merges (Llama 3's `ignore_merges`).
    public var ignoreMerges: Bool
    /// Set when read from a tokenizer.json: its normalizers, pre-tokenizers and model settings, which encoding
    /// then follows (Hugging Face `tokenizers` semantics) instead of the GGUF-style switches above.
    public var huggingFace: HuggingFacePipeline?

    /// A vocabulary from its parts (all but `model` and `tokens` have llama.cpp-like defaults).
    public init(model: Model, preTokenizer: String = "default", tokens: [String], scores: [Float] = [],
                tokenTypes: [TokenType] = [], merges: [String] = [], bosID: Int? = nil, eosID: Int? = nil,
                unknownID: Int? = nil, paddingID: Int? = nil, addBOS: Bool = false, addEOS: Bool = false,
                addSpacePrefix: Bool = false, ignoreMerges: Bool = false, huggingFace: HuggingFacePipeline? = nil) {
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
        self.huggingFace = huggingFace
    }

    /// The type of token `id` (`normal` when no types were given).
    public func type(of id: Int) -> TokenType { tokenTypes.isEmpty ? .normal : tokenTypes[id] }
}

extension TokenizerVocabulary {
    /// Token texts that llama.cpp marks as control whatever their stored type, so they are never cut out of text
    /// and render empty (end-of-turn, end-of-generation and fill-in-the-middle markers).
    static let forcedControlTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
        "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>", "<|eom_id|>",
        "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>",
        "<|prefix|>", "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
        "<|code_suffix|>", "<|suffix|>", "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>",
        "▁<MID>", "<|code_middle|>", "<|middle|>", "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]",
        "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>", "<|return|>",
        "<|call|>", "<|flush|>", "<|calls|>", "</s>", "[EOS]", "<eos>", "<turn|>", "<|tool_response>", "[e~[",
    ]

    /// Token types as llama.cpp uses them: the stored types, with the markers above turned into control tokens.
    ///
    /// ```swift
    /// vocabulary.effectiveTokenTypes()[212]   // .control for Gemma's "</s>", stored as user-defined
    /// ```
    public func effectiveTokenTypes() -> [TokenType] {
        var types = tokenTypes.isEmpty ? [TokenType](repeating: .normal, count: tokens.count) : tokenTypes
        for (id, text) in tokens.enumerated() where Self.forcedControlTexts.contains(text) { types[id] = .control }
        return types
    }
}
