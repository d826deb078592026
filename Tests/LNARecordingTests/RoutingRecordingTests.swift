import Foundation
import Testing
import LNAAnalysis
import LNAFiles
import LNAHooks
import LNAModels
import LNARecording
import LNATestSupport

/// The tiny transformers fixtures (Tests/Fixtures/transformers) as `lna activation` loads them: a folder named
/// after the fixture with its config.json, weights and the shared tokenizer.json.
enum TinyModel {
    static let root = TestResources.repositoryRoot.appendingPathComponent("Tests/Fixtures/transformers")

    static func load(_ fixture: String) throws -> Model {
        let directory = try makeTemporaryDirectory().appendingPathComponent(fixture)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (from, name) in [("\(fixture)/config.json", "config.json"), ("\(fixture)/model.safetensors", "model.safetensors"),
                             ("tokenizer.json", "tokenizer.json")] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(from), to: directory.appendingPathComponent(name))
        }
        return try Model.load(url: directory, weights: .resident)
    }

    /// The fixture's texts (one per language) as transformers tokenised them.
    static func texts(_ fixture: String) throws -> [(language: String, ids: [Int])] {
        struct Goldens: Decodable {
            struct Text: Decodable { let language: String; let ids: [Int] }
            let texts: [Text]
        }
        let url = root.appendingPathComponent("\(fixture)/goldens.json")
        return try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: url)).texts.map { ($0.language, $0.ids) }
    }
}

/// routing.json of a fixture (scripts/dev/make_routing_goldens.py; fields in Tests/Fixtures/transformers/README.md).
struct RoutingGolden: Decodable {
    struct Text: Decodable {
        let language: String
        let tokens: Int
        let routing: [[Int64]]
        let rank: [[[Int64]]]
        let weight_sum: [[Double]]
        let ties: [Int]
        let positive: [[[Int64]]]
        let near_zero: [[[Int64]]]
        let sum_act: [[[Double]]]
        let sum_weighted_act: [[[Double]]]
    }

    let layers: [Int]
    let count: Int
    let top_k: Int
    let width: Int
    let texts: [Text]

    static func load(_ fixture: String) throws -> RoutingGolden {
        let url = TinyModel.root.appendingPathComponent("\(fixture)/routing.json")
        return try JSONDecoder().decode(RoutingGolden.self, from: Data(contentsOf: url))
    }
}

/// Mixture-of-experts recording on the tiny mixtral and qwen2_moe: routing tensors in every statistics file,
/// expert neurons (`blocks.*.mlp.experts.hook_act`), against transformers and against an independent hook count;
/// shards, merge and resume; and dense files unchanged.
@Suite(.serialized) struct RoutingRecordingTests {
    static let fixtures = ["mixtral", "qwen2_moe"]
    static let expertSite = "blocks.*.mlp.experts.hook_act"

    /// One statistics file per fixture text (one language each), at `site`.
    static func recordEachText(_ model: Model, _ fixture: String, site: String) throws -> [ActivationStatistics] {
        let recorder = ActivationRecorder(model: model, modelSHA256: fakeSHA)
        let dir = try makeTemporaryDirectory()
        var settings = RecordingSettings()
        settings.site = site
        return try TinyModel.texts(fixture).map { text in
            try recorder.record(.tokenSequences([text.ids], maxLength: 4096), language: text.language, dataset: "fixture",
                                settings: settings, output: dir.appendingPathComponent("\(text.language).safetensors")).statistics
        }
    }

