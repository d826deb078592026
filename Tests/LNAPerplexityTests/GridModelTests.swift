import Foundation
import Testing
import LNAAnalysis
import LNAFiles
import LNAModels
import LNAPerplexity
import LNATestSupport

/// Loads Gemma-3-270M once for these tests.
final class SharedModel: @unchecked Sendable {
    static let shared = SharedModel()
    private var model: Model?
    private let lock = NSLock()
    func gemma() throws -> Model? {
        lock.lock(); defer { lock.unlock() }
        if let model { return model }
        guard let url = try TestResources.model("gemma3-270m") else { return nil }
        model = try Model.load(url: url)
        return model
    }
}

/// Token ids of short Gemma texts (BOS = 2 first); the tokenizer is not needed.
let sampleTexts: [[Int]] = [
    [2, 651, 5776, 8540, 563, 506, 3281, 236761],
    [2, 9259, 236764, 1217, 659, 611, 236881],
    [2, 818, 4470, 236761],
    [2, 1018],
]

/// Scoring, hooks and grids on the real model (serialized: one model, one forward at a time).
@Suite(.serialized) struct GridModelTests {
    @Test func packedScoringEqualsOneByOne() throws {
        guard let model = try SharedModel.shared.gemma() else { return }
        let packed = try TextScorer(model: model, batchTokens: 64).score(texts: sampleTexts, hooks: nil)
        let single = try TextScorer(model: model, batchTokens: 1).score(texts: sampleTexts, hooks: nil)
        for (i, tokens) in sampleTexts.enumerated() {
            let reference = try model.score(tokens: tokens)
            #expect(packed[i].tokens == tokens.count - 1)
            #expect(abs(packed[i].nllSum - reference.nllSum) < 1e-3 * max(1, reference.nllSum))
            #expect(abs(single[i].nllSum - reference.nllSum) < 1e-6 * max(1, reference.nllSum))
            #expect(abs(packed[i].njunlpMeanNLL - single[i].njunlpMeanNLL) < 1e-3)
        }
    }

    @Test func njunlpValueAddsTopOneWhereArgmaxDiffers() throws {
        guard let model = try SharedModel.shared.gemma() else { return }
        let tokens = sampleTexts[0]
        let r = try model.forward(TokenBatch(tokens), logits: .all)
        let v = r.vocabularySize
        var collected: [Double] = []
        var actual = 0.0
        for p in 0..<(tokens.count - 1) {
            let row = Array(r.logits[p * v..<(p + 1) * v])
            let m = Double(row.max()!)
            let lse = m + log(row.reduce(0.0) { $0 + exp(Double($1) - m) })
            let best = row.indices.max { row[$0] < row[$1] }!
            collected.append(lse - Double(row[tokens[p + 1]]))
            actual += lse - Double(row[tokens[p + 1]])
            if best != tokens[p + 1] { collected.append(lse - Double(row[best])) }
        }
        let s = try TextScorer(model: model).score(texts: [tokens], hooks: nil)[0]
        #expect(abs(s.nllSum - actual) < 1e-3)
        #expect(abs(s.njunlpMeanNLL - collected.reduce(0, +) / Double(collected.count)) < 1e-4)
        // The top-1 terms are never larger than the actual token's, so the NJUNLP value is biased down.
        #expect(s.njunlpMeanNLL <= s.meanNLL + 1e-9)
    }

    @Test func deactivationChangesScoresAndEmptyMaskDoesNot() throws {
        guard let model = try SharedModel.shared.gemma() else { return }
        let layers = model.config.layerCount
        let scorer = TextScorer(model: model)
        let base = try scorer.score(texts: [sampleTexts[0]], hooks: nil)[0]
        let lists = (0..<layers).map { _ in Array(0..<512) }
        let hooks = try DeactivationHooks.make(layerLists: lists, value: 0, layerCount: layers)
        let off = try scorer.score(texts: [sampleTexts[0]], hooks: hooks)[0]
        #expect(abs(off.nllSum - base.nllSum) > 1e-3)
        let none = try DeactivationHooks.make(layerLists: Array(repeating: [], count: layers), value: 0, layerCount: layers)
        #expect(none == nil)
    }

    func toyMasks(_ model: Model) throws -> MaskSet {
        let layers = model.config.layerCount, width = model.config.intermediateSize
        // "en" switches off 300 neurons in every layer, "fr" 300 others, with 50 shared (related).
        return try MaskSet(languages: ["en", "fr"], layers: layers, width: width,
                           lists: [Array(repeating: Array(0..<300), count: layers), Array(repeating: Array(250..<550), count: layers)])
    }

