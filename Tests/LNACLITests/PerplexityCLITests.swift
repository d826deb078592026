import Foundation
import Testing
import LNATestSupport

/// `lna ppl`, `lna figures`, `lna compare`, `lna report` through the release binary.
@Suite(.serialized) struct PerplexityCLITests {
    /// masks.json for three languages, two layers of 8 neurons.
    static let toyMasksJSON = #"""
    {"languages": ["en", "fr", "zh"], "layers": 2, "width": 8,
     "masks": {"en": [[0, 1, 2], [0]], "fr": [[1, 2, 3], [0, 5]], "zh": [[2], [0, 7]]}}
    """#

    func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func isPNG(_ url: URL) -> Bool {
        guard let d = try? Data(contentsOf: url) else { return false }
        return Array(d.prefix(4)) == [0x89, 0x50, 0x4E, 0x47]
    }

    @Test func figuresCompareAndReportOnRunDirectories() throws {
        let dir = try TestResources.temporaryDirectory("cli-report")
        defer { try? FileManager.default.removeItem(at: dir) }
        let runA = dir.appendingPathComponent("a"), runB = dir.appendingPathComponent("b")
        try write(Self.toyMasksJSON, runA.appendingPathComponent("masks.json"))
        try write(Self.toyMasksJSON.replacingOccurrences(of: #""zh": [[2], [0, 7]]"#, with: #""zh": [[2, 3], [0, 7]]"#),
                  runB.appendingPathComponent("masks.json"))
        try write(#"{"name": "cli-run", "model": "toy"}"#, runA.appendingPathComponent("run.json"))

        guard let figures = try runLNA(["figures", runA.path]) else { return }
        #expect(figures.status == 0, "\(figures.err)")
        #expect(isPNG(runA.appendingPathComponent("figures/classes_per_layer.png")))
        #expect(FileManager.default.fileExists(atPath: runA.appendingPathComponent("figures/shared_by_n.svg").path))

        let out = dir.appendingPathComponent("cmp")
        let compare = try #require(try runLNA(["compare", runA.path, runB.path, "--out", out.path]))
        #expect(compare.status == 0, "\(compare.err)")
        #expect(compare.out.contains("related"))
        #expect(isPNG(out.appendingPathComponent("compare_layer_delta.png")))
        let json = try String(contentsOf: out.appendingPathComponent("compare.json"), encoding: .utf8)
        #expect(json.contains("\"appear_delta\": [\n    -1,\n    1,\n    0\n  ]") || json.contains("-1"))

        let report = try #require(try runLNA(["report", runA.path]))
        #expect(report.status == 0, "\(report.err)")
        let html = try String(contentsOf: runA.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("cli-run"))
        #expect(html.contains("figures/classes_per_layer.png"))
        #expect(html.contains("data:image/png;base64,"))

        let bad = try #require(try runLNA(["report", dir.appendingPathComponent("nope").path]))
        #expect(bad.status != 0)
    }

    @Test func pplGridResumesToIdenticalFiles() throws {
        guard let model = try TestResources.model("gemma3-270m") else { return }
        let dir = try TestResources.temporaryDirectory("cli-ppl")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Gemma-3-270M: 18 layers × 2048 neurons. en switches off 200 neurons per layer, zh 200 others.
        let en = Array(repeating: Array(0..<200), count: 18), zh = Array(repeating: Array(1000..<1200), count: 18)
        let masks = #"{"languages": ["en", "zh"], "layers": 18, "width": 2048, "masks": {"en": \#(en), "zh": \#(zh)}}"#
        try write(masks, dir.appendingPathComponent("masks.json"))
        try write(#"{"en": [[2, 651, 5776, 8540, 563, 506], [2, 9259, 236764, 1217]], "zh": [[2, 818, 4470, 236761], [2, 1018, 3, 4]]}"#,
                  dir.appendingPathComponent("tokens.json"))
        let out = dir.appendingPathComponent("ppl")
        let common = ["ppl", "--model", model.path, "--masks", dir.appendingPathComponent("masks.json").path,
                      "--token-file", dir.appendingPathComponent("tokens.json").path, "--quiet"]
        let args = common + ["--out", out.path]
        guard let first = try runLNA(args) else { return }
        #expect(first.status == 0, "\(first.err)")
        let ppl = try Data(contentsOf: out.appendingPathComponent("ppl.json"))
        #expect(isPNG(out.appendingPathComponent("ppl_delta.png")))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("ppl_delta.svg").path))
        let text = String(decoding: ppl, as: UTF8.self)
        #expect(text.contains("\"rows\" : [\n    \"none\",\n    \"en\",\n    \"zh\"\n  ]"))

        // Drop two cells from the checkpoint (as if killed), resume, and compare.
        let checkpointURL = out.appendingPathComponent("ppl.checkpoint.json")
        var checkpoint = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: checkpointURL)) as? [String: Any])
        var cells = try #require(checkpoint["cells"] as? [String: Any])
        #expect(cells.count == 6)
        cells.removeValue(forKey: "zh→en"); cells.removeValue(forKey: "zh→zh")
        checkpoint["cells"] = cells
        try JSONSerialization.data(withJSONObject: checkpoint).write(to: checkpointURL)
        try FileManager.default.removeItem(at: out.appendingPathComponent("ppl.json"))
        let second = try #require(try runLNA(args.filter { $0 != "--quiet" }))
        #expect(second.status == 0, "\(second.err)")
        #expect(second.err.contains("from checkpoint"))
        // Progress counts tokens over the whole grid, with an ETA.
        #expect(second.err.contains(" tok (") && second.err.contains("ETA"), "\(second.err)")
        // Settings are numbers and the masks path is absolute (docs/file-formats.md).
        let document = try #require(try JSONSerialization.jsonObject(with: ppl) as? [String: Any])
        let settings = try #require(document["settings"] as? [String: Any])
        #expect(settings["max_tokens"] as? Int == 4096 && settings["value"] as? Double == 0)
        #expect(settings.keys.contains("limit"))
        let metadata = try #require(document["metadata"] as? [String: String])
        #expect(metadata["masks"] == dir.appendingPathComponent("masks.json").standardizedFileURL.path)
        #expect(metadata["max_tokens"] == nil)
        #expect(try Data(contentsOf: out.appendingPathComponent("ppl.json")) == ppl)

        let compat = try #require(try runLNA(common + ["--compat", "njunlp", "--out", dir.appendingPathComponent("nj").path]))
        #expect(compat.status == 0, "\(compat.err)")
        let nj = try String(contentsOf: dir.appendingPathComponent("nj/ppl.json"), encoding: .utf8)
        #expect(nj.contains("\"measure\" : \"njunlp\""))

        // The same grid in 4 shards (6 cells: 1, 2, 1, 2) joined by `lna merge`: the same bytes and figures.
        let sharded = dir.appendingPathComponent("sharded")
        for i in 0..<4 {
            let shard = try #require(try runLNA(common + ["--shard", "\(i)/4", "--out", sharded.path]))
            #expect(shard.status == 0, "\(shard.err)")
            #expect(shard.out.contains("shard \(i)/4: \([1, 2, 1, 2][i]) of 6 cells"), "\(shard.out)")
        }
        #expect(!FileManager.default.fileExists(atPath: sharded.appendingPathComponent("ppl.json").path))
        let shardFiles = (0..<4).map { sharded.appendingPathComponent("ppl.shard-\($0)-of-4.json").path }
        let merge = try #require(try runLNA(["merge"] + shardFiles + ["--out", sharded.appendingPathComponent("ppl.json").path]))
        #expect(merge.status == 0, "\(merge.err)")
        #expect(try Data(contentsOf: sharded.appendingPathComponent("ppl.json")) == ppl)
        #expect(try Data(contentsOf: sharded.appendingPathComponent("ppl_delta.png")) == Data(contentsOf: out.appendingPathComponent("ppl_delta.png")))
        let incomplete = try #require(try runLNA(["merge"] + shardFiles.dropLast() + ["--out", dir.appendingPathComponent("x.json").path]))
        #expect(incomplete.status != 0 && incomplete.err.contains("missing shard(s) 3/4"), "\(incomplete.err)")
        let bad = try #require(try runLNA(common + ["--shard", "4/4", "--out", sharded.path]))
        #expect(bad.status != 0)
    }
}
