import Foundation
import LNAFiles

extension TokenizerVocabulary {
    /// This vocabulary as a Hugging Face `tokenizer.json` document whose tokenization equals this tokenizer's.
    ///
    /// * `gpt2`: a byte-level BPE with the pre-tokenizer spelled as Hugging Face does (ByteLevel; Digits +
    ///   ByteLevel for SmolLM; Split(pattern) + ByteLevel for Qwen2 / Llama 3). No NFC normalizer is written, since
    ///   llama.cpp does not normalise either.
    /// * `llama` (SentencePiece scores): a BPE with `byte_fallback` whose merges are derived from the scores: every
    ///   split of every token into two tokens, ranked by the score of the whole token (best first). This is how
    ///   Hugging Face converts SentencePiece BPE models too, and gives the same merges order as llama.cpp's queue.
    /// * A vocabulary read from a tokenizer.json is written back as that document, unchanged.
    /// * Control and unknown tokens are written as special added tokens, user-defined tokens as non-special ones.
    ///   Note: Hugging Face's `encode` parses special-token text by default (llama.cpp's `parse_special = true`).
    ///
    /// ```swift
    /// let json = try TokenizerVocabulary(gguf: gguf).huggingFaceTokenizerJSON()
    /// try json.write(to: directory.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8)
    /// ```
    public func huggingFaceTokenizerJSON() throws -> String {
        if let huggingFace { return huggingFace.document }
        if model == .unigram {
            throw TokenizerError.invalidVocabulary(source: "tokenizer.json export", key: "model",
                                                   expected: "a Unigram vocabulary read from a tokenizer.json")
        }
        var out = JSONTextWriter()
        out.raw("{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[")
        var first = true
        let types = effectiveTokenTypes()
        for id in tokens.indices {
            let kind = types[id]
            guard kind == .control || kind == .unknown || kind == .userDefined || kind == .unused else { continue }
            if !first { out.raw(",") }
            first = false
            out.raw("{\"id\":\(id),\"content\":")
            out.string(tokens[id])
            out.raw(",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":\(kind != .userDefined)}")
        }
        out.raw("],\"normalizer\":")
        switch model {
        case .gpt2:
            out.raw("null,\"pre_tokenizer\":")
            guard let pre = PreTokenizer(ggufName: preTokenizer) else {
                throw TokenizerError.unsupportedPreTokenizer(source: "tokenizer.json export", name: preTokenizer,
                                                             supported: PreTokenizer.supportedNames)
            }
            let byteLevel = "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":"
            switch pre {
            case .gpt2:
                out.raw(byteLevel + "true}")
            case .smollm:
                out.raw("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Digits\",\"individual_digits\":true},"
                        + byteLevel + "true}]}")
            case .qwen2, .llama3:
                out.raw("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":")
                out.string(pre.huggingFacePattern)
                out.raw("},\"behavior\":\"Isolated\",\"invert\":false}," + byteLevel + "false}]}")
            }
        case .llama, .bpeByteFallback, .unigram:
            let prepend = addSpacePrefix ? "{\"type\":\"Prepend\",\"prepend\":\"▁\"}," : ""
            out.raw("{\"type\":\"Sequence\",\"normalizers\":[\(prepend){\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"▁\"}]}")
            out.raw(",\"pre_tokenizer\":null")
        }
        out.raw(",\"post_processor\":")
        writePostProcessor(&out)
        out.raw(",\"decoder\":")
        switch model {
        case .gpt2:
            out.raw("{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,\"use_regex\":true}")
        case .llama, .bpeByteFallback, .unigram:
            let strip = addSpacePrefix ? ",{\"type\":\"Strip\",\"content\":\" \",\"start\":1,\"stop\":0}" : ""
            out.raw("{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace\",\"pattern\":{\"String\":\"▁\"},\"content\":\" \"},"
                    + "{\"type\":\"ByteFallback\"},{\"type\":\"Fuse\"}\(strip)]}")
        }
        let byteFallback = model != .gpt2
        out.raw(",\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":")
        if byteFallback, let unknownID { out.string(tokens[unknownID]) } else { out.raw("null") }
        out.raw(",\"continuing_subword_prefix\":null,\"end_of_word_suffix\":null,\"fuse_unk\":\(byteFallback)")
        out.raw(",\"byte_fallback\":\(byteFallback),\"ignore_merges\":\(ignoreMerges || PreTokenizer(ggufName: preTokenizer) == .llama3 && model == .gpt2),\"vocab\":{")
        for (id, text) in tokens.enumerated() {
            if id > 0 { out.raw(",") }
            out.string(text)
            out.raw(":\(id)")
        }
        out.raw("},\"merges\":[")
        let pairs = model == .llama ? scoreMerges() : merges.compactMap(Self.splitMerge)
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("[")
            out.string(pair.0)
            out.raw(",")
            out.string(pair.1)
            out.raw("]")
        }
        out.raw("]}}")
        return out.text
    }

    private func writePostProcessor(_ out: inout JSONTextWriter) {
        let bos = addBOS ? bosID : nil
        let eos = addEOS ? eosID : nil
        guard bos != nil || eos != nil else {
            out.raw(model == .gpt2 ? "{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":false,\"use_regex\":true}" : "null")
            return
        }
        func special(_ id: Int) -> String {
            var item = JSONTextWriter()
            item.raw("{\"SpecialToken\":{\"id\":")
            item.string(tokens[id])
            item.raw(",\"type_id\":0}}")
            return item.text
        }
        let sequence = { (name: String) in "{\"Sequence\":{\"id\":\"\(name)\",\"type_id\":0}}" }
        let single = ([bos.map(special), sequence("A"), eos.map(special)] as [String?]).compactMap { $0 }
        let pair = ([bos.map(special), sequence("A"), eos.map(special), bos.map(special), sequence("B"), eos.map(special)]
            as [String?]).compactMap { $0 }
        out.raw("{\"type\":\"TemplateProcessing\",\"single\":[\(single.joined(separator: ","))],\"pair\":[\(pair.joined(separator: ","))],\"special_tokens\":{")
        let ids = Array(Set([bos, eos].compactMap { $0 })).sorted()
        for (index, id) in ids.enumerated() {
            if index > 0 { out.raw(",") }
            out.string(tokens[id])
            out.raw(":{\"id\":")
            out.string(tokens[id])
            out.raw(",\"ids\":[\(id)],\"tokens\":[")
            out.string(tokens[id])
            out.raw("]}")
        }
        out.raw("}}")
    }

    private static func splitMerge(_ merge: String) -> (String, String)? {
        let utf8 = Array(merge.utf8)
        guard let separator = utf8.dropFirst().firstIndex(of: 0x20) else { return nil }
        return (String(decoding: utf8[..<separator], as: UTF8.self),
                String(decoding: utf8[(separator + 1)...], as: UTF8.self))
    }

    /// Merges equivalent to SentencePiece scores: for every token (best score first, then lower id) every split
    /// into two vocabulary tokens, left part shortest first. Tokens containing a plain space are skipped: they are
    /// user-defined and cut out of the text before the model runs.
    func scoreMerges() -> [(String, String)] {
        // Byte-exact lookups: a Swift String dictionary would merge canonically equivalent tokens.
        var builder = ByteStringTable.Builder()
        for (id, text) in tokens.enumerated() { builder.insert(Array(text.utf8), value: Int32(id)) }
        let index = builder.build()
        let order = tokens.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var result: [(String, String)] = []
        for id in order {
            let text = tokens[id]
            guard !text.isEmpty, !text.utf8.contains(0x20) else { continue }
            // Split at every code point (not Character) boundary, on bytes.
            let utf8 = Array(text.utf8)
            var split = utf8SequenceLength(utf8[0])
            while split < utf8.count {
                if index.lookup(Array(utf8[..<split])) >= 0 && index.lookup(Array(utf8[split...])) >= 0 {
                    result.append((String(decoding: utf8[..<split], as: UTF8.self),
                                   String(decoding: utf8[split...], as: UTF8.self)))
                }
                split += utf8SequenceLength(utf8[split])
            }
        }
        return result
    }
}
