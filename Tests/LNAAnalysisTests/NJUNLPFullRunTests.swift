import Foundation
import Testing
import LNAAnalysis
import LNATestSupport

/// The full NJUNLP pipeline on the repository's shipped MGSM counts (Mistral-7B shape, 10 languages):
/// response-only probabilities, AutoSweep at r = 0.01, b = 0.95, identify at the λ found.
struct NJUNLPFullRunTests {
    @Test func autoSweepThenIdentifyReproducesTheShippedRun() throws {
        guard let dir = try TestResources.shared(OriginalFilesTests.njunlpDirectory) else { return }
        let byLanguage = Dictionary(uniqueKeysWithValues: try OriginalFiles.loadDirectory(dir).map { ($0.language, $0) })
        let stats = OriginalFiles.njunlpLanguages.map { byLanguage[$0]! }
        let p = try ActivationProbabilities(statistics: stats)
        #expect(p.mode == .responseOnly)
        #expect(p.values.max()! > 1 && p.values.max()! < 1.0011)  // METHODS §1.6: max 1.0010306
        let identifier = try NeuronIdentifier(probabilities: p, method: .njunlp, bar: 0.95)
        let sweep = try AutoSweep(lo: 0, hi: 0.2, eps: 1e-3).run(identifier, topRate: 0.01)
        #expect(sweep.steps.filter { $0.kind == .mid }.count == 8)
        // The λ of the shipped mask folder `activation_masks/mgsm/0.01-0.109375/`.
        #expect(sweep.bestLambda == 0.109375)
        let result = try identifier.identify(topRate: 0.01, lambda: try #require(sweep.bestLambda))
        #expect(result.selectedCount == 4588)
        // METHODS §8.7: 6307 = 1866 + 2·617 + 3·310 + 4·153 + 5·127 + 6·59 + 7·40 + 8·27 + 9·20.
        #expect(result.appear == [0, 1866, 617, 310, 153, 127, 59, 40, 27, 20, 0])
        #expect(result.masks.sizes.reduce(0, +) == 6307)
        // LAPE on the same probabilities: with the filter equal to the bar every selected neuron gets a language,
        // so exactly k distinct neurons are kept (the property Tang's shipped files show, METHODS §2.4).
        let lape = try NeuronIdentifier(probabilities: p, method: .lape, bar: 0.95).identify(topRate: 0.01)
        #expect(lape.appear.reduce(0, +) == 4588 && lape.droppedCount == 0 && lape.appear[0] == 0)
        print("full run: λ=\(sweep.bestLambda!) τ=\(result.tau) appear=\(result.appear) sizes=\(result.masks.sizes)")
    }
}
