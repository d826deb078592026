import Foundation
import Testing
import LNATestSupport

/// End to end on Gemma-3-270M with tiny inputs: record statistics of two languages, identify masks, then steer,
/// run a 1×2 forcing grid (and resume it), an amplification sweep and a fallback run, checking the files written.
@Test func steeringCommandsEndToEnd() throws {
    guard let model = try TestResources.model("gemma3-270m"), try TestResources.lnaBinary() != nil else { return }
    let dir = try TestResources.temporaryDirectory("lna-steer-cli")
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try "The cat sleeps on the warm window sill.\nWe walked to the market this morning.\n"
        .write(to: data.appendingPathComponent("en.txt"), atomically: true, encoding: .utf8)
    try "Le chat dort sur le rebord chaud de la fenêtre.\nNous sommes allés au marché ce matin.\n"
        .write(to: data.appendingPathComponent("fr.txt"), atomically: true, encoding: .utf8)
    let run = dir.appendingPathComponent("run")
    let acts = run.appendingPathComponent("activations").path
    let record = try #require(try runLNA(["activation", "--model", model.path, "-l", "en,fr", "-d", data.path,
                                          "--format", "text", "--split", "all", "--out", acts]))
    #expect(record.status == 0, "\(record.err)")
    let identify = try #require(try runLNA(["identify", "--activations", acts, "-r", "0.05", "--out", run.path]))
    #expect(identify.status == 0, "\(identify.err)")
    let masks = run.appendingPathComponent("masks.json").path
    let common = ["--model", model.path, "--masks", masks, "--stats", acts, "--max-tokens", "4"]

    // steer --json: the plan and one output.
    let planFile = dir.appendingPathComponent("plan.json").path
    let steer = try #require(try runLNA(["steer"] + common + ["--prompt", "How are you?", "--deactivate", "en",
                                                              "--activate", "fr", "--method", "diffmean", "--plan-out", planFile, "--json"]))
    #expect(steer.status == 0, "\(steer.err)")
    let output = try #require(try JSONSerialization.jsonObject(with: Data(steer.out.utf8)) as? [String: Any])
    let plan = try #require(output["plan"] as? [String: Any])
    #expect((plan["interventions"] as? [Any])?.isEmpty == false)
    #expect((output["outputs"] as? [Any])?.count == 1)
    #expect(FileManager.default.fileExists(atPath: planFile))

    // steer-grid: baseline + 2 cells, figures, resume without work, refusal of other settings.
    let gridArgs = ["steer-grid"] + common + ["--languages", "en,fr", "--sources", "en", "--prompts-per-language", "1",
                                              "--out", run.path]
    let grid = try #require(try runLNA(gridArgs))
    #expect(grid.status == 0, "\(grid.err)")
    let steering = run.appendingPathComponent("steering")
    let gridJSON = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: steering.appendingPathComponent("grid.json"))) as? [String: Any])
    #expect(gridJSON["complete"] as? Bool == true)
    #expect((gridJSON["cells"] as? [Any])?.count == 2)
    #expect((gridJSON["baselines"] as? [Any])?.count == 1)
    for name in ["grid.png", "grid.svg"] {
        #expect(FileManager.default.fileExists(atPath: steering.appendingPathComponent(name).path))
    }
    #expect(!FileManager.default.fileExists(atPath: steering.appendingPathComponent("grid.checkpoint.json").path))
    let again = try #require(try runLNA(gridArgs))
    #expect(again.status == 0 && !again.err.contains("[1/3"))
    let other = try #require(try runLNA(gridArgs + ["--alpha", "2"]))
    #expect(other.status != 0 && other.err.contains("--restart"))

    // amplify and fallback.
    let amplify = try #require(try runLNA(["amplify"] + common + ["--language", "fr", "--factors", "1,5", "--prompt-count", "1",
                                                                  "--ppl-texts", "2", "--out", run.path]))
    #expect(amplify.status == 0, "\(amplify.err)")
    let sweep = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: steering.appendingPathComponent("amplification-fr.json"))) as? [String: Any])
    let points = try #require(sweep["points"] as? [[String: Any]])
    #expect(points.count == 2)
    #expect(points.allSatisfy { ($0["perplexity"] as? Double).map { $0 > 1 } == true })
    let fallback = try #require(try runLNA(["fallback"] + common + ["--order", "en,fr", "--prompt-count", "1", "--out", run.path]))
    #expect(fallback.status == 0, "\(fallback.err)")
    let steps = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: steering.appendingPathComponent("fallback.json"))) as? [String: Any])
    #expect((steps["steps"] as? [Any])?.count == 3)
    #expect(FileManager.default.fileExists(atPath: steering.appendingPathComponent("fallback.png").path))
}

@Test func steeringCommandsRejectBadInput() throws {
    guard let model = try TestResources.model("gemma3-270m"), try TestResources.lnaBinary() != nil else { return }
    let dir = try TestResources.temporaryDirectory("lna-steer-bad")
    defer { try? FileManager.default.removeItem(at: dir) }
    let masks = dir.appendingPathComponent("masks.json")
    let bogus = try #require(try runLNA(["steer", "--model", model.path, "--masks", masks.path, "--prompt", "Hi",
                                         "--deactivation", "bogus"]))
    #expect(bogus.status != 0 && bogus.err.contains("deactivation"))
    let missing = try #require(try runLNA(["steer", "--model", model.path, "--masks", masks.path, "--prompt", "Hi"]))
    #expect(missing.status != 0 && missing.err.contains(masks.path))
    let both = try #require(try runLNA(["steer", "--model", model.path, "--masks", masks.path]))
    #expect(both.status != 0 && both.err.contains("--prompt"))
}
