/// A text tokenizer that reproduces llama.cpp's `llama_tokenize(add_special, parse_special: false)` and
/// `llama_token_to_piece(special: false)` for SentencePiece-style (`llama`) and byte-level BPE (`gpt2`)
/// vocabularies, and Hugging Face BPE with byte fallback (`bpe-byte-fallback`, from tokenizer.json).
///
/// Immutable and `Sendable`: build it once, share it between threads.
///
/// ```swift
/// let tokenizer = try Tokenizer(vocabulary: vocabulary)     // or Tokenizer(gguf:) from LNAModels
/// let ids = tokenizer.encode("Hello world")                 // BOS first when the vocabulary says so
/// tokenizer.decode(ids)                                     // "Hello world"
/// tokenizer.pieces(ids)                                     // ["<bos>", "Hello", "▁world"]
/// ```
public final class Tokenizer: Sendable {
    /// The vocabulary this tokenizer was built from.
    public let vocabulary: TokenizerVocabulary
    /// Token types after llama.cpp's adjustments (end-of-generation and fill-in-the-middle markers become control).
    public let effectiveTypes: [TokenType]
    let splitter: SpecialTokenSplitter
    let algorithm: Algorithm
    let preTokenizer: PreTokenizer?

    enum Algorithm: Sendable {
        case scores(ScorePieceModel)
        case merges(MergeModel)
    }

    /// The BOS token id, if the vocabulary has one.
    public var bosID: Int? { vocabulary.bosID }
    /// The EOS token id, if the vocabulary has one.
    public var eosID: Int? { vocabulary.eosID }
    /// Number of vocabulary entries.
    public var vocabularySize: Int { vocabulary.tokens.count }
    /// Whether `encode(_, addSpecial: true)` prepends BOS.
    public var addsBOS: Bool { vocabulary.addBOS && vocabulary.bosID != nil }

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

    /// Builds the tokenizer; throws when the vocabulary is inconsistent or names an unknown pre-tokenizer.
    /// `source` names the origin in error messages (a file path).
    public init(vocabulary: TokenizerVocabulary, source: String = "vocabulary") throws {
        try Self.validate(vocabulary, source: source)
        self.vocabulary = vocabulary
        var types = vocabulary.tokenTypes.isEmpty
            ? [TokenType](repeating: .normal, count: vocabulary.tokens.count) : vocabulary.tokenTypes
        for (id, text) in vocabulary.tokens.enumerated() where Self.forcedControlTexts.contains(text) {
            types[id] = .control
        }
        effectiveTypes = types
        splitter = SpecialTokenSplitter(tokens: types.indices.compactMap { id in
            types[id] == .userDefined ? (Array(vocabulary.tokens[id].utf8), id) : nil
        })

        switch vocabulary.model {
        case .llama:
            preTokenizer = nil
            var builder = ByteStringTable.Builder()
            for (id, text) in vocabulary.tokens.enumerated() { builder.insert(Array(text.utf8), value: Int32(id)) }
            let table = builder.build()
            algorithm = .scores(ScorePieceModel(tokens: table, scores: vocabulary.scores,
                                                byteTokens: Self.byteFallbackTokens(table, plainByteFallback: true)))
        case .gpt2:
            guard let pre = PreTokenizer(ggufName: vocabulary.preTokenizer) else {
                throw TokenizerError.unsupportedPreTokenizer(source: source, name: vocabulary.preTokenizer,
                                                             supported: PreTokenizer.supportedNames)
            }
            preTokenizer = pre
            let ignoreMerges = vocabulary.ignoreMerges || pre == .llama3
            var builder = ByteStringTable.Builder()
            for (id, text) in vocabulary.tokens.enumerated() { builder.insert(Array(text.utf8), value: Int32(id)) }
            let table = builder.build()
            // llama.cpp looks up single bytes of the byte-level text: only printable ASCII can match.
            let fallback = (0..<256).map { byte -> Int32 in
                (0x21...0x7E).contains(byte) ? table.lookup([UInt8(byte)]) : -1
            }
            algorithm = .merges(try MergeModel(tokens: vocabulary.tokens, merges: vocabulary.merges, byteLevel: true,
                                               ignoreMerges: ignoreMerges, fallbackByteTokens: fallback,
                                               source: source))
        case .bpeByteFallback:
            preTokenizer = nil
            var builder = ByteStringTable.Builder()
            for (id, text) in vocabulary.tokens.enumerated() { builder.insert(Array(text.utf8), value: Int32(id)) }
            let table = builder.build()
            var fallback = Self.byteFallbackTokens(table, plainByteFallback: false)
            if let unknown = vocabulary.unknownID {
                fallback = fallback.map { $0 >= 0 ? $0 : Int32(unknown) }
            }
            algorithm = .merges(try MergeModel(tokens: vocabulary.tokens, merges: vocabulary.merges, byteLevel: false,
                                               ignoreMerges: vocabulary.ignoreMerges, fallbackByteTokens: fallback,
                                               source: source))
        }
    }

    private static func validate(_ vocabulary: TokenizerVocabulary, source: String) throws {
        let count = vocabulary.tokens.count
        guard count > 0 else {
            throw TokenizerError.invalidVocabulary(source: source, key: "tokens", expected: "at least one token")
        }
        if !vocabulary.tokenTypes.isEmpty && vocabulary.tokenTypes.count != count {
            throw TokenizerError.invalidVocabulary(
                source: source, key: "token_type",
                expected: "\(count) entries (one per token), found \(vocabulary.tokenTypes.count)")
        }
        if vocabulary.model == .llama && vocabulary.scores.count != count {
            throw TokenizerError.invalidVocabulary(
                source: source, key: "scores", expected: "\(count) entries (one per token), found \(vocabulary.scores.count)")
        }
        for (key, id) in [("bos_token_id", vocabulary.bosID), ("eos_token_id", vocabulary.eosID),
                          ("unknown_token_id", vocabulary.unknownID), ("padding_token_id", vocabulary.paddingID)] {
            if let id, !(0..<count).contains(id) {
                throw TokenizerError.invalidVocabulary(source: source, key: key,
                                                       expected: "an id below \(count), found \(id)")
            }
        }
        if vocabulary.addBOS && vocabulary.bosID == nil {
            throw TokenizerError.invalidVocabulary(source: source, key: "bos_token_id",
                                                   expected: "a BOS id because add_bos_token is true")
        }
        if vocabulary.addEOS && vocabulary.eosID == nil {
            throw TokenizerError.invalidVocabulary(source: source, key: "eos_token_id",
                                                   expected: "an EOS id because add_eos_token is true")
        }
    }

    /// `<0xNN>` tokens, else (llama.cpp's SPM fallback) the one-byte string.
    private static func byteFallbackTokens(_ table: ByteStringTable, plainByteFallback: Bool) -> [Int32] {
        let hex = Array("0123456789ABCDEF".utf8)
        return (0..<256).map { byte in
            let name: [UInt8] = Array("<0x".utf8) + [hex[byte >> 4], hex[byte & 15], UInt8(ascii: ">")]
            let token = table.lookup(name)
            if token >= 0 || !plainByteFallback { return token }
            return table.lookup([UInt8(byte)])
        }
    }
}
