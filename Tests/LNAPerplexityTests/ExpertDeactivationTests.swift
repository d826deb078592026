import Foundation
import LNAAnalysis
import LNAFiles
import LNAHooks
import LNAModels
import LNAPerplexity
import LNATestSupport
import Testing

/// The deactivation grids on the tiny random Mixtral of the transformers fixtures: removing experts through the
/// router hook (`lna experts`) equals deleting them from the checkpoint by hand, and masks of expert neurons
/// switch off exactly those neurons of those experts.
struct ExpertDeactivationTests {
    static let fixtures = TestResources.repositoryRoot.appendingPathComponent("Tests/Fixtures")

    /// A loadable copy of a fixture folder (config.json, model.safetensors) with the fixtures' tokenizer.json.
    static func load(_ folder: URL) throws -> Model {
        let directory = try TestResources.temporaryDirectory("experts-\(folder.lastPathComponent)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("transformers/tokenizer.json"),
                                         to: directory.appendingPathComponent("tokenizer.json"))
        return try Model.load(url: directory, weights: .resident)
    }

    /// The token ids of the fixture's golden texts.
    static func texts() throws -> [[Int]] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("transformers/mixtral/goldens.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let texts = try #require(root["texts"] as? [[String: Any]])
        return try texts.map { try #require($0["ids"] as? [Int]) }
    }

    /// Row "a" removes expert 1 of layer 0 and expert 2 of layer 1 from the router; its scores equal those of
    /// the checkpoint with those experts deleted (scripts/dev/make_expert_removed_fixture.py).
    @Test func removingExpertsThroughTheRouterEqualsRemovingThemByHand() throws {
        let model = try Self.load(Self.fixtures.appendingPathComponent("transformers/mixtral"))
        let smaller = try Self.load(Self.fixtures.appendingPathComponent("experts/mixtral-without-experts"))
        let texts = try Self.texts()
        let removed = try MaskSet(languages: ["a", "b"], layers: 2, width: 4, lists: [[[1], [2]], [[0], [0]]])
        let grid = try PerplexityGrid(model: model, masks: removed, evaluation: [EvaluationSet(language: "a", texts: texts)],
                                      settings: PerplexityGridSettings(deactivated: ["a"]), layout: .router)
        let cells = try grid.score(shard: .whole, checkpoint: nil)
        let deactivated = try #require(cells[GridCheckpoint.key("a", "a")])
        let baseline = try #require(cells[GridCheckpoint.key(PerplexityGrid.baselineRow, "a")])
        let byHand = try TextScorer(model: smaller).score(texts: texts, hooks: nil)
        for (i, (row, reference)) in zip(deactivated, byHand).enumerated() {
            #expect(row.tokens == reference.tokens)
            #expect(abs(row.nllSum - reference.nllSum) <= 1e-5 * max(1, abs(reference.nllSum)), "text \(i): \(row.nllSum) vs \(reference.nllSum) by hand")
        }
        let change = zip(baseline, byHand).map { abs($0.nllSum - $1.nllSum) }.max()!
        #expect(change > 1e-3, "removing the experts changes nothing; the test would not see a wrong removal")
    }

    /// Masks over experts × expert width (4 × 48): column e·48 + j is neuron j of expert e, switched off on
    /// `blocks.L.mlp.experts.e.hook_act` — the same scores as the interventions written by hand.
    @Test func expertNeuronMasksSwitchOffTheirExpertsNeurons() throws {
        let model = try Self.load(Self.fixtures.appendingPathComponent("transformers/mixtral"))
        #expect(try model.config.neuronLayout(width: 192) == .experts(width: 48))
        #expect(throws: (any Error).self) { try model.config.neuronLayout(width: 48) }   // no dense MLP in Mixtral
        let texts = Array(try Self.texts().prefix(3))
        let masks = try MaskSet(languages: ["a", "b"], layers: 2, width: 192, lists: [[[3, 50, 51, 190], [100]], [[], []]])
        let grid = try PerplexityGrid(model: model, masks: masks, evaluation: [EvaluationSet(language: "a", texts: texts)],
                                      settings: PerplexityGridSettings(deactivated: ["a"]))
        #expect(grid.layout == .experts(width: 48))
        let cells = try grid.score(shard: .whole, checkpoint: nil)
        let hooks = HookSet(layerCount: 2)
        try hooks.intervene([
            Intervention(hook: "blocks.0.mlp.experts.0.hook_act", neurons: .indices([3]), operation: .zero),
            Intervention(hook: "blocks.0.mlp.experts.1.hook_act", neurons: .indices([2, 3]), operation: .zero),
            Intervention(hook: "blocks.0.mlp.experts.3.hook_act", neurons: .indices([46]), operation: .zero),
            Intervention(hook: "blocks.1.mlp.experts.2.hook_act", neurons: .indices([4]), operation: .zero),
        ])
        let byHand = try TextScorer(model: model).score(texts: texts, hooks: hooks)
        let row = try #require(cells[GridCheckpoint.key("a", "a")])
        #expect(row.map(\.nllSum) == byHand.map(\.nllSum))
        #expect(row.map(\.nllSum) != cells[GridCheckpoint.key(PerplexityGrid.baselineRow, "a")]!.map(\.nllSum))
    }
}
