import Foundation
import Testing
import LNAData

/// Importers on small files written by the tests: formats, NJUNLP text construction, malformed rows.
@Suite struct DatasetInlineTests {
    @Test func njunlpBuildsFullAndPrefixTextsLikeTheOriginal() throws {
        let folder = try TestFolder()
        let path = try folder.write("data.json", """
            [{"lang": "English", "instruction": "Q1: ", "answers": [{"generated": "A"}, {"generated": "B"}, {"generated": ""}]},
             {"lang": "Chinese", "instruction": "问：", "answers": [{"generated": "答"}]},
             {"lang": "English", "instruction": "", "answers": [{"generated": "only"}, {}]},
             {"lang": "English", "instruction": "no answers", "extra": 1}]
            """)
        #expect(try DatasetFormat.detect(path: path) == .njunlp)
        let sets = try Dataset.load(path: path)
        #expect(sets.map(\.language.code) == ["en", "zh"])
        let en = sets[0]
        #expect(en.examples == [
            InstructionExample(instruction: "Q1: ", responses: ["A", "B", ""]),
            InstructionExample(instruction: "", responses: ["only", ""]),
            InstructionExample(instruction: "no answers", responses: []),
        ])
        // Full: instruction + generated, empty strings dropped ("" + "" from the empty answer of item 3).
        #expect(en.fullTexts == ["Q1: A", "Q1: B", "Q1: ", "only"])
        #expect(en.texts == en.fullTexts)
        // Prefix: the instruction once per answer; the empty instruction of item 3 is dropped twice.
        #expect(en.prefixTexts == ["Q1: ", "Q1: ", "Q1: "])
        #expect(try Dataset.load(path: path, languages: ["zh"])[0].texts == ["问：答"])
    }

    @Test func njunlpMalformedItemsFailOrAreSkipped() throws {
        let folder = try TestFolder()
        let path = try folder.write("bad.json", """
            [{"lang": "English", "instruction": "ok", "answers": [{"generated": "x"}]},
             {"lang": "Klingon", "instruction": "?", "answers": []},
             {"lang": "English", "instruction": 5, "answers": []},
             "not an object"]
            """)
        do {
            _ = try Dataset.load(path: path, format: .njunlp)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("bad.json: item 2:"))
            #expect(error.description.contains("Klingon"))
            #expect(!error.description.contains("\n"))
        }
        let sets = try Dataset.load(path: path, format: .njunlp, skipBadRows: true)
        #expect(sets.count == 1 && sets[0].texts == ["okx"] && sets[0].skippedRows == 3)
        // Asking for English only ignores the Klingon item, as the original's language filter does.
        #expect(try Dataset.load(path: path, languages: ["en"], skipBadRows: true)[0].skippedRows == 2)
    }

    @Test func mgsmMalformedRowNamesFileAndLine() throws {
        let folder = try TestFolder()
        let path = try folder.write("mgsm_de.tsv", "Frage eins\t1\nkaputt ohne Tab\nFrage\tzwei\tdrei\nFrage vier\t4\n")
        do {
            _ = try Dataset.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error == .malformedRow(path: path, line: 2, reason: "expected question<TAB>answer (2 fields), found 1"))
            #expect(error.description.hasPrefix("\(path):2: "))
        }
        let de = try Dataset.load(path: path, skipBadRows: true)[0]
        #expect(de.language.code == "de" && de.texts == ["Frage eins", "Frage vier"] && de.skippedRows == 2)
    }

    @Test func sib200MalformedRowsAndHeader() throws {
        let folder = try TestFolder()
        try folder.write("sib/fra_Latn/train.tsv", """
            index_id\tcategory\ttext
            1\tsports\t"Il a dit ""oui""."
            2\tsports
            x\ttravel\tTexte
            4\ttravel\t
            5\ttravel\t"fermé"après
            6\thealth\tDernière phrase.

            """)
        let root = folder.path("sib")
        #expect(throws: DataError.malformedRow(path: folder.path("sib/fra_Latn/train.tsv"), line: 3,
                                               reason: "expected 3 tab-separated fields, found 2")) {
            try Dataset.load(path: root, split: .train)
        }
        let fr = try Dataset.load(path: root, split: .train, skipBadRows: true)[0]
        #expect(fr.texts == ["Il a dit \"oui\".", "Dernière phrase."])
        #expect(fr.skippedRows == 4)
        // A missing split file is an error naming the file.
        #expect(throws: DataError.self) { try Dataset.load(path: root, split: .dev) }
        try folder.write("hdr/deu_Latn/train.tsv", "id\ttext\n1\tHallo\n")
        #expect(throws: DataError.malformedRow(path: folder.path("hdr/deu_Latn/train.tsv"), line: 1,
                                               reason: "expected the header index_id<TAB>category<TAB>text")) {
            try Dataset.load(path: folder.path("hdr"), split: .train)
        }
    }

    @Test func msvampAcceptsJSONArraysAndReportsBadLines() throws {
        let folder = try TestFolder()
        let array = try folder.write("test_French.json", """
            [{"m_query": "Combien ?", "response": "3.0"}, {"m_query": "Et alors ?", "response": 4}]
            """)
        let fr = try Dataset.load(path: array)[0]
        #expect(fr.language.code == "fr" && fr.texts == ["Combien ?", "Et alors ?"])
        #expect(fr.examples.map(\.responses) == [["3.0"], ["4"]])
        let lines = try folder.write("test_German.json", "{\"m_query\": \"Wie viele?\", \"response\": \"1.0\"}\n{broken\n{\"query\": \"no m_query\"}\n")
        #expect(throws: DataError.malformedRow(path: lines, line: 2, reason: "expected one JSON object on the line")) {
            try Dataset.load(path: lines)
        }
        let de = try Dataset.load(path: lines, skipBadRows: true)[0]
        #expect(de.texts == ["Wie viele?"] && de.skippedRows == 2)
    }

    @Test func plainTextAndJSONLines() throws {
        let folder = try TestFolder()
        let text = try folder.write("notes.txt", "first line\n\n  second line  \r\nthird\n")
        #expect(try Dataset.load(path: text, languages: ["fr"])[0].texts == ["first line", "second line", "third"])
        #expect(throws: DataError.self) { try Dataset.load(path: text) }  // no language in the name
        try folder.write("texts/es.txt", "hola\n")
        try folder.write("texts/ita_Latn.txt", "ciao\n")
        let sets = try Dataset.load(path: folder.path("texts"))
        #expect(sets.map(\.language.code) == ["es", "it"] && sets[1].texts == ["ciao"])
        try folder.write("texts/klingon.txt", "nuqneH\n")
        #expect(throws: DataError.self) { try Dataset.load(path: folder.path("texts")) }
        #expect(try Dataset.load(path: folder.path("texts"), languages: ["es"])[0].texts == ["hola"])
        let jsonl = try folder.write("ru.jsonl", "{\"text\": \"привет\", \"id\": 1}\n{\"body\": \"x\"}\n{\"text\": \"мир\"}\n")
        #expect(throws: DataError.malformedRow(path: jsonl, line: 2, reason: "expected a string field \"text\"")) {
            try Dataset.load(path: jsonl)
        }
        #expect(try Dataset.load(path: jsonl, skipBadRows: true)[0].texts == ["привет", "мир"])
        #expect(try Dataset.load(path: jsonl, format: .jsonLines(field: "body"), skipBadRows: true)[0].texts == ["x"])
    }

    @Test func formatDetectionAndOptionErrors() throws {
        let folder = try TestFolder()
        #expect(throws: DataError.self) { try DatasetFormat.detect(path: folder.path("missing.tsv")) }
        let odd = try folder.write("data.csv", "a,b\n")
        #expect(throws: DataError.self) { try DatasetFormat.detect(path: odd) }
        let mgsm = try folder.write("mgsm_en.tsv", "q\t1\n")
        #expect(throws: DataError.self) { try Dataset.load(path: mgsm, split: .dev) }
        #expect(try DatasetFormat.named("jsonl:body") == .jsonLines(field: "body"))
        #expect(try DatasetFormat.named("SIB200") == .sib200)
        #expect(throws: DataError.self) { try DatasetFormat.named("parquet") }
        #expect(throws: DataError.self) { try Dataset.load(path: mgsm, languages: ["xx-not-a-language"]) }
    }

    @Test func formatOfADataArgument() throws {
        let folder = try TestFolder()
        let mgsm = try folder.write("mgsm_en.tsv", "q\t1\n")
        #expect(try DatasetFormat.of(path: mgsm, named: nil) == .mgsm)
        #expect(try DatasetFormat.of(path: mgsm, named: "text") == .text)   // a named format wins
        #expect(try DatasetFormat.of(path: mgsm, named: "jsonl", field: "body") == .jsonLines(field: "body"))
        // "builtin" is the built-in corpus unless a file of that name exists here.
        if !FileManager.default.fileExists(atPath: BuiltinCorpus.name) {
            #expect(try DatasetFormat.of(path: BuiltinCorpus.name, named: nil) == nil)
        }
        #expect(throws: DataError.self) { try DatasetFormat.of(path: folder.path("missing.tsv"), named: nil) }
    }
}
