import Foundation

extension TokenizerVocabulary {
    /// Reads a Hugging Face `tokenizer.json` with a `BPE` model: byte-level pipelines (ByteLevel, optionally after
    /// Digits or a Split with the Qwen2/Llama 3 pattern) become `gpt2`; `byte_fallback` pipelines (Replace/Prepend
    /// normalizers or Metaspace) become `bpeByteFallback`. Added tokens become user-defined tokens, or control
    /// tokens when `"special": true` (so, like llama.cpp with `parse_special = false`, their text is not parsed).
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
    var addSpacePrefix = false
    var escapesSpaces = false
    var preTokenizerSteps: [String] = []
    var splitPattern: String?
    var byteLevel = false

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
        guard HuggingFaceComponents.Model(rawValue: modelType) != nil else {
            throw unsupported("model", modelType, HuggingFaceComponents.Model.allCases.map(\.rawValue))
        }
        if case .number = model["dropout"] ?? .null {
            throw TokenizerError.invalidJSON(source: source, path: "model.dropout", expected: "null (no BPE dropout)")
        }
        var tokens = try vocabularyTokens(model, root["added_tokens"])
        var types = [TokenType](repeating: .normal, count: tokens.count)
        for entry in root["added_tokens"]?.array ?? [] {
            let id = try int(entry["id"], "added_tokens[].id")
            types[id] = (entry["special"]?.bool ?? false) ? .control : .userDefined
            tokens[id] = try string(entry["content"], "added_tokens[].content")
        }
        let byteFallback = model["byte_fallback"]?.bool ?? false
        for (id, text) in tokens.enumerated() where byteFallback && types[id] == .normal && Self.isByteToken(text) {
            types[id] = .byte
        }
        var unknownID: Int?
        if let unknown = model["unk_token"]?.string {
            unknownID = tokens.firstIndex { $0.utf8.elementsEqual(unknown.utf8) }
            if let unknownID { types[unknownID] = .unknown }
        }

        if let normalizer = root["normalizer"], !normalizer.isNull { try readNormalizer(normalizer, "normalizer") }
        if let pre = root["pre_tokenizer"], !pre.isNull { try readPreTokenizer(pre, "pre_tokenizer") }
        if let decoder = root["decoder"], !decoder.isNull { try checkDecoder(decoder, "decoder") }
        var bos: Int?, eos: Int?
        if let post = root["post_processor"], !post.isNull { (bos, eos) = try readPostProcessor(post, "post_processor") }

        let merges = try mergeStrings(model["merges"])
        let modelKind: TokenizerVocabulary.Model
        var preName = "default"
        if byteLevel {
            modelKind = .gpt2
            preName = try byteLevelPreTokenizer().rawValue
        } else if byteFallback {
            guard escapesSpaces else {
                throw TokenizerError.invalidJSON(source: source, path: "normalizer",
                                                 expected: "a Replace of \" \" by \"▁\" (or a Metaspace pre-tokenizer) for a byte_fallback BPE")
            }
            modelKind = .bpeByteFallback
        } else {
            throw TokenizerError.invalidJSON(source: source, path: "model",
                                             expected: "a byte-level (ByteLevel pre-tokenizer) or byte_fallback BPE")
        }
        return TokenizerVocabulary(
            model: modelKind, preTokenizer: preName, tokens: tokens, tokenTypes: types, merges: merges,
            bosID: bos, eosID: eos, unknownID: unknownID, addBOS: bos != nil, addEOS: eos != nil,
            addSpacePrefix: addSpacePrefix, ignoreMerges: model["ignore_merges"]?.bool ?? false)
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

    private mutating func readNormalizer(_ value: JSONNode, _ path: String) throws {
        let node = value
        let type = try string(node["type"], "\(path).type")
        guard let kind = HuggingFaceComponents.Normalizer(rawValue: type) else {
            throw unsupported(path, type, HuggingFaceComponents.Normalizer.allCases.map(\.rawValue))
        }
        switch kind {
        case .sequence:
            for (index, child) in (node["normalizers"]?.array ?? []).enumerated() {
                try readNormalizer(child, "\(path).normalizers[\(index)]")
            }
        case .prepend:
            guard node["prepend"]?.string == "▁", escapesSpaces == false else {
                throw TokenizerError.invalidJSON(source: source, path: path, expected: "Prepend(\"▁\") before Replace")
            }
            addSpacePrefix = true
        case .replace:
            guard node["pattern"]?["String"]?.string == " ", node["content"]?.string == "▁" else {
                throw TokenizerError.invalidJSON(source: source, path: path, expected: "Replace(\" \" → \"▁\")")
            }
            escapesSpaces = true
        }
    }

