import Foundation
import Testing
import LNAAnalysis
import LNAEval
import LNAHooks
import LNAModels
import LNASteering
import LNATestSupport

/// Loads Gemma-3-270M once for these tests.
final class SharedGemma: @unchecked Sendable {
    static let shared = SharedGemma()
    private var model: Model?
    private let lock = NSLock()
    func load() throws -> Model? {
        lock.lock(); defer { lock.unlock() }
        if let model { return model }
        guard let url = try TestResources.model("gemma3-270m") else { return nil }
        model = try Model.load(url: url)
        return model
    }
}

/// The evaluation on Gemma-3-270M with a few SIB-200 items (seconds): cached-prefix scoring against whole-text
/// scoring, an empty mask against the baseline, a resumed grid against one run, generation and chrF.
@Suite(.serialized) struct EvalModelTests {
    func topicItems(_ languages: [String], limit: Int) throws -> [String: [EvalItem]]? {
        guard let sib = try TestResources.shared("datasets/sib200") else { return nil }
        let settings = EvalTaskSettings(task: .sib200Topic, shots: 1, split: "dev", limit: limit)
        return try Dictionary(uniqueKeysWithValues: languages.map { ($0, try TaskItems.make(settings, data: sib.path, language: $0)) })
    }

    @Test func cachedPrefixScoresEqualWholeTextScores() throws {
        guard let model = try SharedGemma.shared.load(), let items = try topicItems(["fr"], limit: 2) else { return }
        let none = SteeringPlan.none(layers: model.config.layerCount, width: model.config.intermediateSize)
        let item = items["fr"]![0]
        let continuations = [" science/technology", " travel"]
        let cached = try ChoiceScorer(model: model).score(context: item.prompt, continuations: continuations, plan: none)
        let contextCount = model.tokenizer.encode(item.prompt).count
        for (continuation, ll) in zip(continuations, cached.logLikelihoods) {
            let whole = model.tokenizer.encode(item.prompt + continuation)
            let nll = try model.score(tokens: whole).nll
            let expected = -nll[(contextCount - 1)...].reduce(0, +)
            #expect(abs(ll - expected) < 1e-3 * max(1, abs(expected)), "\(continuation): \(ll) vs \(expected)")
        }
        #expect(cached.evaluatedTokens == contextCount + 2)   // " science/technology" is 3 tokens: 2 more rows
    }

