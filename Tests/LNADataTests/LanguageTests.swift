import Testing
import LNAData

@Suite struct LanguageTests {
    @Test func resolvesEverySpellingToTheSameEntry() throws {
        for name in ["zh", "zho_Hans", "Chinese", "中文", "ZH", " chinese ", "zho-Hans", "cmn_hans", "zho"] {
            #expect(try Language.resolve(name).code == "zh", "\(name)")
        }
        let sw = try Language.resolve("swh_Latn")
        #expect(sw.code == "sw" && sw.englishName == "Swahili" && sw.nativeName == "Kiswahili" && sw.script == .latin)
        #expect(try Language.resolve("Bokmål").code == "no")
    }

    @Test func unknownNameIsAnErrorWithNearMatches() {
        #expect(throws: LanguageError.self) { try Language.resolve("Chines") }
        do {
            _ = try Language.resolve("Chines")
        } catch {
            #expect(error.description.contains("Chinese (zh)"))
            #expect(!error.description.contains("\n"))
        }
        #expect(Language.nearMatches(for: "Germen").first?.code == "de")
        #expect(Language.nearMatches(for: "spa_Latm").first?.code == "es")
    }

    @Test func namesAreUniqueAcrossLanguages() {
        var owner: [String: String] = [:]
        for language in Language.all {
            for name in Set(language.names.map { $0.lowercased().replacingOccurrences(of: "-", with: "_") }) {
                #expect(owner[name] == nil, "\(name) names both \(owner[name] ?? "") and \(language.code)")
                owner[name] = language.code
            }
        }
        #expect(Set(Language.all.map(\.code)).count == Language.all.count)
    }

    @Test func coversEveryDatasetAndPipelineLanguage() throws {
        let sib = ["eng_Latn", "zho_Hans", "spa_Latn", "fra_Latn", "deu_Latn", "jpn_Jpan", "rus_Cyrl", "ben_Beng",
                   "tha_Thai", "swh_Latn", "arb_Arab", "hin_Deva", "kor_Hang", "vie_Latn", "ind_Latn", "tel_Telu",
                   "ita_Latn", "por_Latn", "tur_Latn", "pol_Latn"]
        for code in sib { #expect(try Language.resolve(code).flores == code) }
        for code in ["bn", "de", "en", "es", "fr", "ja", "ru", "sw", "te", "th", "zh"] { _ = try Language.resolve(code) }
        for name in ["Bengali", "Chinese", "English", "French", "German", "Japanese", "Russian", "Spanish", "Swahili", "Thai"] {
            #expect(try Language.resolve(name).englishName == name)
        }
        #expect(Language.njunlpOrder.map(\.code) == ["en", "ru", "es", "fr", "de", "zh", "ja", "bn", "th", "sw"])
        #expect(Language.paperLanguages.map(\.code) == ["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw"])
        #expect(Language.tangOrder.map(\.code) == ["en", "zh", "fr", "es", "vi", "id", "ja"])
        #expect(Language.gurgurovOrder.map(\.code) == ["bo", "mt", "it", "es", "de", "ja", "ar", "zh", "af", "nl", "fr",
                                                       "pt", "ru", "ko", "hi", "tr", "pl", "sv", "da", "no", "en"])
    }

    @Test func nativeNamesAreWrittenInTheLanguagesOwnScript() {
        for language in Language.all {
            let dominant = Script.dominant(in: language.nativeName)
            #expect(dominant.map(language.scripts.contains) == true, "\(language.code): \(language.nativeName)")
        }
    }

    @Test func resolveAllKeepsOrderAndDropsRepeats() throws {
        #expect(try Language.resolveAll(["ja", "English", "jpn_Jpan", "en"]).map(\.code) == ["ja", "en"])
    }
}

@Suite struct ScriptTests {
    @Test func classifiesScalarsOfEachScript() {
        let samples: [(Unicode.Scalar, Script?)] = [
            ("a", .latin), ("Z", .latin), ("é", .latin), ("ß", .latin), ("ж", .cyrillic), ("Ω", .greek),
            ("ع", .arabic), ("क", .devanagari), ("ক", .bengali), ("ก", .thai), ("ె", .telugu), ("中", .han),
            ("あ", .hiragana), ("カ", .katakana), ("한", .hangul), ("ཀ", .tibetan), ("א", .hebrew),
            ("7", nil), (" ", nil), (",", nil), ("。", nil), ("ー", nil), ("・", nil), ("×", nil),
        ]
        for (scalar, script) in samples { #expect(Script.of(scalar) == script, "\(scalar)") }
    }

    @Test func histogramAndDominantIgnoreCommonCharacters() {
        #expect(Script.histogram("東京へ行く!") == [.han: 3, .hiragana: 2])
        #expect(Script.dominant(in: "Привет, world!") == .cyrillic)
        #expect(Script.dominant(in: "123 ...") == nil)
    }
}
