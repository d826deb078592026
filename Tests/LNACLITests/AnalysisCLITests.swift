import Foundation
import Testing
import LNAFormats
import LNATestSupport

/// `lna import | identify | autosweep | merge | masks` on small files the tests write and on the NJUNLP data.
struct AnalysisCLITests {
    /// Writes the METHODS §8.1 toy (K = 3, 2 × 3 neurons) as statistics files with prefix counts.
    static func writeToy(_ dir: URL, languages: [String] = ["en", "zh", "fr"]) throws {
        let p: [[Double]] = [[0.9, 0.1, 0.0], [0.9, 0.9, 0.9], [0, 0, 0], [0.1, 0.3, 0.1], [0.6, 0.6, 0.1], [0.05, 0.0, 0.7]]
        let deltaT: [Int64] = [100, 50, 80]
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (k, lang) in ["en", "zh", "fr"].enumerated() where languages.contains(lang) {
            var writer = SafeTensorsWriter(metadata: ["format": "lna.activation-statistics/1", "language": lang, "model": "toy",
                                                      "layers": "2", "width": "3", "hook_site": "blocks.*.mlp.hook_act"])
            let prefix = (0..<6).map { Int64($0) }
            try writer.add("over_zero", (0..<6).map { Int64((p[$0][k] * Double(deltaT[k])).rounded()) + prefix[$0] }, shape: [2, 3])
            try writer.add("total_tokens", [deltaT[k] + 7], shape: [1])
            try writer.add("prefix_over_zero", prefix, shape: [2, 3])
            try writer.add("prefix_total_tokens", [Int64(7)], shape: [1])
            try writer.write(to: dir.appendingPathComponent("\(lang).safetensors"))
        }
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func identifyWritesMasksOfTheToy() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeToy(dir.appendingPathComponent("acts"))
        let out = dir.appendingPathComponent("out")
        guard let r = try runLNA(["identify", "--activations", dir.appendingPathComponent("acts").path, "-r", "0.5", "-b", "0.5",
                                  "--lambda", "0.35", "--languages", "en,zh,fr", "--out", out.path]) else { return }
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("[0, 2, 0, 1]"))
        let doc = try Self.json(out.appendingPathComponent("masks.json"))
        #expect(doc["languages"] as? [String] == ["en", "zh", "fr"])
        #expect(doc["appear"] as? [Int] == [0, 2, 0, 1])
        let masks = try #require(doc["masks"] as? [String: [[Int]]])
        #expect(masks["en"] == [[0, 1], []] && masks["zh"] == [[1], []] && masks["fr"] == [[1], [2]])
        let tensors = try SafeTensorsFile(contentsOf: out.appendingPathComponent("masks.safetensors"))
        #expect(try tensors.int64s("mask.fr") == [1, 5])
        // Same input, same bytes.
        let again = dir.appendingPathComponent("again")
        _ = try runLNA(["identify", "--activations", dir.appendingPathComponent("acts").path, "-r", "0.5", "-b", "0.5",
                        "--lambda", "0.35", "--languages", "en,zh,fr", "--out", again.path])
        for name in ["masks.json", "masks.safetensors"] {
            #expect(try Data(contentsOf: out.appendingPathComponent(name)) == Data(contentsOf: again.appendingPathComponent(name)))
        }
    }

    @Test func autosweepPrintsStepsAndJSON() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeToy(dir.appendingPathComponent("acts"))
        let out = dir.appendingPathComponent("out")
        guard let r = try runLNA(["autosweep", "--activations", dir.appendingPathComponent("acts").path, "-r", "0.5", "-b", "0.5",
                                  "--lo", "0", "--hi", "0.5", "--languages", "en,zh,fr", "--json", "--out", out.path]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(doc["lambda"] as? Double == 0.34765625)
        #expect(doc["appear"] as? [Int] == [0, 2, 1, 0])
        #expect((doc["steps"] as? [Any])?.count == 11)
        #expect(try Self.json(out.appendingPathComponent("masks.json"))["lambda"] as? Double == 0.34765625)
    }

    @Test func autosweepWithoutAWorkingLambdaFailsCleanly() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeToy(dir.appendingPathComponent("acts"))
        let out = dir.appendingPathComponent("out")
        guard let r = try runLNA(["autosweep", "--activations", dir.appendingPathComponent("acts").path, "-r", "0.5", "-b", "0.5",
                                  "--lo", "0.4", "--hi", "0.6", "--out", out.path]) else { return }
        #expect(r.status != 0)
        #expect(r.err.contains("no λ in [0.4, 0.6]"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        guard let k10 = try runLNA(["autosweep", "--activations", dir.appendingPathComponent("acts").path, "-r", "0.5", "-b", "0.5",
                                    "--hi", "0.5", "--original-k10", "--out", out.path]) else { return }
        #expect(k10.status != 0 && k10.err.contains("appear[10]"))
    }

    @Test func badInputsGiveOneLineErrorsAndNoFiles() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let acts = dir.appendingPathComponent("acts"), out = dir.appendingPathComponent("out")
        try Self.writeToy(acts)
        // A language that is not there.
        let missing = try runLNA(["identify", "--activations", acts.path, "--languages", "en,de", "--out", out.path])
        #expect(missing?.status != 0 && missing?.err.contains("language de") == true)
        // Wrong shape for one language.
        var writer = SafeTensorsWriter(metadata: ["language": "de"])
        try writer.add("over_zero", [Int64](repeating: 1, count: 8), shape: [2, 4])
        try writer.add("total_tokens", [Int64(9)], shape: [1])
        try writer.write(to: acts.appendingPathComponent("de.safetensors"))
        let shape = try runLNA(["identify", "--activations", acts.path, "--out", out.path])
        #expect(shape?.status != 0 && shape?.err.contains("de has 2 × 4") == true)
        // Truncated file.
        let data = try Data(contentsOf: acts.appendingPathComponent("en.safetensors"))
        try data.prefix(data.count - 10).write(to: acts.appendingPathComponent("de.safetensors"))
        let cut = try runLNA(["identify", "--activations", acts.path, "--out", out.path])
        #expect(cut?.status != 0 && cut?.err.contains("de.safetensors") == true)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func missingPrefixFileInTheOriginalLayoutIsNamed() throws {
        guard let shared = try TestResources.shared("interop/njunlp-mgsm-mistral7b/activations") else { return }
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tag = "Mistral-de76d14562b1da1ba0e52d5b245cf9c0859e2af3"
        for name in ["activation.en.\(tag).pt", "prefix.activation.en.\(tag).pt", "activation.zh.\(tag).pt"] {
            try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent(name), withDestinationURL: shared.appendingPathComponent(name))
        }
        guard let r = try runLNA(["identify", "--activations", dir.path, "--out", dir.appendingPathComponent("out").path]) else { return }
        #expect(r.status != 0 && r.err.contains("not for zh"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func importThenAutosweepOnTheNJUNLPCounts() throws {
        guard let shared = try TestResources.shared("interop/njunlp-mgsm-mistral7b/activations") else { return }
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let acts = dir.appendingPathComponent("acts"), out = dir.appendingPathComponent("out")
        guard let imported = try runLNA(["import", shared.path, "--dataset", "mgsm", "--out", acts.path]) else { return }
        #expect(imported.status == 0, "\(imported.err)")
        let en = try SafeTensorsFile(contentsOf: acts.appendingPathComponent("en.safetensors"))
        let totals = (try en.int64s("total_tokens"), try en.int64s("prefix_total_tokens"))
        #expect(totals.0 == [583261] && totals.1 == [263330])
        #expect(en.metadata["dataset"] == "mgsm" && en.metadata["language"] == "en")
        guard let sweep = try runLNA(["autosweep", "--activations", acts.path, "-r", "0.01", "-b", "0.95", "--json", "--out", out.path]) else { return }
        #expect(sweep.status == 0, "\(sweep.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(sweep.out.utf8)) as? [String: Any])
        #expect(doc["lambda"] as? Double == 0.109375)
        #expect(doc["appear"] as? [Int] == [0, 1866, 617, 310, 153, 127, 59, 40, 27, 20, 0])
        // The original layout gives the same masks directly.
        guard let direct = try runLNA(["identify", "--activations", shared.path, "-r", "0.01", "--lambda", "0.109375",
                                       "--out", dir.appendingPathComponent("direct").path]) else { return }
        #expect(direct.status == 0)
        let viaImport = try Self.json(out.appendingPathComponent("masks.json"))["masks"] as? [String: [[Int]]]
        let viaOriginal = try Self.json(dir.appendingPathComponent("direct/masks.json"))["masks"] as? [String: [[Int]]]
        #expect(viaImport != nil && viaImport == viaOriginal)
        // masks show / overlap on the result.
        let show = try runLNA(["masks", "show", out.appendingPathComponent("masks.json").path])
        #expect(show?.status == 0 && show?.out.contains("appear: [0, 1866, 617") == true)
        let same = try runLNA(["masks", "diff", out.appendingPathComponent("masks.json").path, out.appendingPathComponent("masks.safetensors").path])
        #expect(same?.out.contains("identical: yes") == true)
    }

    @Test func importTangMasksAndCompare() throws {
        guard let seven = try TestResources.shared("interop/tang-lape-masks/LLaMA-2-7B.neuron.pth"),
              let thirteen = try TestResources.shared("interop/tang-lape-masks/Mistral-7B.neuron.pth") else { return }
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let r = try runLNA(["import", seven.path, "--out", dir.path]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let doc = try Self.json(dir.appendingPathComponent("LLaMA-2-7B.masks.json"))
        #expect(doc["appear"] as? [Int] == [0, 2396, 856, 193, 58, 15, 5, 0])
        #expect((doc["masks"] as? [String: [[Int]]])?["zh"]?[4] == [6147, 9114, 9292])
        guard let overlap = try runLNA(["masks", "overlap", seven.path, "--json"]) else { return }
        let matrix = try #require(try JSONSerialization.jsonObject(with: Data(overlap.out.utf8)) as? [String: Any])
        #expect((matrix["matrix"] as? [[Int]])?[0][0] == 95)
        let mismatch = try runLNA(["masks", "overlap", seven.path, thirteen.path])
        #expect(mismatch?.status != 0)  // 7 vs 6 languages is fine, but 11008 vs 14336 wide layers are not comparable
    }

    @Test func mergeSumsShardsAndRefusesMismatch() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        try Self.writeToy(a)
        try Self.writeToy(b)
        let merged = dir.appendingPathComponent("en.safetensors")
        guard let r = try runLNA(["merge", a.appendingPathComponent("en.safetensors").path, b.appendingPathComponent("en.safetensors").path,
                                  "--out", merged.path]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let file = try SafeTensorsFile(contentsOf: merged)
        let totals = (try file.int64s("total_tokens"), try file.int64s("prefix_total_tokens"))
        #expect(totals.0 == [214] && totals.1 == [14])
        let bad = try runLNA(["merge", a.appendingPathComponent("en.safetensors").path, b.appendingPathComponent("zh.safetensors").path,
                              "--out", dir.appendingPathComponent("bad.safetensors").path])
        #expect(bad?.status != 0 && bad?.err.contains("language") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.safetensors").path))
    }
}
