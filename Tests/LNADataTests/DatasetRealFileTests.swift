import Testing
import LNAData
import LNATestSupport

/// Loads the shared datasets (skipped when ../shared is missing outside CI).
@Suite struct DatasetRealFileTests {
    static let sibFolders = ["eng_Latn", "zho_Hans", "spa_Latn", "fra_Latn", "deu_Latn", "jpn_Jpan", "rus_Cyrl",
                             "ben_Beng", "tha_Thai", "swh_Latn", "arb_Arab", "hin_Deva", "kor_Hang", "vie_Latn",
                             "ind_Latn", "tel_Telu", "ita_Latn", "por_Latn", "tur_Latn", "pol_Latn"]

    @Test func sib200HasTheDocumentedCountsForAllTwentyLanguages() throws {
        guard let root = try TestResources.shared("datasets/sib200") else { return }
        #expect(try DatasetFormat.detect(path: root.path) == .sib200)
        for (split, count) in [(DatasetSplit.train, 701), (.dev, 99), (.test, 204), (.all, 1004)] {
            let sets = try Dataset.load(path: root.path, split: split)
            #expect(sets.count == 20)
            #expect(Set(sets.map(\.language.flores)) == Set(Self.sibFolders))
            for set in sets {
                #expect(set.texts.count == count, "\(set.language.flores) \(split)")
                #expect(set.skippedRows == 0)
                #expect(set.texts.allSatisfy { !$0.isEmpty })
            }
        }
    }

    @Test func sib200RowsAreExactIncludingCSVQuoting() throws {
        guard let root = try TestResources.shared("datasets/sib200") else { return }
        let en = try Dataset.load(path: root.path, languages: ["en"], split: .train)[0].texts
        #expect(en.first == "Turkey is encircled by seas on three sides: the Aegean Sea to the west, the Black Sea to the north and the Mediterranean Sea to the south.")
        #expect(en.last == "Interactive design requires that components of a project connect to each other, but also make sense as a separate entity.")
        // Row 12 (file line 13) is quoted with doubled inner quotes.
        #expect(en[11] == "\"She’s very cute and sings quite well, too,\" he said according to a transcript of the news conference.")
        #expect(en.contains("The station's web site describes the show as \"old school radio theater with a new and outrageous geeky spin!\""))
        #expect(!en.contains { $0.hasPrefix("\"\"") || $0.hasSuffix("\"\"") })
        let zhDev = try Dataset.load(path: root.path, languages: ["Chinese"], split: .dev)[0].texts
        #expect(zhDev.first == "从四分之一英里转变为半英里的赛跑，速度变得不那么重要了，耐力成为绝对重要的因素。")
        let thTest = try Dataset.load(path: root.appendingPathComponent("tha_Thai").path, split: .test)[0].texts
        #expect(thTest.last == "ถ้ำแห่งนี้อยู่บนหนึ่งยอดเขาหนึ่งที่อยู่ทางเหนือของกรุงเมกกะและตัดขาดจากส่วนอื่น ๆ ของโลกโดยสิ้นเชิง")
    }

    @Test func languagesComeBackInTheRequestedOrder() throws {
        guard let root = try TestResources.shared("datasets/sib200") else { return }
        let sets = try Dataset.load(path: root.path, languages: ["sw", "zho_Hans", "English"], split: .dev)
        #expect(sets.map(\.language.code) == ["sw", "zh", "en"])
        #expect(throws: DataError.self) { try Dataset.load(path: root.path, languages: ["bo"], split: .dev) }
    }

    @Test func mgsmHasElevenParallelLanguages() throws {
        guard let root = try TestResources.shared("datasets/mgsm") else { return }
        #expect(try DatasetFormat.detect(path: root.path) == .mgsm)
        let sets = try Dataset.load(path: root.path)
        #expect(sets.map(\.language.code) == ["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw", "te"])
        for set in sets {
            #expect(set.texts.count == 250 && set.examples.count == 250)
            #expect(set.examples.map(\.responses) == sets[0].examples.map(\.responses))
        }
        let zh = sets[1]
        #expect(zh.texts[0] == "珍妮特的鸭子每天下 16 颗蛋。她每天早上早餐时吃 3 颗，每天用 4 颗为自己的朋友做松饼。剩下的鸭蛋她每天拿去农贸市场卖，每颗新鲜鸭蛋卖 2 美元。她每天在农贸市场赚多少钱？")
        #expect(zh.examples[0].responses == ["18"])
        let sw = try Dataset.load(path: root.appendingPathComponent("mgsm_sw.tsv").path)[0]
        #expect(sw.examples.last?.responses == ["5,600"])
        #expect(sw.texts.last?.hasPrefix("Jumatatu, Sue alikula biskuti") == true)
    }

    @Test func msvampIsReadAsJSONLines() throws {
        guard let root = try TestResources.shared("datasets/msvamp") else { return }
        #expect(try DatasetFormat.detect(path: root.path) == .msvamp)
        let sets = try Dataset.load(path: root.path)
        #expect(sets.map(\.language.code) == ["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw"])
        for set in sets { #expect(set.texts.count == 1000) }
        #expect(sets[0].texts[0] == "julia played tag with 18 kids on monday . she played tag with 10 kids on tuesday . how many more kids did she play with on monday than on tuesday ?")
        #expect(sets[1].texts[0] == "朱莉娅星期一和18个孩子一起玩捉迷藏。星期二她和10个孩子一起玩捉迷藏。她星期一比星期二多玩了多少个孩子？")
        #expect(sets[1].examples[0].responses == ["8.0"])
        let thai = try Dataset.load(path: root.appendingPathComponent("test_Thai.json").path)[0]
        #expect(thai.language.code == "th" && thai.examples.last?.responses == ["22800.0"])
    }

    @Test func udhrTextFilesLoadByLanguageName() throws {
        guard let root = try TestResources.shared("datasets/udhr") else { return }
        let en = try Dataset.load(path: root.appendingPathComponent("eng.txt").path)[0]
        #expect(en.language.code == "en")
        #expect(en.texts.first == "Universal Declaration of Human Rights")
        #expect(en.texts[1] == "Preamble")  // indentation trimmed
        let some = try Dataset.load(path: root.path, languages: ["de", "Thai", "el"])
        #expect(some.map(\.language.code) == ["de", "th", "el"])
        #expect(some.allSatisfy { $0.texts.count > 50 })
        // Two Chinese files (cmn_hans, cmn_hant) map to zh: asking for zh from the folder is ambiguous.
        #expect(throws: DataError.self) { try Dataset.load(path: root.path, languages: ["zh"]) }
    }
}