    // MARK: pre-tokenizer

    private mutating func readPreTokenizer(_ value: JSONNode, _ path: String) throws {
        let node = value
        let type = try string(node["type"], "\(path).type")
        guard let kind = HuggingFaceComponents.PreTokenizer(rawValue: type) else {
            throw unsupported(path, type, HuggingFaceComponents.PreTokenizer.allCases.map(\.rawValue))
        }
        switch kind {
        case .sequence:
            for (index, child) in (node["pretokenizers"]?.array ?? []).enumerated() {
                try readPreTokenizer(child, "\(path).pretokenizers[\(index)]")
            }
        case .byteLevel:
            if node["add_prefix_space"]?.bool == true {
                throw TokenizerError.invalidJSON(source: source, path: "\(path).add_prefix_space", expected: "false")
            }
            byteLevel = true
            preTokenizerSteps.append((node["use_regex"]?.bool ?? true) ? "ByteLevel+regex" : "ByteLevel")
        case .digits:
            guard node["individual_digits"]?.bool == true else {
                throw TokenizerError.invalidJSON(source: source, path: "\(path).individual_digits", expected: "true")
            }
            preTokenizerSteps.append("Digits")
        case .split:
            guard let regex = node["pattern"]?["Regex"]?.string, node["behavior"]?.string == "Isolated",
                  node["invert"]?.bool != true else {
                throw TokenizerError.invalidJSON(source: source, path: path,
                                                 expected: "a Split with a Regex pattern, behavior Isolated, invert false")
            }
            splitPattern = regex
            preTokenizerSteps.append("Split")
        case .metaspace:
            guard (node["replacement"]?.string ?? "▁") == "▁", node["split"]?.bool != true else {
                throw TokenizerError.invalidJSON(source: source, path: path,
                                                 expected: "Metaspace with replacement \"▁\" and split false")
            }
            let scheme = node["prepend_scheme"]?.string ?? ((node["add_prefix_space"]?.bool ?? true) ? "always" : "never")
            if scheme != "never" { addSpacePrefix = true }
            escapesSpaces = true
        }
    }

    private func byteLevelPreTokenizer() throws -> LNATokenizers.PreTokenizer {
        switch preTokenizerSteps {
        case ["ByteLevel+regex"]: return .gpt2
        case ["Digits", "ByteLevel+regex"]: return .smollm
        case ["Split", "ByteLevel"]:
            let candidates: [LNATokenizers.PreTokenizer] = [.qwen2, .llama3]
            let aliases = candidates.map { ($0, $0.huggingFacePattern) } + [
                (.qwen2, Self.caseClassPattern(LNATokenizers.PreTokenizer.qwen2.huggingFacePattern)),
                (.llama3, Self.caseClassPattern(LNATokenizers.PreTokenizer.llama3.huggingFacePattern)),
            ]
            if let match = aliases.first(where: { $0.1 == splitPattern }) { return match.0 }
            throw TokenizerError.invalidJSON(source: source, path: "pre_tokenizer",
                                             expected: "the Qwen2 or Llama 3 Split pattern, found \(splitPattern ?? "?")")
        default:
            throw TokenizerError.invalidJSON(
                source: source, path: "pre_tokenizer",
                expected: "ByteLevel, Digits+ByteLevel or Split+ByteLevel, found \(preTokenizerSteps.joined(separator: "+"))")
        }
    }

    /// The `(?:'[sS]|…)` spelling of a `(?i:'s|…)` pattern, which some converters write instead.
    private static func caseClassPattern(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: "(?i:'s|'t|'re|'ve|'m|'ll|'d)",
                                     with: "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])")
    }

    // MARK: decoder and post-processor

    private func checkDecoder(_ value: JSONNode, _ path: String) throws {
        let node = value
        let type = try string(node["type"], "\(path).type")
        guard let kind = HuggingFaceComponents.Decoder(rawValue: type) else {
            throw unsupported(path, type, HuggingFaceComponents.Decoder.allCases.map(\.rawValue))
        }
        if kind == .sequence {
            for (index, child) in (node["decoders"]?.array ?? []).enumerated() {
                try checkDecoder(child, "\(path).decoders[\(index)]")
            }
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
