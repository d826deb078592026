import Foundation
import LNATokenizers
import Testing

/// The word splitters on hand-computed examples of llama.cpp's behaviour.
@Suite struct PreTokenizerTests {
    @Test func gpt2SplitsLettersNumbersPunctuationAndSpaces() {
        #expect(PreTokenizer.gpt2.split("Hello world") == ["Hello", " world"])
        #expect(PreTokenizer.gpt2.split("it's x 123!!") == ["it", "'s", " x", " 123", "!!"])
        #expect(PreTokenizer.gpt2.split("a  b") == ["a", " ", " b"])
        #expect(PreTokenizer.gpt2.split("a  ") == ["a", "  "])   // `\s+(?!\S)` keeps a trailing run whole
        // Contractions are case-sensitive in GPT-2.
        #expect(PreTokenizer.gpt2.split("I'M ok\n\n  x") == ["I", "'", "M", " ok", "\n\n ", " x"])
    }

    @Test func smollmIsolatesEveryNumber() {
        #expect(PreTokenizer.smollm.split("x 123") == ["x", " ", "1", "2", "3"])
        #expect(PreTokenizer.smollm.split("½ and ٣") == ["½", " and", " ", "٣"])
    }

    @Test func qwen2AndLlama3FollowTheirPatterns() {
        #expect(PreTokenizer.qwen2.split("Hello world 42") == ["Hello", " world", " ", "4", "2"])
        #expect(PreTokenizer.qwen2.split("I'M ok\n\n  x") == ["I", "'M", " ok", "\n\n", " ", " x"])
        #expect(PreTokenizer.llama3.split("12345") == ["123", "45"])
        #expect(PreTokenizer.qwen2.split("e\u{301}") == ["e", "\u{301}"])   // a combining mark is not a letter
        #expect(PreTokenizer.qwen2.split("(x)\r\n") == ["(x", ")\r\n"])
    }

    @Test func ggufNamesAndAliases() {
        #expect(PreTokenizer(ggufName: "smollm") == .smollm)
        #expect(PreTokenizer(ggufName: "gpt-2") == .gpt2)
        #expect(PreTokenizer(ggufName: "llama-bpe") == .llama3)
        #expect(PreTokenizer(ggufName: "deepseek-llm") == nil)
    }
}

/// Unicode classes as llama.cpp's Unicode 15.1 table has them.
@Suite struct CodepointFlagsTests {
    @Test func categoriesAndWhitespace() {
        #expect(CodepointFlags.of(0x61).isLetter)
        #expect(CodepointFlags.of(0x35).isNumber)
        #expect(CodepointFlags.of(0xA0).isWhitespace && CodepointFlags.of(0xA0).isSeparator)
        #expect(CodepointFlags.of(0x301).isMark)
        #expect(CodepointFlags.of(0x1F600).isSymbol)
        #expect(CodepointFlags.of(0x200D).isControl && !CodepointFlags.of(0x200D).isWhitespace)   // ZWJ
        #expect(!CodepointFlags.of(0x1C).isWhitespace)   // llama.cpp's list, not Python's isspace
        #expect(CodepointFlags.of(0x1C89).isUndefined)   // assigned in Unicode 16, unknown to llama.cpp's table
        #expect(CodepointFlags.of(0x110000).isUndefined)
    }

    @Test func byteLevelAlphabetIsABijection() {
        #expect(ByteLevelAlphabet.scalar(for: 0x20) == "Ġ")
        #expect(ByteLevelAlphabet.scalar(for: 0x0A) == "Ċ")
        let all = [UInt8](0...255)
        #expect(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(all)) == all)
        #expect(ByteLevelAlphabet.decode("日") == nil)
    }
}

/// Opt-in: compares `CodepointFlags` with llama.cpp's generated table for every code point. Point
/// `LNA_LLAMACPP_UNICODE_DATA` at llama.cpp's `src/unicode-data.cpp` (e.g. from the llama-cpp-python sdist).
@Suite struct LlamaCppUnicodeTableTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LNA_LLAMACPP_UNICODE_DATA"] != nil))
    func categoriesMatchLlamaCppTable() throws {
        let path = ProcessInfo.processInfo.environment["LNA_LLAMACPP_UNICODE_DATA"]!
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let body = try #require(source.components(separatedBy: "unicode_ranges_flags = {").last?
            .components(separatedBy: "};").first)
        let ranges: [(start: Int, flags: Int)] = body.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { "{}, ".contains($0) })
            guard fields.count >= 2, let start = Int(fields[0].dropFirst(2), radix: 16),
                  let flags = Int(fields[1].dropFirst(2), radix: 16) else { return nil }
            return (start, flags)
        }
        #expect(ranges.count > 1000)
        var mismatches = 0
        for index in 0..<(ranges.count - 1) {
            for codepoint in ranges[index].start..<ranges[index + 1].start
            where Int(CodepointFlags.of(UInt32(codepoint)).rawValue) != ranges[index].flags & 0xFF {
                mismatches += 1
            }
        }
        print("[unicode] \(mismatches) code points differ from llama.cpp's table")
        #expect(mismatches == 0)
    }
}
