import Foundation
import Testing
import LNAData
import LNALangID
import LNATestSupport

@Suite struct LanguageIdentifierTests {
    static let tiny: [String: [String]] = [
        "en": ["the cat is on the table", "where is the station please", "I would like a cup of tea"],
        "fr": ["le chat est sur la table", "où est la gare s'il vous plaît", "je voudrais une tasse de thé"],
        "de": ["die Katze ist auf dem Tisch", "wo ist der Bahnhof bitte", "ich möchte eine Tasse Tee"],
        "zh": ["猫在桌子上", "请问火车站在哪里", "我想要一杯茶"],
        "ja": ["猫はテーブルの上にいます", "駅はどこですか", "お茶を一杯ください"],
    ]

    @Test func ngramsSeparateLanguagesOfOneScript() throws {
        let identifier = try LanguageIdentifier.train(texts: Self.tiny)
        #expect(identifier.languages.map(\.code) == ["en", "zh", "fr", "de", "ja"])
        #expect(identifier.predict("the table is where the cat is").language == "en")
        #expect(identifier.predict("la gare est où").language == "fr")
        #expect(identifier.predict("wo ist die Katze").language == "de")
        let zh = identifier.predict("火车站在哪里")
        #expect(zh.language == "zh" && zh.method == "ngram")
    }

    @Test func scriptsDecideWhereTheyAreUnambiguous() throws {
        let identifier = try LanguageIdentifier.train(texts: Self.tiny)
        let ja = identifier.predict("これはペンです")
        #expect(ja.language == "ja" && ja.method == "script" && ja.confidence == 1)
        // Not trained, but only one known language writes Thai, Hangul or Telugu.
        #expect(identifier.predict("สวัสดีครับ").language == "th")
        #expect(identifier.predict("안녕하세요").language == "ko")
        #expect(identifier.predict("నమస్కారం మిత్రమా").language == "te")
        // Bengali script is also Assamese and Manipuri, Cyrillic is ru, uk, bg …; none trained: undecidable.
        #expect(identifier.predict("আমি ভাত খাই").isUnknown)
        #expect(identifier.predict("Привет, как дела?").isUnknown)
    }

    @Test func emptyShortOrLetterlessTextIsUnknown() throws {
        let identifier = try LanguageIdentifier.train(texts: Self.tiny)
        for text in ["", "   ", "12345", "?!", "ok", "—"] {
            let prediction = identifier.predict(text)
            #expect(prediction.isUnknown && prediction.language == "unknown", "\(text)")
        }
        var strict = LanguageIdentifier.Options()
        strict.minConfidence = 1.01
        let never = try LanguageIdentifier.train(texts: Self.tiny, options: strict)
        #expect(never.predict("the cat is on the table").isUnknown)
    }

    @Test func evaluateCountsCorrectAndConfusions() throws {
        let identifier = try LanguageIdentifier.train(texts: Self.tiny)
        let report = identifier.evaluate(["English": ["the cat is on the table", "1234"], "fr": ["le chat est sur la table"]])
        #expect(report.languages == ["en", "fr"])
        #expect(report.perLanguage["en"] == .init(correct: 1, total: 2))
        #expect(report.confusion["en"] == ["en": 1, "unknown": 1])
        #expect(report.correct == 2 && report.total == 3)
        #expect(abs(report.accuracy - 2.0 / 3.0) < 1e-12 && abs(report.macroAccuracy - 0.75) < 1e-12)
        // en: 1 of 2 found, 1 predicted → P 1, R 0.5, F1 2/3; fr: P = R = F1 = 1.
        let en = report.f1("en")
        #expect(en.precision == 1 && en.recall == 0.5 && abs(en.f1 - 2.0 / 3.0) < 1e-12)
        #expect(report.f1("fr").f1 == 1 && abs(report.macroF1 - 5.0 / 6.0) < 1e-12)
    }

    @Test func saveAndLoadRoundTripExactly() throws {
        let folder = try TestResources.temporaryDirectory("lna-langid")
        let url = folder.appendingPathComponent("model.json")
        let identifier = try LanguageIdentifier.train(texts: Self.tiny)
        try identifier.save(to: url)
        let loaded = try LanguageIdentifier.load(from: url)
        #expect(loaded.profiles == identifier.profiles && loaded.options == identifier.options)
        #expect(try loaded.jsonData() == identifier.jsonData())
        for text in ["le chat", "the station", "駅はどこ", "我想要茶"] { #expect(loaded.predict(text) == identifier.predict(text)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.json"])
    }

    @Test func badModelsAndBadTrainingInputAreErrors() throws {
        let folder = try TestResources.temporaryDirectory("lna-langid")
        let junk = folder.appendingPathComponent("junk.json")
        try Data("{\"format\": \"something\"}".utf8).write(to: junk)
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier.load(from: junk) }
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier.load(from: folder.appendingPathComponent("none.json")) }
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier.train(texts: ["xx": ["hello"]]) }
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier.train(texts: ["en": ["123"]]) }
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier.train(texts: ["en": ["a b c"], "English": ["d e f"]]) }
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier.train(texts: [:]) }
        // A hand-edited model whose counts do not match its n-grams is refused, not trusted.
        let broken = LanguageIdentifier.Profile(language: "en", total: 5, grams: ["a", "b"], counts: [5])
        let overfull = LanguageIdentifier.Profile(language: "en", total: 5, grams: ["a", "b"], counts: [5, 1])
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier(profiles: [overfull]) }
        var negative = LanguageIdentifier.Options()
        negative.minOrder = -1
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier.train(texts: Self.tiny, options: negative) }
        #expect(throws: LanguageIDError.self) { try LanguageIdentifier(profiles: [broken]) }
    }
}

/// The accuracy figures the docs quote, on real data.
@Suite struct LanguageIdentifierAccuracyTests {
    static let paper = ["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw"]

    static func texts(_ sets: [LanguageTexts]) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: sets.map { ($0.language.code, $0.texts) })
    }

    @Test func sib200TrainedReachesNinetyFivePercentOnSIB200Dev() throws {
        guard let root = try TestResources.shared("datasets/sib200") else { return }
        let train = try Dataset.load(path: root.path, languages: Self.paper, split: .train)
        let dev = try Dataset.load(path: root.path, languages: Self.paper, split: .dev)
        let identifier = try LanguageIdentifier.train(texts: Self.texts(train))
        let report = identifier.evaluate(Self.texts(dev))
        #expect(report.total == 990)
        #expect(report.accuracy >= 0.95, "SIB-200-trained accuracy on dev: \(report.accuracy)")
        for code in Self.paper { #expect(report.perLanguage[code]!.accuracy >= 0.9, "\(code)") }
        print("SIB-200-trained on SIB-200 dev: \(report.correct)/\(report.total) = \(report.accuracy)")
    }

    /// The built-in model (205 languages) on the built-in corpus, text it was not trained on.
    @Test func builtinModelOnBuiltinCorpus() throws {
        let corpus = try BuiltinCorpus.texts(split: .all)
        let report = try LanguageIdentifier.builtin().evaluate(Self.texts(corpus))
        #expect(report.total == 10 * BuiltinCorpus.count)
        #expect(report.accuracy >= 0.9, "built-in model on the built-in corpus: \(report.accuracy)")
        print("built-in model on the built-in corpus: \(report.correct)/\(report.total) = \(report.accuracy)")
    }
}
