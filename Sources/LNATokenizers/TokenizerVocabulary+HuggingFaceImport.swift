import Foundation

extension TokenizerVocabulary {
    /// Reads a Hugging Face `tokenizer.json` with a `BPE` or `Unigram` model. The normalizers and pre-tokenizers
    /// become a `HuggingFacePipeline`, so encoding follows Hugging Face `tokenizers` (see docs/tokenizers.md for
    /// the supported component types; any other type is an error naming it, its JSON path and the file).
    /// A BPE behind a ByteLevel pre-tokenizer is `gpt2` (tokens in the GPT-2 byte alphabet), any other BPE
    /// `bpeByteFallback`, Unigram `unigram`. Added tokens become user-defined tokens, or control tokens when
    /// `"special": true` (so, like llama.cpp with `parse_special = false`, their text is not parsed).
    /// BOS/EOS come from a `TemplateProcessing` post-processor.
    ///
    /// ```swift
    /// let vocabulary = try TokenizerVocabulary(huggingFaceJSON: Data(contentsOf: url), source: url.path)
    /// let tokenizer = try Tokenizer(vocabulary: vocabulary)
    /// ```
    public init(huggingFaceJSON data: Data, source: String = "tokenizer.json") throws {
        var reader = HuggingFaceReader(source: source)
        self = try reader.read(data)
    }
}

/// The parsing state of one tokenizer.json (where we are, for error messages).
struct HuggingFaceReader {
    let source: String
    var normalizers: [TextNormalizer] = []
    var preTokenizers: [WordSplitter] = []
    var componentNames: [String] = []
    var addSpacePrefix = false

    init(source: String) { self.source = source }

    mutating func read(_ data: Data) throws -> TokenizerVocabulary {
        let root: JSONNode
        do { root = try JSONNode.parse(Array(data)) } catch let error as JSONNode.SyntaxError {
            throw TokenizerError.invalidJSON(source: source, path: "byte \(error.offset)", expected: error.expected)
        }
        guard root.pairs != nil else {
            throw TokenizerError.invalidJSON(source: source, path: "$", expected: "a JSON object")
        }
        let model = try object(root["model"], "model")
        let modelType = try string(model["type"], "model.type")
        guard let modelKind = HuggingFaceComponents.Model(rawValue: modelType) else {
            throw unsupported("model", modelType, HuggingFaceComponents.Model.allCases.map(\.rawValue))
        }
        if case .number = model["dropout"] ?? .null {
            throw TokenizerError.invalidJSON(source: source, path: "model.dropout", expected: "null (no BPE dropout)")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key], !value.isNull, value.string != "" {
                throw TokenizerError.invalidJSON(source: source, path: "model.\(key)",
                                                 expected: "null (subword prefixes and suffixes are not supported)")
            }
        }
        var tokens: [String]
        var unigramScores: [Double] = []
        switch modelKind {
        case .bpe: tokens = try vocabularyTokens(model, root["added_tokens"])
        case .unigram: (tokens, unigramScores) = try unigramPieces(model)
        }
        var types = [TokenType](repeating: .normal, count: tokens.count)
        for entry in root["added_tokens"]?.array ?? [] {
            let id = try int(entry["id"], "added_tokens[].id")
            guard id < tokens.count else {
                throw TokenizerError.invalidJSON(source: source, path: "added_tokens[].id",
                                                 expected: "an id below the vocabulary size \(tokens.count), found \(id)")
            }
            types[id] = (entry["special"]?.bool ?? false) ? .control : .userDefined
            tokens[id] = try string(entry["content"], "added_tokens[].content")
        }
        let byteFallback = model["byte_fallback"]?.bool ?? false
        for (id, text) in tokens.enumerated() where byteFallback && types[id] == .normal && Self.isByteToken(text) {
            types[id] = .byte
        }
        var unknownID: Int?
        switch modelKind {
        case .bpe:
            if let unknown = model["unk_token"]?.string {
                unknownID = tokens.firstIndex { $0.utf8.elementsEqual(unknown.utf8) }
                if unknownID == nil {
                    throw TokenizerError.invalidJSON(source: source, path: "model.unk_token",
                                                     expected: "a token of the vocabulary, found \(unknown.debugDescription)")
                }
            }
        case .unigram:
            if let value = model["unk_id"], !value.isNull {
                let id = try int(value, "model.unk_id")
                guard id < tokens.count else {
                    throw TokenizerError.invalidJSON(source: source, path: "model.unk_id",
                                                     expected: "an id below \(tokens.count), found \(id)")
                }
                unknownID = id
            }
        }
        if let unknownID, types[unknownID] == .normal || types[unknownID] == .control { types[unknownID] = .unknown }

