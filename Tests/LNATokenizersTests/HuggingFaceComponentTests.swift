import Foundation
import LNATokenizers
import Testing

/// tokenizer.json components on inline documents small enough to check by hand (examples from the Hugging Face
/// `tokenizers` documentation and sources).
@Suite struct HuggingFaceComponentTests {
    static func unigram(_ pieces: [(String, Double)], unknownID: Int = 0, normalizer: String = "null",
                        pre: String = "null", decoder: String = "null", byteFallback: Bool = false) throws -> Tokenizer {
        let vocab = pieces.map { "[\(jsonString($0.0)),\($0.1)]" }.joined(separator: ",")
        let json = #"{"added_tokens":[],"normalizer":\#(normalizer),"pre_tokenizer":\#(pre),"post_processor":null,"decoder":\#(decoder),"model":{"type":"Unigram","unk_id":\#(unknownID),"vocab":[\#(vocab)],"byte_fallback":\#(byteFallback)}}"#
        return try Tokenizer(huggingFaceJSON: Data(json.utf8), source: "inline.json")
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
            .description
    }

    @Test func unigramPicksTheBestTotalScoreAndFusesUnknowns() throws {
        // The `Unigram::encode` doc example: "abcdacdxx" → abcd, a, cd, xx (one fused unknown).
        let tokenizer = try Self.unigram([("<unk>", 0), ("a", 0), ("b", 0), ("c", 0), ("d", 0), ("cd", 1), ("ab", 2),
                                          ("abc", 5), ("abcd", 10)])
        #expect(tokenizer.encode("abcdacdxx") == [8, 1, 5, 0])
        #expect(tokenizer.encode("") == [])
    }

    @Test func unigramByteFallbackReplacesUnknownStretches() throws {
        let tokenizer = try Self.unigram([("<unk>", 0), ("a", -1), ("<0x78>", -5), ("<0xC3>", -5), ("<0xA9>", -5)],
                                         byteFallback: true)
        // "x" and "é" (C3 A9) have no piece: one fused unknown stretch, then its bytes.
        #expect(tokenizer.encode("axé") == [1, 2, 3, 4])
        // "ü" (C3 BC) lacks <0xBC>: the whole stretch is <unk>.
        #expect(tokenizer.encode("aü") == [1, 0])
    }

    /// "the-final--countdown" split on "-" with each behaviour (the `Split` documentation's example).
    @Test(arguments: [
        ("Removed", ["the", "final", "countdown"]),
        ("Isolated", ["the", "-", "final", "-", "-", "countdown"]),
        ("MergedWithPrevious", ["the-", "final-", "-", "countdown"]),
        ("MergedWithNext", ["the", "-final", "-", "-countdown"]),
        ("Contiguous", ["the", "-", "final", "--", "countdown"]),
    ])
    func splitBehaviours(_ behavior: String, _ words: [String]) throws {
        let pieces = ["<unk>", "the", "-", "final", "countdown", "the-", "final-", "-final", "-countdown", "--"]
        let tokenizer = try Self.unigram(pieces.map { ($0, -1) },
                                         pre: #"{"type":"Split","pattern":{"String":"-"},"behavior":"\#(behavior)","invert":false}"#)
        #expect(tokenizer.pieces(tokenizer.encode("the-final--countdown")) == words)
    }

    @Test func metaspaceSplitsBeforeEachReplacement() throws {
        let pieces = ["<unk>", "▁", "▁hey", "▁friend", "friend"]
        let always = try Self.unigram(pieces.map { ($0, -1) },
                                      pre: #"{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}"#)
        #expect(always.pieces(always.encode("hey  friend")) == ["▁hey", "▁", "▁friend"])
        let never = try Self.unigram(pieces.map { ($0, -1) },
                                     pre: #"{"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":true}"#)
        #expect(never.pieces(never.encode("friend")) == ["friend"])
    }

    @Test func normalizersApplyInOrder() throws {
        // NFKD + Lowercase + Strip + Replace(Regex) + Prepend: " ＡＢ  c " → "▁ab c"
        let normalizer = #"{"type":"Sequence","normalizers":[{"type":"NFKD"},{"type":"Lowercase"},{"type":"Strip","strip_left":true,"strip_right":true},{"type":"Replace","pattern":{"Regex":" {2,}"},"content":" "},{"type":"Prepend","prepend":"▁"}]}"#
        let tokenizer = try Self.unigram([("<unk>", 0), ("▁ab", -1), (" ", -1), ("c", -1)], normalizer: normalizer)
        #expect(tokenizer.pieces(tokenizer.encode(" ＡＢ  c ")) == ["▁ab", " ", "c"])
    }

    @Test func whitespacePunctuationAndDigits() throws {
        let pre = #"{"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},{"type":"Punctuation","behavior":"Isolated"},{"type":"Digits","individual_digits":true}]}"#
        let pieces = ["<unk>", "hi", "!", "1", "2", "a"]
        let tokenizer = try Self.unigram(pieces.map { ($0, -1) }, pre: pre)
        #expect(tokenizer.pieces(tokenizer.encode("hi!  12a")) == ["hi", "!", "1", "2", "a"])
    }

    @Test func decodersFollowTokenizers() throws {
        let pieces = ["<unk>", "▁a▁b", "▁c", "<0xC3>", "<0xA9>", "<0xFF>"].map { ($0, -1.0) }
        // Metaspace drops every replacement character of the first token (not only the leading one).
        let metaspace = try Self.unigram(pieces, decoder: #"{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}"#)
        #expect(metaspace.decode([1, 2]) == "ab c")
        // ByteFallback: a valid run becomes its text, an invalid run one U+FFFD per byte; no decoder joins with spaces.
        let bytes = try Self.unigram(pieces, decoder: #"{"type":"Sequence","decoders":[{"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":"▁","start":1,"stop":0}]}"#)
        #expect(bytes.decode([3, 4, 2, 5]) == "é▁c\u{FFFD}")
        #expect(try Self.unigram(pieces).decode([1, 2]) == "▁a▁b ▁c")
    }

    @Test func unknownTypesNameTheFileAndPath() {
        let error = #expect(throws: TokenizerError.self) {
            try Self.unigram([("<unk>", 0)], normalizer: #"{"type":"Sequence","normalizers":[{"type":"Nmt"}]}"#)
        }
        #expect(error?.description.hasPrefix("inline.json: normalizer.normalizers[0] has type 'Nmt', which is not supported") == true)
    }
}
