import Foundation
import Testing
import LNAAnalysis
import LNAPerplexity

/// Aggregates, standard errors and class selection on inline numbers.
@Suite struct EstimateTests {
    let scores = [TextScore(tokens: 4, nllSum: 8, njunlpMeanNLL: 1.5),
                  TextScore(tokens: 6, nllSum: 6, njunlpMeanNLL: 0.9),
                  TextScore(tokens: 10, nllSum: 30, njunlpMeanNLL: 2.8)]

    @Test func tokenWeightedPerplexityIsCorpusLevel() {
        let e = CellEstimate(scores: scores, measure: .tokenWeighted)
        #expect(e.texts == 3 && e.tokens == 20)
        #expect(abs(e.nll - 44.0 / 20) < 1e-12)
        #expect(abs(e.perplexity - exp(2.2)) < 1e-9)
        // Delta method by hand: residuals s − R·n = 8 − 8.8, 6 − 13.2, 30 − 22 → squares 0.64, 51.84, 64.
        let expected = (3.0 / 2.0 * (0.64 + 51.84 + 64)).squareRoot() / 20
        #expect(abs(e.nllStandardError - expected) < 1e-12)
        #expect(abs(e.perplexityStandardError - e.perplexity * expected) < 1e-9)
    }

    @Test func njunlpIsMacroAverageOfTexts() {
        let e = CellEstimate(scores: scores, measure: .njunlp)
        #expect(abs(e.nll - (1.5 + 0.9 + 2.8) / 3) < 1e-12)
        let mean = (1.5 + 0.9 + 2.8) / 3
        let sd = (([1.5, 0.9, 2.8].map { ($0 - mean) * ($0 - mean) }.reduce(0, +)) / 2).squareRoot()
        #expect(abs(e.nllStandardError - sd / 3.0.squareRoot()) < 1e-12)
    }

    @Test func pairedDeltaErrorIsZeroForAConstantShiftPerToken() {
        let shifted = scores.map { TextScore(tokens: $0.tokens, nllSum: $0.nllSum + 0.5 * Double($0.tokens), njunlpMeanNLL: $0.njunlpMeanNLL + 0.5) }
        #expect(CellEstimate.pairedDeltaStandardError(baseline: scores, treated: shifted, measure: .tokenWeighted) < 1e-12)
        #expect(CellEstimate.pairedDeltaStandardError(baseline: scores, treated: shifted, measure: .njunlp) < 1e-12)
    }

    @Test func singleTextHasNoStandardError() {
        #expect(CellEstimate(scores: [scores[0]], measure: .tokenWeighted).nllStandardError.isNaN)
        #expect(CellEstimate(scores: [], measure: .tokenWeighted).perplexity.isNaN)
    }

    @Test func classesSelectSpecificRelatedAndAll() throws {
        // Neuron 0 only en (specific), 1 en+fr (related), 2 in all three (general).
        let masks = try MaskSet(languages: ["en", "fr", "zh"], layers: 1, width: 4,
                                lists: [[[0, 1, 2]], [[1, 2, 3]], [[2]]])
        #expect(try DeactivationClasses.specific.layerLists(of: "en", in: masks) == [[0]])
        #expect(try DeactivationClasses.specificAndRelated.layerLists(of: "en", in: masks) == [[0, 1]])
        #expect(try DeactivationClasses.all.layerLists(of: "en", in: masks) == [[0, 1, 2]])
        #expect(try DeactivationClasses.specific.layerLists(of: "zh", in: masks) == [[]])
        #expect(throws: PerplexityError.self) { try DeactivationClasses.all.layerLists(of: "de", in: masks) }
        #expect(try DeactivationClasses(name: "specific+related") == .specificAndRelated)
        #expect(throws: PerplexityError.self) { try DeactivationClasses(name: "some") }
    }

    @Test func hooksCoverOnlyLayersWithNeurons() throws {
        let plan = DeactivationHooks.interventions(layerLists: [[], [3, 5], []], value: 0)
        #expect(plan.count == 1)
        #expect(plan[0].hook == "blocks.1.mlp.hook_act")
        #expect(plan[0].neurons == .indices([3, 5]))
        #expect(plan[0].operation == .zero)
        #expect(DeactivationHooks.interventions(layerLists: [[1]], value: -1)[0].operation == .set(-1))
        #expect(try DeactivationHooks.make(layerLists: [[], []], value: 0, layerCount: 2) == nil)
        #expect(throws: PerplexityError.self) { try DeactivationHooks.make(layerLists: [[1]], value: 0, layerCount: 2) }
    }

    @Test func batchesKeepOrderAndRespectTheBudget() {
        #expect(TextScorer.batches(lengths: [3, 3, 3, 10, 1], batchTokens: 6) == [0..<2, 2..<3, 3..<4, 4..<5])
        #expect(TextScorer.batches(lengths: [], batchTokens: 6) == [])
    }

    @Test func resultDerivesDeltaRatioAndOwnColumn() throws {
        func cell(_ nll: Double) -> [TextScore] { [TextScore(tokens: 10, nllSum: nll * 10, njunlpMeanNLL: nll), TextScore(tokens: 10, nllSum: nll * 10, njunlpMeanNLL: nll)] }
        let result = PerplexityGridResult(rows: ["none", "en", "fr"], columns: ["en", "fr"],
                                          scores: [[cell(1), cell(2)], [cell(2), cell(2.1)], [cell(1.5), cell(1.4)]],
                                          measure: .tokenWeighted, deactivatedNeurons: [0, 5, 7])
        #expect(abs(result.delta[1][0] - (exp(2) - exp(1))) < 1e-9)
        #expect(result.delta[0] == [0, 0])
        #expect(abs(result.ratio[2][1] - exp(1.4) / exp(2)) < 1e-9)
        #expect(result.ownColumnIsLargest == ["en": true, "fr": false])
        let doc = result.document(metadata: ["model": "toy"])
        #expect(doc.cells.count == 6)
        #expect(doc.deactivatedNeurons["fr"] == 7)
        let decoded = try JSONDecoder().decode(PerplexityDocument.self, from: try doc.encoded())
        #expect(decoded == doc)
        #expect(String(decoding: try doc.encoded(), as: UTF8.self).contains("\"delta_ppl\""))
    }
}