    @Test func killedGridResumesToIdenticalOutput() throws {
        guard let model = try SharedModel.shared.gemma() else { return }
        let masks = try toyMasks(model)
        let sets = [EvaluationSet(language: "en", texts: Array(sampleTexts[0..<2])), EvaluationSet(language: "fr", texts: Array(sampleTexts[2..<4]))]
        let dir = try TestResources.temporaryDirectory("ppl-grid")
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try PerplexityGrid(model: model, masks: masks, evaluation: sets, settings: .init()).run()
        let expected = try full.document(metadata: ["m": "x"]).encoded()

        struct Killed: Error {}
        let checkpoint = dir.appendingPathComponent("ppl.checkpoint.json")
        let grid = try PerplexityGrid(model: model, masks: masks, evaluation: sets, settings: .init())
        #expect(throws: Killed.self) { try grid.run(checkpoint: checkpoint) { if $0.done == 3 { throw Killed() } } }
        var resumedCells = 0
        let resumed = try grid.run(checkpoint: checkpoint) { if $0.resumed { resumedCells += 1 } }
        #expect(resumedCells == 3)
        #expect(try resumed.document(metadata: ["m": "x"]).encoded() == expected)
        #expect(full.rows == ["none", "en", "fr"])
        #expect(full.delta[1][0] > 0)

        // Other settings never reuse these cells.
        let other = try PerplexityGrid(model: model, masks: masks, evaluation: sets, settings: .init(classes: .specific))
        #expect(throws: PerplexityError.self) { try other.run(checkpoint: checkpoint) }
    }

    @Test func shardedGridMergesToTheWholeDocument() throws {
        guard let model = try SharedModel.shared.gemma() else { return }
        let masks = try toyMasks(model)
        let sets = [EvaluationSet(language: "en", texts: Array(sampleTexts[0..<2])), EvaluationSet(language: "fr", texts: Array(sampleTexts[2..<4]))]
        let dir = try TestResources.temporaryDirectory("ppl-shards")
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = try PerplexityGrid(model: model, masks: masks, evaluation: sets, settings: .init())
        let metadata = ["model": "x"], settings = PerplexityDocument.Settings(value: 0, maxTokens: 4096, limit: nil)
        let expected = try grid.run().document(metadata: metadata, settings: settings).encoded()
        // 6 cells in 4 shards (1, 2, 1, 2 cells), each through its file as `lna merge` reads it.
        var shards: [PerplexityGridShard] = []
        for i in 0..<4 {
            let shard = try Shard(index: i, count: 4)
            let url = dir.appendingPathComponent(shard.fileName("ppl", extension: "json"))
            let cells = try grid.score(shard: shard, checkpoint: nil)
            #expect(cells.count == shard.slice(of: 6).count)
            try PerplexityGridShard(shard: shard, grid: grid, cells: cells, metadata: metadata, settings: settings).write(to: url)
            shards.append(try PerplexityGridShard.read(url))
        }
        let names = (0..<4).map { "s\($0)" }
        #expect(try PerplexityGridShard.merge(shards.reversed(), names: names).encoded() == expected)
        // A missing, repeated or foreign shard is refused.
        #expect(throws: PerplexityError.self) { try PerplexityGridShard.merge(Array(shards.dropLast()), names: Array(names.dropLast())) }
        #expect(throws: PerplexityError.self) { try PerplexityGridShard.merge([shards[0], shards[0], shards[2], shards[3]], names: names) }
        var foreign = shards[1]
        foreign.fingerprint = "other"
        #expect(throws: PerplexityError.self) { try PerplexityGridShard.merge([shards[0], foreign, shards[2], shards[3]], names: names) }
    }

    @Test func specificRowsSwitchOffFewerNeurons() throws {
        guard let model = try SharedModel.shared.gemma() else { return }
        let masks = try toyMasks(model)
        let grid = try PerplexityGrid(model: model, masks: masks, evaluation: [EvaluationSet(language: "en", texts: [sampleTexts[3]])],
                                      settings: .init(classes: .specific, deactivated: ["fr"]))
        let r = try grid.run()
        #expect(r.rows == ["none", "fr"])
        #expect(r.deactivatedNeurons == [0, 250 * model.config.layerCount])
        #expect(throws: PerplexityError.self) {
            try PerplexityGrid(model: model, masks: masks, evaluation: [], settings: .init())
        }
    }
}
