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

extension TokenizerVocabulary {
    /// The `tokenizer.ggml.*` metadata that `init(gguf:)` reads back as this vocabulary, for writing a GGUF file.
    /// Only GGUF's own algorithms (`llama`, `gpt2`) without a tokenizer.json pipeline can be written; anything else
    /// would be read back as a different tokenizer, so it is refused.
    ///
    /// ```swift
    /// var writer = GGUFWriter()
    /// for (key, value) in try vocabulary.ggufMetadata(source: "smollm2-135m") { writer[key] = value }
    /// ```
    public func ggufMetadata(source: String) throws -> [(key: String, value: GGUFValue)] {
        guard model == .llama || model == .gpt2, huggingFace == nil else {
            throw TokenizerError.unsupportedModel(source: source, name: model.rawValue + (huggingFace == nil ? "" : " (tokenizer.json pipeline)"),
                                                  supported: ["llama", "gpt2 (from a GGUF file)"])
        }
        var entries: [(key: String, value: GGUFValue)] = [
            ("tokenizer.ggml.model", .string(model.rawValue)),
            ("tokenizer.ggml.pre", .string(preTokenizer)),
            ("tokenizer.ggml.tokens", .array(.string, tokens.map { .string($0) })),
        ]
        if !scores.isEmpty { entries.append(("tokenizer.ggml.scores", .array(.float32, scores.map { .float32($0) }))) }
        if !tokenTypes.isEmpty {
            entries.append(("tokenizer.ggml.token_type", .array(.int32, tokenTypes.map { .int32(Int32($0.rawValue)) })))
        }
        if !merges.isEmpty { entries.append(("tokenizer.ggml.merges", .array(.string, merges.map { .string($0) }))) }
        let ids: [(String, Int?)] = [("bos_token_id", bosID), ("eos_token_id", eosID), ("unknown_token_id", unknownID),
                                     ("padding_token_id", paddingID)]
        for case let (key, id?) in ids { entries.append(("tokenizer.ggml.\(key)", .uint32(UInt32(clamping: id)))) }
        entries.append(("tokenizer.ggml.add_bos_token", .bool(addBOS)))
        entries.append(("tokenizer.ggml.add_eos_token", .bool(addEOS)))
        if model == .llama { entries.append(("tokenizer.ggml.add_space_prefix", .bool(addSpacePrefix))) }
        return entries
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
