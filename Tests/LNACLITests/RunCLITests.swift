import Foundation
import LNATestSupport
import Testing

/// `lna run` end to end on Gemma-3-270M with the built-in corpus, kept small (three languages, few perplexity
/// texts, no steering, a 3-item SIB-200 topic evaluation): every stage's files are written, a second run resumes without redoing anything, and a run
/// killed with SIGKILL (twice) continues to the same bytes.
@Suite(.serialized) struct RunCLITests {
    @Test func pipelineWritesEveryStageAndResumes() throws {
        guard let gguf = try TestResources.model("gemma3-270m") else { return }
        let dir = try TestResources.temporaryDirectory("lna-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = ["run", "--model", gguf.path, "--languages", "en,de,zh", "--ppl-limit", "4", "--no-steering",
                         "--eval", "sib200-topic", "--eval-limit", "3", "--out", dir.path]
        guard let first = try runLNA(arguments) else { return }
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("report.html"))
        for file in ["run.json", "activations/en.safetensors", "activations/zh.safetensors", "autosweep.json",
                     "masks.json", "masks.safetensors", "figures/classes_per_layer.png", "ppl/ppl.json",
                     "ppl/ppl_delta.png", "ppl/ppl_delta.svg", "eval-sib200-topic/eval.json",
                     "eval-sib200-topic/eval_delta.png", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file) missing")
        }
        let masks = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("masks.json"))) as? [String: Any]
        #expect(masks?["languages"] as? [String] == ["en", "de", "zh"])
        let ppl = try Data(contentsOf: dir.appendingPathComponent("ppl/ppl.json"))
        let report = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("data:image/png;base64,") && report.contains("AutoSweep"))
        // The evaluation stage: a baseline row and each language's specific neurons off, 3 items per cell, 0-shot.
        let evaluation = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("eval-sib200-topic/eval.json"))) as? [String: Any]
        let rows = (evaluation?["rows"] as? [[String: Any]])?.compactMap { $0["label"] as? String }
        #expect(rows == ["none", "en (specific)", "de (specific)", "zh (specific)"])
        let cells = (evaluation?["cells"] as? [[[String: Any]]])?.flatMap { $0 } ?? []   // rows × columns
        #expect(cells.count == 12 && cells.allSatisfy { $0["n"] as? Int == 3 })
        #expect((evaluation?["settings"] as? [String: Any])?["shots"] as? Int == 0)
        #expect(report.contains("Task evaluation: sib200-topic"))

        guard let second = try runLNA(arguments) else { return }
        #expect(second.status == 0, "\(second.err)")
        #expect(second.err.contains("done already"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("ppl/ppl.json")) == ppl)

        // SIGKILLed twice (during recording, then inside the perplexity grid) and restarted each time: the same
        // statistics, masks and grid as the uninterrupted run, byte for byte.
        let killedDirectory = dir.appendingPathComponent("killed")
        let killed = ["run", "--model", gguf.path, "--languages", "en,de,zh", "--ppl-limit", "4", "--no-steering",
                      "--out", killedDirectory.path]
        let killPoints = ["activations/en.safetensors", "ppl/ppl.checkpoint.json"]
        for point in killPoints {
            let stoppedMidway = try runLNAUntil(killed, fileAppears: killedDirectory.appendingPathComponent(point))
            #expect(stoppedMidway, "lna run finished before \(point) appeared; it could not be killed there")
        }
        guard let resumed = try runLNA(killed) else { return }
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(resumed.err.contains("from checkpoint"), "the perplexity grid did not resume: \(resumed.err)")
        for file in ["activations/en.safetensors", "activations/de.safetensors", "activations/zh.safetensors",
                     "masks.json", "autosweep.json"] {
            #expect(try Data(contentsOf: killedDirectory.appendingPathComponent(file))
                        == Data(contentsOf: dir.appendingPathComponent(file)), "\(file) differs after kill + resume")
        }
        // ppl.json names its masks file, which lives in the run directory: the same bytes up to that path.
        let resumedGrid = try String(contentsOf: killedDirectory.appendingPathComponent("ppl/ppl.json"), encoding: .utf8)
        #expect(resumedGrid.replacingOccurrences(of: killedDirectory.path, with: dir.path) == String(decoding: ppl, as: UTF8.self),
                "ppl/ppl.json differs after kill + resume")

        // Other settings in the same directory are refused, not mixed.
        guard let clash = try runLNA(["run", "--model", gguf.path, "--languages", "en,fr", "--out", dir.path]) else { return }
        #expect(clash.status != 0)
        #expect(clash.err.contains("languages"))
    }
}

/// Starts `lna ARGUMENTS`, waits until `file` exists, then SIGKILLs it. Returns whether it was still running when
/// killed (false: it finished, or ten minutes passed, before the file appeared).
func runLNAUntil(_ arguments: [String], fileAppears file: URL) throws -> Bool {
    guard let binary = try TestResources.lnaBinary() else { return false }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(600)
    while !FileManager.default.fileExists(atPath: file.path) && process.isRunning && Date() < deadline {
        usleep(10_000)
    }
    let running = process.isRunning && FileManager.default.fileExists(atPath: file.path)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return running
}