    @Test func sharedPrefixIsReusedWithoutChangingScores() throws {
        guard let model = try SharedGemma.shared.load(), let sib = try TestResources.shared("datasets/sib200") else { return }
        let none = SteeringPlan.none(layers: model.config.layerCount, width: model.config.intermediateSize)
        let items = try TaskItems.make(EvalTaskSettings(task: .sib200Topic, shots: 2, fixedShots: true, split: "dev", limit: 2),
                                       data: sib.path, language: "de")
        #expect(items[0].sharedPrefix == items[1].sharedPrefix && items[0].sharedPrefix.contains("\nTopic: "))
        let labels = items[0].choices.map { " " + $0 }
        let scorer = ChoiceScorer(model: model)
        let first = try scorer.score(context: items[0].prompt, sharedPrefix: items[0].sharedPrefix, continuations: labels, plan: none)
        let second = try scorer.score(context: items[1].prompt, sharedPrefix: items[1].sharedPrefix, continuations: labels, plan: none)
        // The second item alone, with a fresh cache: bit-identical (the prefix is always evaluated alone).
        let alone = try ChoiceScorer(model: model).score(context: items[1].prompt, sharedPrefix: items[1].sharedPrefix,
                                                         continuations: labels, plan: none)
        #expect(second == alone)
        let prefixCount = model.tokenizer.encode(items[1].sharedPrefix).count
        #expect(second.evaluatedTokens == model.tokenizer.encode(items[1].prompt).count - prefixCount + 2)
        // Without the shared prefix: the same log-likelihoods up to float rounding.
        let whole = try ChoiceScorer(model: model).score(context: items[1].prompt, continuations: labels, plan: none)
        for (a, b) in zip(whole.logLikelihoods, second.logLikelihoods) { #expect(abs(a - b) < 1e-3 * max(1, abs(a))) }
        #expect(first.logLikelihoods != second.logLikelihoods)
    }

    @Test func emptyMaskDeactivationGivesTheBaselinePredictions() throws {
        guard let model = try SharedGemma.shared.load(), let items = try topicItems(["en", "fr"], limit: 2) else { return }
        let c = model.config
        let empty = Array(repeating: [Int](), count: c.layerCount)
        let masks = try MaskSet(languages: ["en", "fr"], layers: c.layerCount, width: c.intermediateSize, lists: [empty, empty])
        let deactivation = try EvalRow.deactivations(of: ["fr"], classes: .all, value: 0, masks: masks, columns: ["en", "fr"])
        #expect(deactivation.map(\.label) == ["fr (all)"] && deactivation[0].plans["en"]?.request.deactivate == ["fr"])
        // The same path with hooks that run at every layer and change nothing (a · 1 at every neuron): the hooked
        // forward itself must not move a score.
        let identity = (0..<c.layerCount).map { Intervention(hook: "blocks.\($0).mlp.hook_act", operation: .scale(1)) }
        let hooked = SteeringPlan(request: SteeringRequest(deactivate: ["fr"]), layers: c.layerCount, width: c.intermediateSize,
                                  interventions: identity)
        let rows = [EvalRow.baseline(columns: ["en", "fr"], layers: c.layerCount, width: c.intermediateSize)] + deactivation
            + [EvalRow(label: "identity hooks", plans: ["en": hooked, "fr": hooked])]
        let evaluator = ItemEvaluator(model: model, settings: EvalTaskSettings(task: .sib200Topic, shots: 1, split: "dev", limit: 2),
                                      identify: try OutputLanguage.builtin())
        let result = try EvalGrid(evaluator: evaluator, rows: rows, items: items, columns: ["en", "fr"]).run()
        for column in ["en", "fr"] {
            let base = try #require(result.items["none→\(column)"]), off = try #require(result.items["fr (all)→\(column)"])
            let identical = try #require(result.items["identity hooks→\(column)"])
            // Records compare every field: prediction, correctness and the seven log-likelihoods, bit for bit.
            #expect(base.count == 2 && base == off && base == identical)
            #expect(base.allSatisfy { $0.logLikelihoods?.count == 7 })
        }
        #expect(result.cells[0].map(\.value) == result.cells[1].map(\.value))
        #expect(result.cells[0].map(\.value) == result.cells[2].map(\.value))
    }

    @Test func resumedGridEqualsOneRun() throws {
        guard let model = try SharedGemma.shared.load(), let items = try topicItems(["en", "sw"], limit: 2) else { return }
        let c = model.config
        var lists = Array(repeating: [Int](), count: c.layerCount)
        lists[5] = Array(0..<200)
        let masks = try MaskSet(languages: ["sw"], layers: c.layerCount, width: c.intermediateSize, lists: [lists])
        let rows = [EvalRow.baseline(columns: ["en", "sw"], layers: c.layerCount, width: c.intermediateSize)]
            + (try EvalRow.deactivations(of: ["sw"], classes: .all, value: 0, masks: masks, columns: ["en", "sw"]))
        let settings = EvalTaskSettings(task: .sib200Topic, shots: 1, split: "dev", limit: 2)
        var grid = EvalGrid(evaluator: ItemEvaluator(model: model, settings: settings, identify: try OutputLanguage.builtin()),
                            rows: rows, items: items, columns: ["en", "sw"])
        grid.saveEvery = 1
        let whole = try grid.run()
        let dir = try TestResources.temporaryDirectory("lna-eval-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let checkpoint = dir.appendingPathComponent("eval.checkpoint.json")
        struct Killed: Error {}
        // Stop after 5 of the 8 items, as a kill would (the checkpoint holds what was saved).
        #expect(throws: Killed.self) { _ = try grid.run(checkpoint: checkpoint) { p in if p.done == 5 { throw Killed() } } }
        var resumed = 0
        var restored: EvalGrid.Progress?, last: EvalGrid.Progress?
        let second = try grid.run(checkpoint: checkpoint) { p in
            resumed = max(resumed, p.resumedItems)
            if p.computedItems == 0 { restored = p }
            last = p
        }
        #expect(resumed == 5)
        // Progress counts prompt tokens: the work of the 5 resumed items is done, the ETA is over the other 3.
        let work = ["en", "sw"].map { grid.promptTokens(items[$0]!) }
        let item = items["en"]![0]
        #expect(!item.sharedPrefix.isEmpty)   // the instruction
        #expect(work[0][0] == model.tokenizer.encode(item.prompt).count - model.tokenizer.encode(item.sharedPrefix).count)
        let order = work[0] + work[1] + work[0] + work[1]                              // rows × columns × items
        #expect(restored?.done == 5 && restored?.promptTokensTotal == order.reduce(0, +))
        #expect(restored?.promptTokensDone == order.prefix(5).reduce(0, +) && restored?.eta == nil)
        #expect(last?.promptTokensDone == last?.promptTokensTotal && last?.computedPromptTokens == order.suffix(3).reduce(0, +))
        #expect(last?.eta == 0 && (last?.tokensPerSecond ?? 0) > 0)
        #expect(second.items == whole.items)
        #expect(second.cells == whole.cells)
        // The deactivation changed something (otherwise the comparison above proves little).
        #expect(whole.items["none→sw"] != whole.items["sw (all)→sw"])
        // A checkpoint of other inputs is refused.
        var other = grid
        other = EvalGrid(evaluator: ItemEvaluator(model: model, settings: EvalTaskSettings(task: .sib200Topic, shots: 2, split: "dev", limit: 2),
                                                  identify: try OutputLanguage.builtin()), rows: rows, items: items, columns: ["en", "sw"])
        #expect(throws: EvalError.self) { _ = try other.run(checkpoint: checkpoint) }
    }

    @Test func generativeTasksReadTheirOutputs() throws {
        guard let model = try SharedGemma.shared.load(), let mgsm = try TestResources.shared("datasets/mgsm"),
              let sib = try TestResources.shared("datasets/sib200") else { return }
        let identify = try OutputLanguage.builtin()
        let none = SteeringPlan.none(layers: model.config.layerCount, width: model.config.intermediateSize)
        let mathSettings = EvalTaskSettings(task: .mgsm, shots: 1, limit: 1, maxTokens: 6)
        let math = try TaskItems.make(mathSettings, data: mgsm.path, language: "en")[0]
        let m = try ItemEvaluator(model: model, settings: mathSettings, identify: identify).evaluate(math, plan: none)
        #expect(m.output != nil && m.extraction != nil && m.correct != nil)
        #expect(m.prediction == (AnswerExtraction.flexible(m.output!) ?? ""))
        let translateSettings = EvalTaskSettings(task: .translate, shots: 1, split: "dev", limit: 1, direction: .toEnglish, maxTokens: 12)
        let pair = try TaskItems.make(translateSettings, data: sib.path, language: "fr")[0]
        let t = try ItemEvaluator(model: model, settings: translateSettings, identify: identify).evaluate(pair, plan: none)
        let chrF = try #require(t.chrF)
        #expect(chrF == ChrF().sentenceScore(t.prediction, references: [pair.gold]))
        #expect(chrF > 0 && t.outputLanguage != nil && t.correct == nil)
    }
}