    @Test(arguments: fixtures)
    func routingCountsOfALanguageSumToTokensTimesTopK(fixture: String) throws {
        let model = try TinyModel.load(fixture)
        let e = try #require(model.config.experts)
        let layers = model.config.layerCount
        // qwen2_moe's dense site (the shared expert) carries the routing too; mixtral has no dense site.
        let sites = e.sharedExpert ? ["blocks.*.mlp.hook_act", Self.expertSite] : [Self.expertSite]
        for site in sites {
            for stats in try Self.recordEachText(model, fixture, site: site) {
                let routing = try #require(stats.full.routing, "\(fixture) \(site): no routing tensors")
                let tokens = stats.full.totalTokens
                #expect(routing.layers == layers && routing.experts == e.count && routing.topK == e.topK)
                #expect(stats.metadata.extra["experts"] == String(e.count) && stats.metadata.extra["top_k"] == String(e.topK))
                #expect(stats.metadata.extra["router_normalize"] == String(e.normalizeTopK))
                #expect(stats.metadata.extra["dense_layers"] == e.denseLayers.map(String.init).joined(separator: ","))
                for l in 0..<layers {
                    let routes = e.routes(layer: l)
                    let routed = (0..<e.count).reduce(Int64(0)) { $0 + routing.tokens(layer: l, expert: $1) }
                    #expect(routed == (routes ? tokens * Int64(e.topK) : 0), "\(fixture) \(stats.language) layer \(l): \(routed) routed of \(tokens) tokens")
                    for rank in 0..<e.topK {
                        let chosen = (0..<e.count).reduce(Int64(0)) { $0 + routing.rankCount(layer: l, expert: $1, rank: rank) }
                        #expect(chosen == (routes ? tokens : 0), "\(fixture) \(stats.language) layer \(l) rank \(rank): \(chosen) choices")
                    }
                    for x in 0..<e.count {
                        let byRank = (0..<e.topK).reduce(Int64(0)) { $0 + routing.rankCount(layer: l, expert: x, rank: $1) }
                        #expect(byRank == routing.tokens(layer: l, expert: x))
                    }
                    // Renormalised weights sum to 1 per token; raw top-k probabilities to less.
                    let weights = (0..<e.count).reduce(0.0) { $0 + routing.weightSum(layer: l, expert: $1) }
                    if !routes { #expect(weights == 0) }
                    else if e.normalizeTopK { #expect(abs(weights - Double(tokens)) < 1e-4 * Double(tokens)) }
                    else { #expect(weights > 0 && weights < Double(tokens)) }
                }
                if site == Self.expertSite {
                    #expect(stats.width == e.count * e.width)
                    #expect(stats.metadata.extra["neuron_unit"] == "routed-token")
                    #expect(stats.metadata.extra["expert_width"] == String(e.width))
                    // A dense layer has no expert neurons; an expert's neurons fire on at most its routed tokens.
                    for l in 0..<layers {
                        for c in 0..<stats.width {
                            let routed = routing.tokens(layer: l, expert: c / e.width)
                            #expect(stats.full.overZero[l * stats.width + c] <= routed)
                        }
                        if !e.routes(layer: l) {
                            #expect(stats.full.overZero[(l * stats.width)..<((l + 1) * stats.width)].allSatisfy { $0 == 0 })
                        }
                    }
                } else {
                    #expect(stats.metadata.extra["neuron_unit"] == nil)
                    #expect(stats.full.sumWeightedActivation == nil)
                }
            }
        }
    }

    /// Per language, routing counts, the top-k choice histogram, routing weight sums and expert neuron counts and
    /// sums equal what transformers computes (routing.json), except for neurons whose transformers value was
    /// within 1e-5 of zero and tokens whose router probabilities tie within 1e-6 (both counted in the golden).
    @Test(arguments: fixtures)
    func routingAndExpertNeuronsMatchTransformers(fixture: String) throws {
        let model = try TinyModel.load(fixture)
        let golden = try RoutingGolden.load(fixture)
        let e = try #require(model.config.experts)
        #expect(golden.count == e.count && golden.top_k == e.topK && golden.width == e.width)
        let recorded = try Self.recordEachText(model, fixture, site: Self.expertSite)
        #expect(recorded.map(\.language) == golden.texts.map(\.language))
        var signExceptions = 0, tieTokens = 0, neuronsCompared = 0, worstSum = 0.0, worstWeight = 0.0
        for (stats, text) in zip(recorded, golden.texts) {
            let routing = try #require(stats.full.routing)
            #expect(stats.full.totalTokens == Int64(text.tokens))
            for (i, l) in golden.layers.enumerated() {
                let ties = text.ties[i]
                tieTokens += ties
                for x in 0..<e.count {
                    let label = "\(fixture) \(text.language) layer \(l) expert \(x)"
                    #expect(abs(routing.tokens(layer: l, expert: x) - text.routing[i][x]) <= Int64(ties), "\(label): routed \(routing.tokens(layer: l, expert: x)), transformers \(text.routing[i][x])")
                    for r in 0..<e.topK {
                        #expect(abs(routing.rankCount(layer: l, expert: x, rank: r) - text.rank[i][x][r]) <= Int64(ties), "\(label) rank \(r)")
                    }
                    let weightGap = abs(routing.weightSum(layer: l, expert: x) - text.weight_sum[i][x])
                    worstWeight = max(worstWeight, weightGap)
                    #expect(weightGap <= 1e-5 * Double(text.tokens), "\(label): weight sum \(routing.weightSum(layer: l, expert: x)), transformers \(text.weight_sum[i][x])")
                    let routedTokens = Double(text.routing[i][x])
                    for j in 0..<e.width {
                        let c = l * stats.width + x * e.width + j
                        neuronsCompared += 1
                        let difference = abs(stats.full.overZero[c] - text.positive[i][x][j])
                        if difference != 0 { signExceptions += 1 }
                        #expect(difference <= text.near_zero[i][x][j] + Int64(ties), "\(label) neuron \(j): \(stats.full.overZero[c]) > 0, transformers \(text.positive[i][x][j])")
                        // float32 activations summed over ≤ 36 tokens: rounding of the two implementations.
                        for (ours, theirs) in [(stats.full.sumActivation![c], text.sum_act[i][x][j]),
                                               (stats.full.sumWeightedActivation![c], text.sum_weighted_act[i][x][j])] {
                            let gap = abs(ours - theirs)
                            worstSum = max(worstSum, gap)
                            #expect(gap <= 1e-5 * max(routedTokens, 1), "\(label) neuron \(j): sum \(ours), transformers \(theirs)")
                        }
                    }
                }
            }
        }
        print("\(fixture): \(neuronsCompared) expert neuron counts, \(signExceptions) differ (near-zero values); \(tieTokens) router near-ties; worst |Δ sum| \(worstSum), |Δ weight sum| \(worstWeight)")
    }

    /// Expert neuron counts and routing counts of packed, instruction+response batches equal counts taken from
    /// hooks on `mlp.experts.{e}.hook_act` by the test itself, on the same forward calls (rows assigned to full and
    /// prefix statistics from the hook's own positions and sequence indices).
    @Test(arguments: fixtures)
    func expertNeuronCountsEqualAnIndependentHookCount(fixture: String) throws {
        let model = try TinyModel.load(fixture)
        let e = try #require(model.config.experts)
        let (sequences, realText) = try sampleSequences(model, count: 12)
        #expect(realText)
        // SIB-200 sentences cut to 40 tokens (the byte-level fixture tokenizer makes long sequences): 3 per call.
        let items = sequences.map { RecordingSequence(tokens: Array($0.prefix(40)), prefixRows: min($0.count, 40) / 3) }
        let input = RecordingInput(sequences: items, textCount: items.count, hasPrefix: true)
        var settings = RecordingSettings()
        settings.site = Self.expertSite
        settings.batchTokens = 120
        let stats = try ActivationRecorder(model: model, modelSHA256: fakeSHA)
            .record(input, language: "xx", dataset: "t", settings: settings,
                    output: try makeTemporaryDirectory().appendingPathComponent("xx.safetensors")).statistics

        let layers = model.config.layerCount, width = e.count * e.width
        var full = [Int64](repeating: 0, count: layers * width), prefix = full
        var fullSums = [Double](repeating: 0, count: layers * width)
        var routedFull = [Int64](repeating: 0, count: layers * e.count), routedPrefix = routedFull
        let plan = RecordingPlan(sequences: items, batchTokens: settings.batchTokens, shard: .whole)
        #expect(plan.batches.count > 1 && plan.batches.contains { $0.count > 1 }, "the batches should pack several sequences")
        for batch in plan.batches {
            let batchItems = Array(items[batch])
            let hooks = HookSet(layerCount: layers)
            try hooks.observe("blocks.*.mlp.experts.*.hook_act") { t in
                let l = t.point.layer!, x = t.point.expert!
                for r in 0..<t.rows {
                    let item = batchItems[t.context.sequenceIndices[r]]
                    let isPrefix = t.context.positions[r] < item.prefixRows
                    if item.countsAsFull { routedFull[l * e.count + x] += 1 }
                    if isPrefix { routedPrefix[l * e.count + x] += 1 }
                    for j in 0..<e.width {
                        let v = t.values[r * e.width + j]
                        let c = l * width + x * e.width + j
                        if item.countsAsFull {
                            if v > 0 { full[c] += 1 }
                            fullSums[c] += Double(v)
                        }
                        if isPrefix && v > 0 { prefix[c] += 1 }
                    }
                }
            }
            _ = try model.forward(TokenBatch(batchItems.map(\.tokens)), hooks: hooks, logits: .none)
        }
        #expect(stats.full.overZero == full)
        #expect(stats.prefix?.overZero == prefix)
        #expect(stats.full.routing?.counts == routedFull)
        #expect(stats.prefix?.routing?.counts == routedPrefix)
        #expect(stats.prefix?.totalTokens == Int64(items.reduce(0) { $0 + $1.prefixRows }))
        let gap = zip(stats.full.sumActivation!, fullSums).map { abs($0 - $1) / max(1, abs($1)) }.max()!
        #expect(gap < 1e-12)
        #expect(full.contains { $0 > 0 } && prefix.contains { $0 > 0 })
    }

    /// Four shards merged, and a run stopped and resumed, equal the whole run: counts exactly, sums to the rounding of
    /// another addition order (merge), byte for byte (resume).
    @Test func shardsMergedAndResumedRunsEqualTheWholeRun() throws {
        let model = try TinyModel.load("mixtral")
        let (sequences, _) = try sampleSequences(model, count: 16, seed: 5)
        let items = sequences.map { RecordingSequence(tokens: Array($0.prefix(40)), prefixRows: min($0.count, 40) / 2) }
        let input = RecordingInput(sequences: items, textCount: items.count, hasPrefix: true)
        let recorder = ActivationRecorder(model: model, modelSHA256: fakeSHA)
        let dir = try makeTemporaryDirectory()
        var settings = RecordingSettings()
        settings.site = Self.expertSite
        settings.batchTokens = 100
        let wholeURL = dir.appendingPathComponent("whole/xx.safetensors")
        let whole = try recorder.record(input, language: "xx", dataset: "t", settings: settings, output: wholeURL).statistics
        let shards = try (0..<4).map { i -> ActivationStatistics in
            var s = settings
            s.shard = try Shard(index: i, count: 4)
            let url = dir.appendingPathComponent("shards/xx.\(i).safetensors")
            _ = try recorder.record(input, language: "xx", dataset: "t", settings: s, output: url)
            return try StatisticsFile.read(url)
        }
        let merged = try ActivationStatistics.merge(shards)
        #expect(merged.full.overZero == whole.full.overZero && merged.prefix?.overZero == whole.prefix?.overZero)
        #expect(merged.full.totalTokens == whole.full.totalTokens)
        for (a, b) in [(merged.full.routing, whole.full.routing), (merged.prefix?.routing, whole.prefix?.routing)] {
            let a = try #require(a), b = try #require(b)
            #expect(a.counts == b.counts && a.rankCounts == b.rankCounts)
            #expect(zip(a.weightSums, b.weightSums).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        }
        for (a, b) in [(merged.full.sumActivation!, whole.full.sumActivation!),
                       (merged.full.sumWeightedActivation!, whole.full.sumWeightedActivation!),
                       (merged.prefix!.sumWeightedActivation!, whole.prefix!.sumWeightedActivation!)] {
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        }

        var stepwise = settings
        stepwise.checkpointEvery = 1
        let resumedURL = dir.appendingPathComponent("resumed/xx.safetensors")
        _ = try recorder.record(input, language: "xx", dataset: "t", settings: stepwise, output: resumedURL, stopAfterBatches: 2)
        #expect(!FileManager.default.fileExists(atPath: resumedURL.path))
        let resumed = try recorder.record(input, language: "xx", dataset: "t", settings: stepwise, output: resumedURL, resume: true)
        #expect(resumed.batchesRestored == 2)
        #expect(resumed.statistics == whole)
        #expect(try Data(contentsOf: resumedURL) == Data(contentsOf: wholeURL))
    }

    /// A dense model's statistics file is what lna wrote before routing was recorded (Tests/Fixtures/recording): the
    /// same tensors byte for byte and the same metadata, `kernels` (the machine's kernel set) aside.
    @Test func denseStatisticsFileIsUnchanged() throws {
        let fixture = TestResources.repositoryRoot.appendingPathComponent("Tests/Fixtures/recording/llama-dense.safetensors")
        let model = try TinyModel.load("llama")
        let expected = try StatisticsFile.read(fixture)
        var settings = RecordingSettings()
        settings.batchTokens = 100
        let output = try makeTemporaryDirectory().appendingPathComponent("en.safetensors")
        let input = RecordingInput.tokenSequences(try TinyModel.texts("llama").map(\.ids), maxLength: 4096)
        _ = try ActivationRecorder(model: model, modelSHA256: try ModelDigest.sha256(of: model.url), tool: expected.metadata.tool)
            .record(input, language: "en", dataset: "tokens", settings: settings, output: output,
                    extraMetadata: ["mode": "token-ids"])
        var written = try StatisticsFile.read(output)
        #expect(written.full.routing == nil && written.full.sumWeightedActivation == nil)
        #expect(Set(written.metadata.extra.keys) == Set(expected.metadata.extra.keys))
        // On a machine with the fixture's kernel set the files are identical; elsewhere, once the kernel set is
        // rewritten to the fixture's.
        if written.metadata.extra["kernels"] == expected.metadata.extra["kernels"] {
            #expect(try Data(contentsOf: output) == Data(contentsOf: fixture))
        }
        written.metadata.extra["kernels"] = expected.metadata.extra["kernels"]
        let normalized = output.deletingLastPathComponent().appendingPathComponent("normalized.safetensors")
        try StatisticsFile.write(written, to: normalized)
        #expect(try Data(contentsOf: normalized) == Data(contentsOf: fixture))
    }

    @Test func expertSitesAreRefusedWhereTheyMeanNothing() throws {
        let mixtral = try TinyModel.load("mixtral").config
        let llama = try TinyModel.load("llama").config
        func refusal(_ site: String, _ config: ModelConfig, topContexts: Int = 0) -> String? {
            var settings = RecordingSettings()
            settings.site = site
            settings.topContexts = topContexts
            do { _ = try settings.width(for: config); return nil } catch { return "\(error)" }
        }
        #expect(refusal("blocks.*.mlp.hook_act", mixtral)?.contains("blocks.*.mlp.experts.hook_act") == true)
        #expect(refusal("blocks.*.mlp.experts.2.hook_act", mixtral)?.contains("every expert") == true)
        #expect(refusal("blocks.*.mlp.hook_router", mixtral)?.contains("routing_counts") == true)
        #expect(refusal(Self.expertSite, mixtral, topContexts: 3) != nil)
        #expect(refusal(Self.expertSite, llama)?.contains("no experts") == true)
        #expect(refusal(Self.expertSite, mixtral) == nil)
        #expect(refusal("blocks.*.mlp.experts.*.hook_act", mixtral) == nil)
    }
}
