import Foundation
import LNATokenizers
import Testing

/// Each algorithm stage on inline vocabularies small enough to check by hand.
@Suite struct TinyVocabularyTests {
    /// ▁ a b ab ▁a ▁ab, byte tokens for "c", BOS/EOS as control tokens.
    static let sentencePiece = TokenizerVocabulary(
        model: .llama,
        tokens: ["<unk>", "<s>", "</s>", "▁", "a", "b", "ab", "▁a", "▁ab", "<0x63>", "\n"],
        scores: [0, 0, 0, -1, -2, -3, -4, -5, -6, 0, 0],
        tokenTypes: [.unknown, .control, .control, .normal, .normal, .normal, .normal, .normal, .normal, .byte,
                     .userDefined],
        bosID: 1, eosID: 2, unknownID: 0, addBOS: true, addSpacePrefix: true)

    @Test func sentencePieceMergesByScoreAndFallsBackToBytes() throws {
        let tokenizer = try Tokenizer(vocabulary: Self.sentencePiece)
        // "▁ab▁c": "ab" (-4) beats "▁a" (-5), then "▁"+"ab" → "▁ab"; "c" is not a piece → <0x63>.
        #expect(tokenizer.encode("ab c") == [1, 8, 3, 9])
        #expect(tokenizer.encode("ab c", addSpecial: false) == [8, 3, 9])
        #expect(tokenizer.decode([1, 8, 3, 9]) == "ab c")
        #expect(tokenizer.pieces([1, 8]) == ["<s>", "▁ab"])
        #expect(tokenizer.tokenBytes(1) == [])
        #expect(tokenizer.tokenBytes(9) == [0x63])
        // The user-defined "\n" is cut out first; each fragment then gets its space prefix.
        #expect(tokenizer.encode("a\nb") == [1, 7, 10, 3, 5])
        // Control-token text is ordinary text.
        #expect(tokenizer.encode("</s>").contains(2) == false)
        #expect(tokenizer.encode("") == [1])
    }

    @Test func equalScoresMergeLeftmostFirst() throws {
        // "aaa": both pairs make "aa" (same score) → the left pair merges first: [aa][a].
        let vocabulary = TokenizerVocabulary(model: .llama, tokens: ["<unk>", "a", "aa"], scores: [0, -1, -2],
                                             unknownID: 0)
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(tokenizer.encode("aaa") == [2, 1])
    }

    /// Byte-level BPE over the GPT-2 alphabet: "Ġ" is a space.
    static let byteLevel = TokenizerVocabulary(
        model: .gpt2, preTokenizer: "gpt-2",
        tokens: ["a", "b", "c", "Ġ", "ab", "bc", "Ġab", "<|endoftext|>", "<tool>"],
        tokenTypes: [.normal, .normal, .normal, .normal, .normal, .normal, .normal, .control, .userDefined],
        merges: ["b c", "a b", "Ġ ab"], bosID: 7, eosID: 7)

    @Test func byteLevelBPEAppliesMergesByRank() throws {
        let tokenizer = try Tokenizer(vocabulary: Self.byteLevel)
        #expect(tokenizer.encode("ab ab") == [4, 6])
        #expect(tokenizer.encode("abc") == [0, 5])          // "b c" has the better rank than "a b"
        #expect(tokenizer.encode("a<tool>b") == [0, 8, 1])  // user-defined token cut out
        #expect(tokenizer.decode([4, 6]) == "ab ab")
        #expect(tokenizer.tokenBytes(7) == [])
        #expect(!tokenizer.addsBOS)
    }

    @Test func tokenizerJSONRoundTripKeepsTheTokenization() throws {
        // (Texts whose characters all have pieces or byte tokens: llama.cpp has no defined result otherwise.)
        for (vocabulary, texts) in [(Self.sentencePiece, ["ab c", "ab ab a", "a\nb", "c\n", ""]),
                                    (Self.byteLevel, ["ab c", "abc ab", "a<tool>b c", ""])] {
            let original = try Tokenizer(vocabulary: vocabulary)
            let json = try vocabulary.huggingFaceTokenizerJSON()
            let imported = try Tokenizer(huggingFaceJSON: Data(json.utf8))
            for text in texts {
                #expect(imported.encode(text) == original.encode(text), "\(vocabulary.model) \(text.debugDescription)")
            }
        }
    }

    @Test func scoreMergesFollowScoreOrder() throws {
        let json = try Self.sentencePiece.huggingFaceTokenizerJSON()
        let merges = try #require(json.range(of: "\"merges\":[")).upperBound
        // "ab" (-4) first, then "▁a" (-5), then both splits of "▁ab" (-6), left part shortest first.
        #expect(json[merges...].hasPrefix(#"["a","b"],["▁","a"],["▁","ab"],["▁a","b"]]"#))
    }
}

/// Errors name the component, file and key.
@Suite struct TokenizerErrorTests {
    static func document(normalizer: String = "null", model: String = #""type":"BPE","vocab":{"a":0},"merges":[]"#,
                         pre: String = #"{"type":"ByteLevel","add_prefix_space":false,"use_regex":true}"#) -> Data {
        Data(#"{"added_tokens":[],"normalizer":\#(normalizer),"pre_tokenizer":\#(pre),"decoder":null,"post_processor":null,"model":{\#(model)}}"#.utf8)
    }

    @Test func unknownComponentsAreNamed() throws {
        #expect(throws: TokenizerError.unsupportedComponent(
            source: "t.json", path: "normalizer.normalizers[1]", type: "BertNormalizer",
            supported: HuggingFaceComponents.Normalizer.allCases.map(\.rawValue))) {
            try TokenizerVocabulary(huggingFaceJSON: Self.document(
                normalizer: #"{"type":"Sequence","normalizers":[{"type":"NFKC"},{"type":"BertNormalizer"}]}"#),
                                    source: "t.json")
        }
        #expect(throws: TokenizerError.unsupportedComponent(source: "t.json", path: "model", type: "WordPiece",
                                                            supported: ["BPE", "Unigram"])) {
            try TokenizerVocabulary(huggingFaceJSON: Self.document(model: #""type":"WordPiece","vocab":{}"#),
                                    source: "t.json")
        }
        let error = #expect(throws: TokenizerError.self) {
            try TokenizerVocabulary(huggingFaceJSON: Self.document(pre: #"{"type":"Sequence","pretokenizers":[{"type":"UnicodeScripts"}]}"#),
                                    source: "t.json")
        }
        #expect(error?.description == "t.json: pre_tokenizer.pretokenizers[0] has type 'UnicodeScripts', which is not "
                + "supported (supported: \(HuggingFaceComponents.PreTokenizer.allCases.map(\.rawValue).joined(separator: ", ")))")
        #expect(throws: TokenizerError.self) { try TokenizerVocabulary(huggingFaceJSON: Data("{".utf8)) }
    }

    @Test func inconsistentVocabulariesAreRejected() {
        let error = #expect(throws: TokenizerError.self) {
            try Tokenizer(vocabulary: TokenizerVocabulary(model: .llama, tokens: ["a", "b"], scores: [0]), source: "m.gguf")
        }
        #expect(error?.description == "m.gguf: tokenizer key scores: expected 2 entries (one per token), found 1")
        #expect(throws: TokenizerError.self) {
            try Tokenizer(vocabulary: TokenizerVocabulary(model: .gpt2, preTokenizer: "unknown-pre", tokens: ["a"]))
        }
    }
}