        if let normalizer = root["normalizer"], !normalizer.isNull { try readNormalizer(normalizer, "normalizer") }
        if let pre = root["pre_tokenizer"], !pre.isNull { try readPreTokenizer(pre, "pre_tokenizer") }
        let byteLevelSteps = preTokenizers.indices.filter {
            if case .byteLevel = preTokenizers[$0] { return true } else { return false }
        }
        let byteLevel = !byteLevelSteps.isEmpty
        if byteLevel && byteLevelSteps != [preTokenizers.count - 1] {
            throw TokenizerError.invalidJSON(source: source, path: "pre_tokenizer",
                                             expected: "ByteLevel as the last pre-tokenizer")
        }
        if byteLevel && modelKind == .unigram {
            throw TokenizerError.invalidJSON(source: source, path: "pre_tokenizer",
                                             expected: "no ByteLevel pre-tokenizer with a Unigram model")
        }
        var decoders: [TokenDecoder] = []
        let hasDecoder = root["decoder"].map { !$0.isNull } ?? false
        if let decoder = root["decoder"], !decoder.isNull { try readDecoder(decoder, "decoder", into: &decoders) }
        var bos: Int?, eos: Int?
        if let post = root["post_processor"], !post.isNull { (bos, eos) = try readPostProcessor(post, "post_processor") }

