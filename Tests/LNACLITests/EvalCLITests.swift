import Foundation
import Testing
import LNATestSupport

/// `lna eval` and its report section through the release binary (Gemma-3-270M, two SIB-200 items per language).
@Suite(.serialized) struct EvalCLITests {
    @Test func evalWritesResultsFiguresAndReportSectionAndResumes() throws {
        guard try TestResources.model("gemma3-270m") != nil, let sib = try TestResources.shared("datasets/sib200") else { return }
        let dir = try TestResources.temporaryDirectory("cli-eval")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("eval-topic")
        let arguments = ["eval", "-m", "gemma3-270m", "--task", "sib200-topic", "-l", "en,fr", "-d", sib.path,
                         "--split", "dev", "--limit", "2", "--shots", "1", "--out", out.path]
        guard let first = try runLNA(arguments) else { return }
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("sib200-topic (acc, %, 95 % bootstrap interval)"))
        // Progress counts items and prompt tokens of the whole grid, with the evaluated tokens/s.
        #expect(first.err.range(of: #"\[4/4 items, (\d+)/\1 tok\] none → fr: [0-9.]+ tok/s, ETA 0:00"#, options: .regularExpression) != nil,
                "\(first.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("eval.json"))) as? [String: Any])
        let items = try #require(json["items"] as? [String: [[String: Any]]])
        #expect(items["none→en"]?.count == 2 && items["none→fr"]?.first?["prediction"] is String)
        let png = try Data(contentsOf: out.appendingPathComponent("eval.png"))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        // The same command again: every item from the checkpoint, the same records.
        let second = try #require(try runLNA(arguments))
        #expect(second.status == 0 && second.err.contains("4 from checkpoint"), "\(second.err)")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("eval.json"))) as? [String: Any])
        #expect(NSDictionary(dictionary: again["items"] as? [String: Any] ?? [:]).isEqual(to: items))
        let report = try #require(try runLNA(["report", dir.path]))
        #expect(report.status == 0, "\(report.err)")
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Task evaluation: sib200-topic (eval-topic)"))
    }

    /// The shared flag vocabulary (docs/cli.md): its aliases parse, its checks reject before a model is loaded.
    @Test func evalTakesTheSharedFlags() throws {
        let base = ["eval", "--model", "gemma3-270m", "--task", "sib200-topic"]
        for (extra, message) in [(["--limit", "0"], "--limit 0: expected a count ≥ 1"),
                                 (["--max-texts", "-2"], "--limit -2: expected a count ≥ 1"),
                                 (["--lang", ""], "-l/--languages '': expected languages"),
                                 (["-l", "en,xx-nope"], "-l/--languages"),
                                 (["-d", "builtin"], "-d/--data builtin"),
                                 (["--deactivate", "3"], "--deactivate '3': a number, not a language")] {
            guard let r = try runLNA(base + extra) else { return }
            #expect(r.status != 0 && r.err.contains(message), "\(extra): \(r.err)")
        }
    }
}
