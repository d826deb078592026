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
        case unigram(UnigramModel)
    }

    /// The BOS token id, if the vocabulary has one.
    public var bosID: Int? { vocabulary.bosID }
    /// The EOS token id, if the vocabulary has one.
    public var eosID: Int? { vocabulary.eosID }
    /// Number of vocabulary entries.
    public var vocabularySize: Int { vocabulary.tokens.count }
    /// Whether `encode(_, addSpecial: true)` prepends BOS.
    public var addsBOS: Bool { vocabulary.addBOS && vocabulary.bosID != nil }

    /// Builds the tokenizer; throws when the vocabulary is inconsistent or names an unknown pre-tokenizer.
    /// `source` names the origin in error messages (a file path).
    public init(vocabulary: TokenizerVocabulary, source: String = "vocabulary") throws {
        try Self.validate(vocabulary, source: source)
        self.vocabulary = vocabulary
        let types = vocabulary.effectiveTokenTypes()
        effectiveTypes = types
        splitter = SpecialTokenSplitter(tokens: types.indices.compactMap { id in
            types[id] == .userDefined ? (Array(vocabulary.tokens[id].utf8), id) : nil
        })

        if let pipeline = vocabulary.huggingFace {
            preTokenizer = nil
            algorithm = try Self.huggingFaceAlgorithm(vocabulary, pipeline, source: source)
            return
        }
        switch vocabulary.model {
        case .unigram:
            throw TokenizerError.invalidVocabulary(source: source, key: "model",
                                                   expected: "a Unigram vocabulary read from a tokenizer.json")
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

    /// The model of a tokenizer.json vocabulary, with Hugging Face's rules for characters that have no token.
    private static func huggingFaceAlgorithm(_ vocabulary: TokenizerVocabulary, _ pipeline: HuggingFacePipeline,
                                             source: String) throws -> Algorithm {
        if vocabulary.model == .unigram {
            guard pipeline.unigramScores.count == vocabulary.tokens.count else {
                throw TokenizerError.invalidVocabulary(
                    source: source, key: "model.vocab",
                    expected: "one score per piece (\(vocabulary.tokens.count)), found \(pipeline.unigramScores.count)")
            }
            return .unigram(UnigramModel(pieces: Array(zip(vocabulary.tokens, pipeline.unigramScores)),
                                         unknownID: vocabulary.unknownID, byteFallback: pipeline.byteFallback))
        }
        var builder = ByteStringTable.Builder()
        for (id, text) in vocabulary.tokens.enumerated() { builder.insert(Array(text.utf8), value: Int32(id)) }
        let table = builder.build()
        let byteTokens = pipeline.byteFallback ? byteFallbackTokens(table, plainByteFallback: false)
            : [Int32](repeating: -1, count: 256)
        let policy = MergeModel.UnknownCharacterPolicy(byteTokens: byteTokens, unknownID: vocabulary.unknownID.map(Int32.init),
                                                       fuse: pipeline.fuseUnknown)
        return .merges(try MergeModel(tokens: vocabulary.tokens, merges: vocabulary.merges,
                                      byteLevel: pipeline.byteLevel, ignoreMerges: vocabulary.ignoreMerges,
                                      fallbackByteTokens: byteTokens, unknownPolicy: policy, source: source))
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