        let merges = modelKind == .bpe ? try mergeStrings(model["merges"]) : []
        componentNames.append(modelType)
        let specialAddedIDs = Set(try (root["added_tokens"]?.array ?? []).filter { $0["special"]?.bool == true }
            .map { try int($0["id"], "added_tokens[].id") })
        let pipeline = HuggingFacePipeline(
            normalizers: normalizers, preTokenizers: preTokenizers, byteLevel: byteLevel,
            unigramScores: unigramScores, byteFallback: byteFallback,
            fuseUnknown: modelKind == .unigram || (model["fuse_unk"]?.bool ?? false),
            decoders: decoders, hasDecoder: hasDecoder, specialAddedIDs: specialAddedIDs,
            componentSummary: componentNames.joined(separator: " + "),
            document: String(decoding: data, as: UTF8.self))
        let kind: TokenizerVocabulary.Model = modelKind == .unigram ? .unigram : byteLevel ? .gpt2 : .bpeByteFallback
        return TokenizerVocabulary(
            model: kind, preTokenizer: "tokenizer.json", tokens: tokens, tokenTypes: types, merges: merges,
            bosID: bos, eosID: eos, unknownID: unknownID, addBOS: bos != nil, addEOS: eos != nil,
            addSpacePrefix: addSpacePrefix, ignoreMerges: model["ignore_merges"]?.bool ?? false,
            huggingFace: pipeline)
    }

    static func isByteToken(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return utf8.count == 6 && text.hasPrefix("<0x") && text.hasSuffix(">")
            && UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16) != nil
    }

    // MARK: model

    private func vocabularyTokens(_ model: JSONNode, _ added: JSONNode?) throws -> [String] {
        guard let vocab = model["vocab"]?.pairs else {
            throw TokenizerError.invalidJSON(source: source, path: "model.vocab", expected: "an object")
        }
        var byID: [Int: String] = [:]
        for (text, value) in vocab { byID[try int(value, "model.vocab[\(text)]")] = text }
        for entry in added?.array ?? [] {
            byID[try int(entry["id"], "added_tokens[].id")] = try string(entry["content"], "added_tokens[].content")
        }
        // Ids must be exactly 0..<count: an id at or past the number of entries means a gap somewhere, found
        // before anything is sized by that id (an id of 1e14 must not reserve 1e14 slots).
        let count = byID.count
        if let outside = byID.keys.first(where: { $0 >= count }) {
            let missing = (0..<count).first { byID[$0] == nil } ?? 0
            throw TokenizerError.invalidJSON(source: source, path: "model.vocab",
                                             expected: "contiguous ids 0..<\(count) (one per entry), found id \(outside) and id \(missing) is missing")
        }
        var tokens: [String] = []
        tokens.reserveCapacity(count)
        for id in 0..<count {
            guard let text = byID[id] else {
                throw TokenizerError.invalidJSON(source: source, path: "model.vocab",
                                                 expected: "contiguous ids 0..<\(count), id \(id) is missing")
            }
            tokens.append(text)
        }
        return tokens
    }

    /// A Unigram `vocab`: `[[piece, score], …]`, ids in order.
    private func unigramPieces(_ model: JSONNode) throws -> ([String], [Double]) {
        guard let vocab = model["vocab"]?.array, !vocab.isEmpty else {
            throw TokenizerError.invalidJSON(source: source, path: "model.vocab", expected: "a non-empty array")
        }
        var pieces: [String] = [], scores: [Double] = []
        pieces.reserveCapacity(vocab.count)
        scores.reserveCapacity(vocab.count)
        for (index, entry) in vocab.enumerated() {
            guard let pair = entry.array, pair.count == 2, let piece = pair[0].string,
                  case .number(let score) = pair[1], score.isFinite else {
                throw TokenizerError.invalidJSON(source: source, path: "model.vocab[\(index)]",
                                                 expected: "[piece, finite score]")
            }
            pieces.append(piece)
            scores.append(score)
        }
        return (pieces, scores)
    }

    private func mergeStrings(_ value: JSONNode?) throws -> [String] {
        guard let list = value?.array else { return [] }
        return try list.enumerated().map { index, entry in
            if let text = entry.string { return text }
            guard let pair = entry.array?.compactMap(\.string), pair.count == 2 else {
                throw TokenizerError.invalidJSON(source: source, path: "model.merges[\(index)]",
                                                 expected: "\"left right\" or [\"left\", \"right\"]")
            }
            guard !pair[0].isEmpty, !pair[0].utf8.contains(0x20), !pair[1].utf8.contains(0x20) else {
                throw TokenizerError.invalidJSON(source: source, path: "model.merges[\(index)]",
                                                 expected: "merge sides without spaces, found \(pair)")
            }
            return pair[0] + " " + pair[1]
        }
    }

    // MARK: normalizer

    private mutating func readNormalizer(_ node: JSONNode, _ path: String) throws {
        let type = try string(node["type"], "\(path).type")
        guard let kind = HuggingFaceComponents.Normalizer(rawValue: type) else {
            throw unsupported(path, type, HuggingFaceComponents.Normalizer.allCases.map(\.rawValue))
        }
        if kind != .sequence { componentNames.append(type) }
        switch kind {
        case .sequence:
            for (index, child) in (node["normalizers"]?.array ?? []).enumerated() {
                try readNormalizer(child, "\(path).normalizers[\(index)]")
            }
        case .precompiled:
            let charsmap = try string(node["precompiled_charsmap"], "\(path).precompiled_charsmap")
            normalizers.append(.precompiled(try PrecompiledCharsmap(base64: charsmap, source: source)))
        case .nfc: normalizers.append(.unicodeForm(.nfc))
        case .nfd: normalizers.append(.unicodeForm(.nfd))
        case .nfkc: normalizers.append(.unicodeForm(.nfkc))
        case .nfkd: normalizers.append(.unicodeForm(.nfkd))
        case .prepend:
            let prefix = try string(node["prepend"], "\(path).prepend")
            if prefix == "▁" { addSpacePrefix = true }
            normalizers.append(.prepend(Array(prefix.utf8)))
        case .replace:
            let content = try string(node["content"], "\(path).content")
            normalizers.append(.replace(try pattern(node["pattern"], "\(path).pattern"), content: Array(content.utf8)))
        case .strip:
            normalizers.append(.strip(left: try bool(node["strip_left"], "\(path).strip_left"),
                                      right: try bool(node["strip_right"], "\(path).strip_right")))
        case .stripAccents: normalizers.append(.stripAccents)
        case .lowercase: normalizers.append(.lowercase)
        }
    }

    // MARK: pre-tokenizer

    private mutating func readPreTokenizer(_ node: JSONNode, _ path: String) throws {
        let type = try string(node["type"], "\(path).type")
        guard let kind = HuggingFaceComponents.PreTokenizer(rawValue: type) else {
            throw unsupported(path, type, HuggingFaceComponents.PreTokenizer.allCases.map(\.rawValue))
        }
        if kind != .sequence { componentNames.append(type) }
        switch kind {
        case .sequence:
            for (index, child) in (node["pretokenizers"]?.array ?? []).enumerated() {
                try readPreTokenizer(child, "\(path).pretokenizers[\(index)]")
            }
        case .byteLevel:
            preTokenizers.append(.byteLevel(addPrefixSpace: try bool(node["add_prefix_space"], "\(path).add_prefix_space"),
                                            useRegex: node["use_regex"]?.bool ?? true))
        case .digits:
            preTokenizers.append(.digits(individual: node["individual_digits"]?.bool ?? false))
        case .split:
            let behavior = try splitBehavior(node["behavior"], "\(path).behavior", default: nil)
            let invert = node["invert"]?.bool ?? false
            if let regex = node["pattern"]?["Regex"]?.string, behavior == .isolated, !invert,
               let scanner = Self.scanner(for: regex) {
                preTokenizers.append(.scanner(scanner))
            } else {
                preTokenizers.append(.split(try pattern(node["pattern"], "\(path).pattern"), behavior, invert: invert))
            }
        case .metaspace:
            let replacement = node["replacement"]?.string ?? "▁"
            guard replacement.unicodeScalars.count == 1, let scalar = replacement.unicodeScalars.first else {
                throw TokenizerError.invalidJSON(source: source, path: "\(path).replacement",
                                                 expected: "one character, found \(replacement.debugDescription)")
            }
            var scheme = WordSplitter.PrependScheme.always
            if let name = node["prepend_scheme"]?.string {
                guard let parsed = WordSplitter.PrependScheme(rawValue: name) else {
                    throw TokenizerError.invalidJSON(source: source, path: "\(path).prepend_scheme",
                                                     expected: "always, first or never, found \(name)")
                }
                scheme = parsed
            }
            if node["add_prefix_space"]?.bool == false { scheme = .never }
            if scheme != .never { addSpacePrefix = true }
            preTokenizers.append(.metaspace(replacement: scalar, prepend: scheme, split: node["split"]?.bool ?? true))
        case .whitespaceSplit:
            preTokenizers.append(.whitespaceSplit)
        case .whitespace:
            preTokenizers.append(.whitespace)
        case .punctuation:
            preTokenizers.append(.punctuation(try splitBehavior(node["behavior"], "\(path).behavior", default: .isolated)))
        case .bertPreTokenizer:
            preTokenizers.append(.whitespaceSplit)
            preTokenizers.append(.punctuation(.isolated))
        }
    }

    /// The hand-written scanner whose Hugging Face regex is `regex` (also in the `(?:'[sS]|…)` spelling).
    static func scanner(for regex: String) -> LNATokenizers.PreTokenizer? {
        for candidate in [LNATokenizers.PreTokenizer.gpt2, .qwen2, .llama3] {
            if regex == candidate.huggingFacePattern || regex == caseClassPattern(candidate.huggingFacePattern) {
                return candidate
            }
        }
        return nil
    }

    /// The `(?:'[sS]|…)` spelling of a `(?i:'s|…)` pattern, which some converters write instead.
    private static func caseClassPattern(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: "(?i:'s|'t|'re|'ve|'m|'ll|'d)",
                                     with: "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])")
    }

    private func pattern(_ value: JSONNode?, _ path: String) throws -> TextPattern {
        if let literal = value?["String"]?.string { return .literal(Array(literal.utf8)) }
        if let regex = value?["Regex"]?.string {
            do { return try TextPattern.regex(regex) } catch {
                throw TokenizerError.invalidJSON(source: source, path: "\(path).Regex",
                                                 expected: "a regular expression ICU accepts, found \(regex.debugDescription)")
            }
        }
        throw TokenizerError.invalidJSON(source: source, path: path, expected: "{\"String\": …} or {\"Regex\": …}")
    }

    private func splitBehavior(_ value: JSONNode?, _ path: String,
                               default fallback: WordSplitter.SplitBehavior?) throws -> WordSplitter.SplitBehavior {
        if value == nil || value?.isNull == true, let fallback { return fallback }
        let name = try string(value, path)
        guard let behavior = WordSplitter.SplitBehavior(rawValue: name) else {
            throw TokenizerError.invalidJSON(source: source, path: path,
                                             expected: "Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous, found \(name)")
        }
        return behavior
    }

    // MARK: decoder and post-processor

    private func readDecoder(_ node: JSONNode, _ path: String, into decoders: inout [TokenDecoder]) throws {
        let type = try string(node["type"], "\(path).type")
        guard let kind = HuggingFaceComponents.Decoder(rawValue: type) else {
            throw unsupported(path, type, HuggingFaceComponents.Decoder.allCases.map(\.rawValue))
        }
        switch kind {
        case .sequence:
            for (index, child) in (node["decoders"]?.array ?? []).enumerated() {
                try readDecoder(child, "\(path).decoders[\(index)]", into: &decoders)
            }
        case .byteLevel: decoders.append(.byteLevel)
        case .byteFallback: decoders.append(.byteFallback)
        case .fuse: decoders.append(.fuse)
        case .replace:
            let content = try string(node["content"], "\(path).content")
            decoders.append(.replace(try pattern(node["pattern"], "\(path).pattern"), content: Array(content.utf8)))
        case .strip:
            let content = try string(node["content"], "\(path).content")
            guard content.unicodeScalars.count == 1, let scalar = content.unicodeScalars.first else {
                throw TokenizerError.invalidJSON(source: source, path: "\(path).content", expected: "one character")
            }
            decoders.append(.strip(content: scalar, start: try int(node["start"], "\(path).start"),
                                   stop: try int(node["stop"], "\(path).stop")))
        case .metaspace:
            let replacement = node["replacement"]?.string ?? "▁"
            guard replacement.unicodeScalars.count == 1, let scalar = replacement.unicodeScalars.first else {
                throw TokenizerError.invalidJSON(source: source, path: "\(path).replacement", expected: "one character")
            }
            let scheme = node["prepend_scheme"]?.string ?? "always"
            let prepend = scheme != "never" && node["add_prefix_space"]?.bool != false
            decoders.append(.metaspace(replacement: scalar, prepend: prepend))
        case .bpeDecoder:
            decoders.append(.bpeSuffix(node["suffix"]?.string ?? "</w>"))
        }
    }

    private func readPostProcessor(_ value: JSONNode, _ path: String) throws -> (bos: Int?, eos: Int?) {
        let node = value
        let type = try string(node["type"], "\(path).type")
        guard let kind = HuggingFaceComponents.PostProcessor(rawValue: type) else {
            throw unsupported(path, type, HuggingFaceComponents.PostProcessor.allCases.map(\.rawValue))
        }
        switch kind {
        case .byteLevel:
            return (nil, nil)
        case .sequence:
            var result: (bos: Int?, eos: Int?) = (nil, nil)
            for (index, child) in (node["processors"]?.array ?? []).enumerated() {
                let inner = try readPostProcessor(child, "\(path).processors[\(index)]")
                result = (inner.bos ?? result.bos, inner.eos ?? result.eos)
            }
            return result
        case .templateProcessing:
            let single = node["single"]?.array ?? []
            func specialID(_ item: JSONNode?) throws -> Int? {
                guard let name = item?["SpecialToken"]?["id"]?.string else { return nil }
                guard let ids = node["special_tokens"]?[name]?["ids"]?.array?.compactMap(\.int), ids.count == 1 else {
                    throw TokenizerError.invalidJSON(source: source, path: "\(path).special_tokens.\(name)",
                                                     expected: "exactly one id")
                }
                return ids[0]
            }
            return (try specialID(single.first), single.count > 1 ? try specialID(single.last) : nil)
        }
    }

    // MARK: helpers

    private func unsupported(_ path: String, _ type: String, _ supported: [String]) -> TokenizerError {
        .unsupportedComponent(source: source, path: path, type: type, supported: supported)
    }

    private func object(_ value: JSONNode?, _ path: String) throws -> JSONNode {
        guard let value, value.pairs != nil else {
            throw TokenizerError.invalidJSON(source: source, path: path, expected: "an object")
        }
        return value
    }

    private func bool(_ value: JSONNode?, _ path: String) throws -> Bool {
        guard let flag = value?.bool else {
            throw TokenizerError.invalidJSON(source: source, path: path, expected: "true or false")
        }
        return flag
    }

    private func string(_ value: JSONNode?, _ path: String) throws -> String {
        guard let text = value?.string else {
            throw TokenizerError.invalidJSON(source: source, path: path, expected: "a string")
        }
        return text
    }

    private func int(_ value: JSONNode?, _ path: String) throws -> Int {
        guard let number = value?.int, number >= 0 else {
            throw TokenizerError.invalidJSON(source: source, path: path, expected: "a non-negative integer")
        }
        return number
    }
}

extension Tokenizer {
    /// A tokenizer from a Hugging Face `tokenizer.json` (see `TokenizerVocabulary(huggingFaceJSON:)`).
    ///
    /// ```swift
    /// let tokenizer = try Tokenizer(huggingFaceJSON: Data(contentsOf: url), source: url.path)
    /// ```
    public convenience init(huggingFaceJSON data: Data, source: String = "tokenizer.json") throws {
        try self.init(vocabulary: TokenizerVocabulary(huggingFaceJSON: data, source: source), source: source)
    }
}
