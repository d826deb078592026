import Foundation
import Testing
import LNAAnalysis
import LNAFiles
import LNAHooks
import LNAModels
import LNARecording
import LNATestSupport

// `lna activation --top-contexts K` on Gemma-3-270M over SIB-200 sentences: the kept entries equal a brute-force
// recount of every activation, and shards merged (and a killed + resumed run) give the single run's bytes.
@Suite(.serialized) struct TopContextsTests {
    static let k = 4

    func setup() throws -> (Model, RecordingInput)? {
        guard let url = try TestResources.model("gemma3-270m") else { return nil }
        let model = try Model.load(url: url)
        let (sequences, realText) = try sampleSequences(model, count: 12, seed: 3)
        #expect(realText)
        return (model, RecordingInput.tokenSequences(sequences, maxLength: 4096))
    }

    func settings(shard: Shard = .whole) -> RecordingSettings {
        var s = RecordingSettings()
        s.batchTokens = 128   // several forward calls, so shards and checkpoints cut between them
        s.topContexts = Self.k
        s.shard = shard
        s.checkpointEvery = 1
        return s
    }

    @Test func topContextsEqualABruteForceRecount() throws {
        guard let (model, input) = try setup() else { return }
        let dir = try makeTemporaryDirectory()
        let output = dir.appendingPathComponent("xx.safetensors")
        let result = try ActivationRecorder(model: model, modelSHA256: fakeSHA)
            .record(input, language: "xx", dataset: "t", settings: settings(), output: output)
        let top = try TopContextsFile.read(TopContextsFile.sidecar(of: output))
        #expect(top == result.topContexts)

        // Brute force: every value of every neuron, with the same packing (the same GEMM calls, the same bits).
        let c = model.config, width = c.intermediateSize
        let plan = RecordingPlan(sequences: input.sequences, batchTokens: 128, shard: .whole)
        // values[token][layer · width + j] for every token of the input, in order.
        let owners = input.sequences.indices.flatMap { s in input.sequences[s].tokens.indices.map { (sequence: s, position: $0) } }
        var values = [Float](repeating: .nan, count: owners.count * c.layerCount * width)
        let hooks = HookSet(layerCount: c.layerCount)
        var firstToken = 0
        try hooks.observe("blocks.*.mlp.hook_act") { t in
            for r in 0..<t.rows {
                let base = (firstToken + t.rowOffset + r) * c.layerCount * width + t.point.layer! * width
                for j in 0..<width { values[base + j] = t.values[r * width + j] }
            }
        }
        for batch in plan.batches {
            _ = try model.forward(TokenBatch(input.sequences[batch].map(\.tokens)), hooks: hooks, logits: .none)
            firstToken += input.sequences[batch].reduce(0) { $0 + $1.tokens.count }
        }
        #expect(firstToken == owners.count && !values.contains { $0.isNaN })
        var checked = 0
        for layer in 0..<c.layerCount {
            for j in 0..<width {
                let column = owners.indices.map { t in
                    TopContexts.Entry(value: values[t * c.layerCount * width + layer * width + j],
                                      sequence: owners[t].sequence, position: owners[t].position)
                }
                let expected = Array(column.sorted(by: TopContexts.Entry.ranksBefore).prefix(Self.k))
                let got = top.entries(layer: layer, neuron: j)
                if got != expected {
                    Issue.record("neuron \(layer).\(j): \(got) ≠ brute force \(expected)")
                    return
                }
                checked += 1
            }
        }
        #expect(checked == c.layerCount * width)
        // Contexts read back the recorded tokens.
        let e = top.entries(layer: 5, neuron: 7)[0]
        let ctx = top.context(of: e, radius: 8)
        let tokens = input.sequences[e.sequence].tokens
        #expect(ctx.token == tokens[e.position])
        #expect(ctx.left == Array(tokens[max(0, e.position - 8)..<e.position]))
        #expect(ctx.right == Array(tokens[(e.position + 1)..<min(tokens.count, e.position + 9)]))
    }

    @Test func shardsMergedAndResumedRunsGiveTheSingleRunsBytes() throws {
        guard let (model, input) = try setup() else { return }
        let dir = try makeTemporaryDirectory()
        let recorder = ActivationRecorder(model: model, modelSHA256: fakeSHA)
        let whole = dir.appendingPathComponent("whole/xx.safetensors")
        _ = try recorder.record(input, language: "xx", dataset: "t", settings: settings(), output: whole)
        let wholeBytes = try Data(contentsOf: TopContextsFile.sidecar(of: whole))

        var parts: [TopContexts] = []
        for i in 0..<3 {
            let out = dir.appendingPathComponent("shards/xx.shard-\(i)-of-3.safetensors")
            _ = try recorder.record(input, language: "xx", dataset: "t", settings: settings(shard: try Shard(index: i, count: 3)), output: out)
            parts.append(try TopContextsFile.read(TopContextsFile.sidecar(of: out)))
        }
        let merged = dir.appendingPathComponent("merged/xx.top-contexts.safetensors")
        try TopContextsFile.write(try TopContexts.merge(parts.reversed()), to: merged)
        #expect(try Data(contentsOf: merged) == wholeBytes)

        // Stopped after 2 forward calls (checkpoint of counts and contexts), then resumed.
        let resumed = dir.appendingPathComponent("resumed/xx.safetensors")
        _ = try recorder.record(input, language: "xx", dataset: "t", settings: settings(), output: resumed, stopAfterBatches: 2)
        #expect(!FileManager.default.fileExists(atPath: TopContextsFile.sidecar(of: resumed).path))
        let second = try recorder.record(input, language: "xx", dataset: "t", settings: settings(), output: resumed, resume: true)
        #expect(second.batchesRestored == 2)
        #expect(try Data(contentsOf: TopContextsFile.sidecar(of: resumed)) == wholeBytes)
        #expect(try Data(contentsOf: resumed) == Data(contentsOf: whole))
        // The sidecar is not a statistics file.
        #expect(try StatisticsFile.files(in: whole.deletingLastPathComponent()).map(\.lastPathComponent) == ["xx.safetensors"])
    }
}
