import Foundation
import Testing
import LNATestSupport

/// `lna lens` end to end on Gemma-3-270M with a few prompts: lens.json, the figures, a user word list, an
/// intervention that reaches the output, and the report section of a run directory.
@Test func lensCommandEndToEnd() throws {
    guard let model = try TestResources.model("gemma3-270m"), try TestResources.lnaBinary() != nil else { return }
    let dir = try TestResources.temporaryDirectory("lna-lens-cli")
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = dir.appendingPathComponent("run"), out = run.appendingPathComponent("lens")
    // A language no word list has is refused before the model loads.
    let bad = try #require(try runLNA(["lens", "-m", model.path, "-l", "klingon"]))
    #expect(bad.status != 0 && bad.err.contains("klingon"))
    let lens = try #require(try runLNA(["lens", "-m", model.path, "--pairs", "fr-zh", "--limit", "3", "--shots", "2",
                                        "--out", out.path, "--quiet"]))
    #expect(lens.status == 0, "\(lens.err)")
    #expect(lens.out.contains("fr→zh"))
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("lens.json"))) as? [String: Any])
    #expect(doc["format"] as? String == "lna.lens/1")
    let pair = try #require((doc["pairs"] as? [[String: Any]])?.first)
    #expect(pair["prompts"] as? Int == 3 && (pair["layers"] as? [Any])?.count == 18)
    for name in ["lens_fr-zh.png", "lens_fr-zh.svg", "lens_entropy.png", "lens_entropy.svg"] {
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
    }
    // A user list, and an intervention (every neuron of the last block zeroed) that changes the last layer only.
    let words = dir.appendingPathComponent("words.tsv")
    try "en\tfr\nwater\teau\nfire\tfeu\ndog\tchien\ncat\tchat\nbread\tpain\n".write(to: words, atomically: true, encoding: .utf8)
    let plan = dir.appendingPathComponent("plan.json")
    try #"[{"hook": "blocks.17.mlp.hook_act", "neurons": "all", "positions": "all", "operation": {"op": "zero"}}]"#
        .write(to: plan, atomically: true, encoding: .utf8)
    var layers: [[[String: Any]]] = []
    for extra in [[], ["--steer", plan.path]] {
        let o = dir.appendingPathComponent("l\(layers.count)")
        let r = try #require(try runLNA(["lens", "-m", model.path, "--words", words.path, "--pairs", "en-fr", "--shots", "2",
                                         "--out", o.path, "--quiet"] + extra))
        #expect(r.status == 0, "\(r.err)")
        let d = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: o.appendingPathComponent("lens.json"))) as? [String: Any])
        layers.append(try #require(((d["pairs"] as? [[String: Any]])?.first?["layers"]) as? [[String: Any]]))
    }
    let entropy = { (l: [String: Any]) in (l["entropy"] as? [String: Any])?["mean"] as? Double }
    #expect(entropy(layers[0][16]) == entropy(layers[1][16]))
    #expect(entropy(layers[0][17]) != entropy(layers[1][17]))
    // The report of a run directory with a lens folder has the section.
    try "{}".write(to: run.appendingPathComponent("run.json"), atomically: true, encoding: .utf8)
    let report = try #require(try runLNA(["report", run.path]))
    #expect(report.status == 0, "\(report.err)")
    let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("Logit lens") && html.contains("fr→zh"))
}
