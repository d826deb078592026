import Foundation
import LNATestSupport
import Testing

/// `lna run` end to end on Gemma-3-270M with the built-in corpus, kept small (three languages, few perplexity
/// texts, no steering): every stage's files are written, and a second run resumes without redoing anything.
@Suite(.serialized) struct RunCLITests {
    @Test func pipelineWritesEveryStageAndResumes() throws {
        guard let gguf = try TestResources.model("gemma3-270m") else { return }
        let dir = try TestResources.temporaryDirectory("lna-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = ["run", "--model", gguf.path, "--languages", "en,de,zh", "--ppl-limit", "4", "--no-steering",
                         "--out", dir.path]
        guard let first = try runLNA(arguments) else { return }
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("report.html"))
        for file in ["run.json", "activations/en.safetensors", "activations/zh.safetensors", "autosweep.json",
                     "masks.json", "masks.safetensors", "figures/classes_per_layer.png", "ppl/ppl.json",
                     "ppl/ppl_delta.png", "ppl/ppl_delta.svg", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file) missing")
        }
        let masks = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("masks.json"))) as? [String: Any]
        #expect(masks?["languages"] as? [String] == ["en", "de", "zh"])
        let ppl = try Data(contentsOf: dir.appendingPathComponent("ppl/ppl.json"))
        let report = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("data:image/png;base64,") && report.contains("AutoSweep"))

        guard let second = try runLNA(arguments) else { return }
        #expect(second.status == 0, "\(second.err)")
        #expect(second.err.contains("done already"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("ppl/ppl.json")) == ppl)

        // Other settings in the same directory are refused, not mixed.
        guard let clash = try runLNA(["run", "--model", gguf.path, "--languages", "en,fr", "--out", dir.path]) else { return }
        #expect(clash.status != 0)
        #expect(clash.err.contains("languages"))
    }
}
