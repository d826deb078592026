import Foundation
import Testing
import LNAData

@Suite struct BuiltinCorpusTests {
    @Test func everyLanguageHasTheSameNumberOfLines() throws {
        #expect(BuiltinCorpus.languages.map(\.code) == ["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw"])
        #expect(BuiltinCorpus.count >= 300)
        for language in BuiltinCorpus.languages {
            #expect(try BuiltinCorpus.sentences(for: language.code).count == BuiltinCorpus.count, "\(language.code)")
        }
    }

    @Test func noEmptyLinesNoDuplicatesNoStraySpaces() throws {
        for language in BuiltinCorpus.languages {
            let lines = try BuiltinCorpus.sentences(for: language.code)
            #expect(lines.allSatisfy { !$0.isEmpty && $0 == $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            #expect(Set(lines).count == lines.count, "\(language.code) has duplicates")
            #expect(!lines.contains { $0.contains("  ") || $0.contains("\n") || $0.contains("\t") })
        }
    }

    @Test func eachLanguageIsWrittenInItsScript() throws {
        for language in BuiltinCorpus.languages {
            for line in try BuiltinCorpus.sentences(for: language.code) {
                let histogram = Script.histogram(line)
                let total = histogram.values.reduce(0, +)
                let own = histogram.filter { language.scripts.contains($0.key) }.values.reduce(0, +)
                #expect(total > 0 && Double(own) >= 0.9 * Double(total), "\(language.code): \(line)")
            }
        }
        // Japanese sentences use kana, Chinese ones never do.
        #expect(try BuiltinCorpus.sentences(for: "ja").allSatisfy { Script.histogram($0)[.hiragana, default: 0] > 0 })
        #expect(try BuiltinCorpus.sentences(for: "zh").allSatisfy {
            Script.histogram($0)[.hiragana] == nil && Script.histogram($0)[.katakana] == nil
        })
    }

    @Test func chineseJapaneseAndThaiDoNotSeparateWords() throws {
        for code in ["zh", "ja"] {
            #expect(try BuiltinCorpus.sentences(for: code).allSatisfy { !$0.contains(" ") }, "\(code)")
        }
        // Thai puts a space only between clauses: at most two per sentence.
        #expect(try BuiltinCorpus.sentences(for: "th").allSatisfy { $0.filter { $0 == " " }.count <= 2 })
    }

    @Test func englishSentencesHaveFiveToTwentyWords() throws {
        for line in try BuiltinCorpus.sentences(for: "en") {
            let words = line.split(separator: " ").count
            #expect((5...20).contains(words), "\(line)")
        }
    }

    @Test func splitIsFirstEightyPercentTrainRestHeldOut() throws {
        let all = try BuiltinCorpus.sentences(for: "de")
        let train = try BuiltinCorpus.sentences(for: "de", split: .train)
        let heldOut = try BuiltinCorpus.sentences(for: "Deutsch", split: .dev)
        #expect(train.count == BuiltinCorpus.count * 8 / 10)
        #expect(train + heldOut == all)
        #expect(try BuiltinCorpus.sentences(for: "de", split: .test) == heldOut)
        let viaDataset = try Dataset.load(path: "builtin", languages: ["th", "en"], split: .train)
        #expect(viaDataset.map(\.language.code) == ["th", "en"] && viaDataset[0].texts.count == train.count)
        #expect(throws: DataError.self) { try BuiltinCorpus.sentences(for: "ko") }
    }
}
