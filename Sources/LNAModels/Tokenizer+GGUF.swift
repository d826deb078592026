import Foundation
import LNAFormats
import LNATokenizers

extension TokenizerVocabulary {
    /// Reads the `tokenizer.ggml.*` metadata of a GGUF file, with llama.cpp's defaults for absent keys
    /// (SentencePiece: BOS on, space prefix on; byte-level BPE: BOS off, except `llama-bpe`).
    ///
    /// ```swift
    /// let vocabulary = try TokenizerVocabulary(gguf: GGUFFile(contentsOf: url))
    /// vocabulary.tokens.count   // 262144 for Gemma 3
    /// ```
    public init(gguf: GGUFFile) throws {
        let modelName = try gguf.string("tokenizer.ggml.model")
        guard let model = Model(rawValue: modelName), model != .bpeByteFallback else {
            throw TokenizerError.unsupportedModel(source: gguf.path, name: modelName, supported: ["llama", "gpt2"])
        }
        let tokens = try gguf.stringArray("tokenizer.ggml.tokens")
        let pre = try gguf.optionalString("tokenizer.ggml.pre") ?? "default"
        let scores = try gguf.optionalFloatArray("tokenizer.ggml.scores")?.map { Float($0) } ?? []
        let rawTypes = try gguf.optionalIntArray("tokenizer.ggml.token_type") ?? []
        let types = rawTypes.map { TokenType(rawValue: $0) ?? .undefined }
        let merges = try gguf.optionalStringArray("tokenizer.ggml.merges") ?? []
        if model == .gpt2 && merges.isEmpty {
            throw TokenizerError.invalidVocabulary(source: gguf.path, key: "tokenizer.ggml.merges",
                                                   expected: "the merges of a gpt2 (byte-level BPE) vocabulary")
        }
        let isLlama3 = PreTokenizer(ggufName: pre) == .llama3
        func id(_ key: String, default fallback: Int?) throws -> Int? {
            guard let value = try gguf.optionalInt("tokenizer.ggml.\(key)") else {
                return fallback.flatMap { $0 < tokens.count ? $0 : nil }
            }
            return value < tokens.count ? value : fallback   // llama.cpp keeps the default for a bad id
        }
        let spm = model == .llama
        self.init(
            model: model, preTokenizer: pre, tokens: tokens, scores: scores, tokenTypes: types, merges: merges,
            bosID: try id("bos_token_id", default: spm ? 1 : 11),
            eosID: try id("eos_token_id", default: spm ? 2 : 11),
            unknownID: try id("unknown_token_id", default: spm ? 0 : nil),
            paddingID: try id("padding_token_id", default: nil),
            addBOS: try gguf.optionalBool("tokenizer.ggml.add_bos_token") ?? (spm || isLlama3),
            addEOS: try gguf.optionalBool("tokenizer.ggml.add_eos_token") ?? false,
            addSpacePrefix: spm ? (try gguf.optionalBool("tokenizer.ggml.add_space_prefix") ?? true) : false,
            ignoreMerges: isLlama3)
    }
}

extension Tokenizer {
    /// The tokenizer of a GGUF model, matching llama.cpp's tokenization of the same file.
    ///
    /// ```swift
    /// let tokenizer = try Tokenizer(gguf: GGUFFile(contentsOf: url))
    /// tokenizer.encode("Hello")
    /// ```
    public convenience init(gguf: GGUFFile) throws {
        try self.init(vocabulary: TokenizerVocabulary(gguf: gguf), source: gguf.path)
    }
}
