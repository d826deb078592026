import Foundation
import LNATestSupport
import Testing

/// The engine's commands end to end on the real small models: whole outputs, not just exit codes.
@Suite(.serialized) struct EngineCLITests {
    struct Tokenized: Decodable { let ids: [Int]; let pieces: [String] }
    struct Generated: Decodable { let prompt_ids: [Int]; let ids: [Int]; let text: String }
    struct Scored: Decodable { let nll_sum: Double; let n_scored: Int; let ppl: Double; let nll: [Double] }


    @Test func tokenizeJSONMatchesTheGolden() throws {
        guard try TestResources.model("gemma3-270m") != nil, let golden = try ForwardGolden.load(model: "gemma3-270m"),
              let r = try runLNA(["tokenize", modelPath("gemma3-270m"), golden.texts[3].text, "--json"]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let out = try JSONDecoder().decode(Tokenized.self, from: Data(r.out.utf8))
        #expect(out.ids == golden.texts[3].token_ids)
        #expect(out.pieces == golden.texts[3].pieces)
    }

    @Test func generateJSONIsGreedyAndMatchesTheGolden() throws {
        guard try TestResources.model("smollm2-135m") != nil, let golden = try ForwardGolden.load(model: "smollm2-135m"),
              let r = try runLNA(["generate", modelPath("smollm2-135m"), golden.texts[0].text, "--max-tokens", "4",
                                  "--ignore-eos", "--json"]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let out = try JSONDecoder().decode(Generated.self, from: Data(r.out.utf8))
        #expect(out.prompt_ids == golden.texts[0].token_ids)
        let f = golden.texts[0].f32_dequant
        let comparable = min(4, f.greedy_top1_margins.firstIndex { $0 < 1e-3 } ?? 4)
        #expect(Array(out.ids.prefix(comparable)) == Array(f.greedy_ids.prefix(comparable)))
        #expect(out.ids.count == 4 && !out.text.isEmpty)
    }

    @Test func scoreJSONMatchesTheGolden() throws {
        guard try TestResources.model("smollm2-135m") != nil, let golden = try ForwardGolden.load(model: "smollm2-135m"),
              let r = try runLNA(["score", modelPath("smollm2-135m"), "--text", golden.texts[5].text, "--json"]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let out = try JSONDecoder().decode(Scored.self, from: Data(r.out.utf8))
        #expect(out.n_scored == golden.texts[5].token_ids.count - 1)
        #expect(out.nll.count == out.n_scored)
        #expect(abs(out.nll_sum - golden.texts[5].f32_dequant.sum_nll_nats) / out.nll_sum < 1e-4)
        #expect(abs(out.ppl - exp(out.nll_sum / Double(out.n_scored))) < 1e-9 * out.ppl)
    }

    @Test func inspectAndHooksDescribeTheModel() throws {
        guard try TestResources.model("gemma3-270m") != nil,
              let inspect = try runLNA(["inspect", modelPath("gemma3-270m")]),
              let hooks = try runLNA(["hooks", modelPath("gemma3-270m"), "--json"]) else { return }
        #expect(inspect.status == 0)
        #expect(inspect.out.contains("gemma3") && inspect.out.contains("2048") && inspect.out.contains("Q5_0"))
        struct Entry: Decodable { let name: String; let shape: [String] }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(hooks.out.utf8))
        #expect(entries.count == 3 + 18 * 16)   // embed, ln_final, logits + 16 sites per block
        #expect(entries.contains { $0.name == "blocks.17.mlp.hook_act" && $0.shape == ["T", "2048"] })
    }

    @Test func badModelFilesGiveOneLineErrors() throws {
        guard let smol = try TestResources.model("smollm2-135m") else { return }
        let dir = try TestResources.temporaryDirectory("bad-models")
        defer { try? FileManager.default.removeItem(at: dir) }
        let truncated = dir.appendingPathComponent("truncated.gguf")
        try Data(try Data(contentsOf: smol).prefix(1_000_000)).write(to: truncated)
        let garbage = dir.appendingPathComponent("garbage.gguf")
        try Data("hello world".utf8).write(to: garbage)
        for (path, needle) in [(truncated.path, "truncated"), (garbage.path, "magic"), ("no-such-model", "no model")] {
            guard let r = try runLNA(["inspect", path]) else { return }
            #expect(r.status != 0)
            let lines = r.err.split(separator: "\n")
            #expect(lines.count == 1, "\(r.err)")
            #expect(r.err.contains(needle), "\(r.err)")
        }
    }

    func modelPath(_ name: String) throws -> String { try TestResources.model(name)!.path }
}
