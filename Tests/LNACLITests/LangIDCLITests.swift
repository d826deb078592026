import Foundation
import Testing
import LNATestSupport

/// `lna langid train|predict|eval` through the release binary.
@Suite struct LangIDCLITests {
    @Test func trainOnBuiltinWritesAModelThatPredictAndEvalUse() throws {
        let folder = try TestResources.temporaryDirectory("lna-langid-cli")
        let model = folder.appendingPathComponent("model.json").path
        guard let train = try runLNA(["langid", "train", "--out", model]) else { return }
        #expect(train.status == 0, "\(train.err)")
        #expect(train.out.contains("saved \(model)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any]
        #expect(json?["format"] as? String == "lna-langid")
        let profiles = json?["profiles"] as? [[String: Any]] ?? []
        #expect(profiles.compactMap { $0["language"] as? String } == ["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw"])

        let predict = try runLNA(["langid", "predict", "--model", model, "Wo ist der Bahnhof?", "東京へ行きます", "42"])!
        #expect(predict.status == 0)
        let labels = predict.out.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        #expect(labels == ["de", "ja", "unknown"])

        let eval = try runLNA(["langid", "eval", "-d", "builtin", "--model", model, "--json"])!
        #expect(eval.status == 0, "\(eval.err)")
        let report = try JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Any]
        #expect(report?["total"] as? Int == 600)
        #expect((report?["accuracy"] as? Double ?? 0) >= 0.9)
        #expect((report?["macroF1"] as? Double ?? 0) >= 0.9)
        let rows = report?["languages"] as? [[String: Any]] ?? []
        #expect(rows.count == 10)
        for row in rows {
            for key in ["precision", "recall", "f1", "accuracy"] { #expect((row[key] as? Double).map { (0...1).contains($0) } == true) }
        }
    }

    /// Without --model, eval uses the built-in 205-language model; --among limits its answers.
    @Test func evalUsesTheBuiltinModelAndAmongRestrictsIt() throws {
        guard let sib = try TestResources.shared("datasets/sib200") else { return }
        guard let r = try runLNA(["langid", "eval", "-d", sib.path, "--split", "test", "--json"]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        #expect(report?["total"] as? Int == 20 * 204)
        #expect((report?["macroF1"] as? Double ?? 0) >= 0.95)
        let table = try runLNA(["langid", "eval", "-d", sib.path, "--split", "test", "--languages", "it,pt",
                                "--among", "it,pt,en"])!
        #expect(table.status == 0, "\(table.err)")
        #expect(table.out.hasPrefix("language\ttexts\tprecision\trecall\tF1"))
        #expect(table.out.contains("\noverall\t408\taccuracy "))
        let predict = try runLNA(["langid", "predict", "--among", "es,pt", "--json", "Questa è una frase italiana."])!
        let record = try JSONSerialization.jsonObject(with: Data(predict.out.utf8)) as? [String: Any]
        #expect(["es", "pt", "unknown"].contains(record?["language"] as? String ?? "?"))
        let full = try runLNA(["langid", "predict", "--json", "Bon dia a tothom, com estàs avui?"])!
        let catalan = try JSONSerialization.jsonObject(with: Data(full.out.utf8)) as? [String: Any]
        #expect(catalan?["language"] as? String == "cat_Latn" && catalan?["flores"] as? String == "cat_Latn")
    }

    @Test func sib200TrainedModelScoresNinetyFivePercentOnDev() throws {
        guard let sib = try TestResources.shared("datasets/sib200") else { return }
        let folder = try TestResources.temporaryDirectory("lna-langid-cli")
        let model = folder.appendingPathComponent("sib.json").path
        let languages = "en,zh,es,fr,de,ja,ru,bn,th,sw"
        guard let train = try runLNA(["langid", "train", "-d", sib.path, "--languages", languages, "--out", model]) else { return }
        #expect(train.status == 0, "\(train.err)")
        #expect(train.out.contains("en\t701 texts"))
        let eval = try runLNA(["langid", "eval", "-d", sib.path, "--languages", languages, "--model", model])!
        #expect(eval.status == 0, "\(eval.err)")
        let overall = eval.out.split(separator: "\n").first { $0.hasPrefix("overall") }.map { $0.split(separator: "\t") }
        #expect(overall?[1] == "990")
        let correct = overall?[2].split(separator: "(").last?.split(separator: "/").first.flatMap { Int($0) } ?? 0
        #expect(correct >= 941, "\(eval.out)")  // ≥ 95 % of 990
    }

    @Test func predictReadsFilesAndPrintsJSON() throws {
        let folder = try TestResources.temporaryDirectory("lna-langid-cli")
        let file = folder.appendingPathComponent("texts.txt")
        try Data("Habari ya asubuhi, rafiki yangu.\nสวัสดีครับ\n".utf8).write(to: file)
        guard let r = try runLNA(["langid", "predict", "--json", "--file", file.path]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let records = r.out.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(records.compactMap { $0["language"] as? String } == ["sw", "th"])
        #expect(records.first?["text"] as? String == "Habari ya asubuhi, rafiki yangu.")
        #expect(records.compactMap { $0["flores"] as? String } == ["swh_Latn", "tha_Thai"])
    }

    @Test func badInputFailsWithOneLineAndWritesNothing() throws {
        let folder = try TestResources.temporaryDirectory("lna-langid-cli")
        let model = folder.appendingPathComponent("never.json")
        guard let r = try runLNA(["langid", "train", "--languages", "en,Klingon", "--out", model.path]) else { return }
        #expect(r.status != 0)
        #expect(r.err.contains("Klingon"))
        #expect(r.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: model.path))
        let bad = folder.appendingPathComponent("mgsm_en.tsv")
        try Data("question\t1\nno tab here\n".utf8).write(to: bad)
        let e = try runLNA(["langid", "train", "-d", bad.path, "--out", model.path])!
        #expect(e.status != 0 && e.err.contains("\(bad.path):2:"))
        #expect(!FileManager.default.fileExists(atPath: model.path))
        let skipped = try runLNA(["langid", "train", "-d", bad.path, "--skip-bad-rows", "--out", model.path])!
        #expect(skipped.status == 0 && skipped.err.contains("skipped 1 malformed rows"))
        #expect(FileManager.default.fileExists(atPath: model.path))
    }
}
