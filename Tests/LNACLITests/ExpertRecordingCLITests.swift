import Foundation
import Testing
import LNAAnalysis
import LNATestSupport

// `lna activation --site blocks.*.mlp.experts.hook_act` on the tiny transformers mixtral, end to end: two shards
// joined by `lna merge` and a stopped run continued with `--resume` give the whole run's statistics, routing
// tensors included.

@Suite(.serialized) struct ExpertRecordingCLITests {
    /// A folder as `lna activation --model` takes it: the fixture's config and weights and the shared tokenizer;
    /// and the fixture's 8 texts as token-id lines.
    static func mixtral(in dir: URL) throws -> (model: URL, tokens: URL) {
        let root = TestResources.repositoryRoot.appendingPathComponent("Tests/Fixtures/transformers")
        let model = dir.appendingPathComponent("mixtral")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        for file in ["mixtral/config.json", "mixtral/model.safetensors", "tokenizer.json"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(file),
                                             to: model.appendingPathComponent(URL(fileURLWithPath: file).lastPathComponent))
        }
        let goldens = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("mixtral/goldens.json"))) as! [String: Any]
        let lines = (goldens["texts"] as! [[String: Any]]).map { ($0["ids"] as! [Int]).map(String.init).joined(separator: " ") }
        let tokens = dir.appendingPathComponent("ids.txt")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: tokens)
        return (model, tokens)
    }

    @Test func shardsMergedAndResumedRunEqualTheWholeRun() throws {
        let dir = try TestResources.temporaryDirectory("lna-experts-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, tokens) = try Self.mixtral(in: dir)
        let common = ["activation", "--model", model.path, "--quiet", "-l", "en", "--tokens-file", tokens.path,
                      "--site", "blocks.*.mlp.experts.hook_act", "--batch-tokens", "70"]
        guard let whole = try runLNA(common + ["--out", dir.appendingPathComponent("whole").path]) else { return }
        #expect(whole.status == 0, "\(whole.err)")
        let wholeURL = dir.appendingPathComponent("whole/en.safetensors")
        let expected = try StatisticsFile.read(wholeURL)
        #expect(expected.full.routing != nil && expected.full.sumWeightedActivation != nil)

        for shard in ["0/2", "1/2"] {
            let r = try runLNA(common + ["--shard", shard, "--out", dir.appendingPathComponent("shards").path])
            #expect(r?.status == 0, "\(r?.err ?? "")")
        }
        let merged = dir.appendingPathComponent("merged/en.safetensors")
        let m = try runLNA(["merge", dir.appendingPathComponent("shards/en.shard-0-of-2.safetensors").path,
                            dir.appendingPathComponent("shards/en.shard-1-of-2.safetensors").path, "--out", merged.path])
        #expect(m?.status == 0, "\(m?.err ?? "")")
        let sum = try StatisticsFile.read(merged)
        #expect(sum.full.overZero == expected.full.overZero && sum.full.totalTokens == expected.full.totalTokens)
        #expect(sum.full.routing?.counts == expected.full.routing?.counts)
        #expect(sum.full.routing?.rankCounts == expected.full.routing?.rankCounts)
        let close = { (a: [Double], b: [Double]) in zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) } }
        #expect(close(sum.full.routing!.weightSums, expected.full.routing!.weightSums))
        #expect(close(sum.full.sumWeightedActivation!, expected.full.sumWeightedActivation!))
        #expect(sum.metadata.extra["neuron_unit"] == "routed-token" && sum.metadata.extra["experts"] == "4")

        let resumedDir = dir.appendingPathComponent("resumed").path
        _ = try runLNA(common + ["--out", resumedDir, "--checkpoint-every", "1", "--stop-after", "2"])
        let resumed = try runLNA(common + ["--out", resumedDir, "--checkpoint-every", "1", "--resume"])
        #expect(resumed?.status == 0 && resumed?.out.contains("resumed after 2 batches") == true, "\(resumed?.err ?? "")")
        #expect(try Data(contentsOf: URL(fileURLWithPath: resumedDir).appendingPathComponent("en.safetensors")) == Data(contentsOf: wholeURL))

        // Mixtral has no dense neurons: the default site is refused, naming the expert site.
        let dense = try runLNA(["activation", "--model", model.path, "--quiet", "-l", "en", "--tokens-file", tokens.path,
                                "--out", dir.appendingPathComponent("dense").path])
        #expect(dense?.status != 0 && dense?.err.contains("blocks.*.mlp.experts.hook_act") == true)
    }
}
