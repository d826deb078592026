import Testing
import LNAAnalysis

/// METHODS.md §6 and §8.7: rounding, kth value, tie order, one-hot entropy, H_K/K, LAPE.
struct MethodsMiscTests {
    @Test func pythonRoundIsHalfToEven() {
        #expect(pythonRound(4587.52) == 4588)
        #expect(pythonRound(0.5) == 0)
        #expect(pythonRound(2.5) == 2)
        #expect(pythonRound(3.5) == 4)
        #expect(pythonRound(Double(32 * 14336) * 0.01) == 4588)
    }

    @Test func kthSmallestMatchesSorting() {
        var generator = SystemRandomNumberGenerator()
        for n in [1, 2, 7, 100, 1000] {
            let values = (0..<n).map { _ in Float(Int.random(in: 0..<20, using: &generator)) / 7 }
            let sorted = values.sorted()
            for k in [1, (n + 1) / 2, n] {
                var scratch = values
                #expect(kthSmallest(&scratch, k) == sorted[k - 1])
            }
        }
    }

    @Test func selectionBreaksTiesByIndex() {
        let scores: [Float] = [0.5, 0.1, 0.3, 0.1, 0.1, 0.0]
        #expect(smallestPositions(scores, count: 3) == [5, 1, 3])
        #expect(smallestPositions(scores, count: 4) == [5, 1, 3, 4])
        #expect(smallestPositions(scores, count: 0) == [])
        #expect(smallestPositions(scores, count: 9) == [5, 1, 3, 4, 2, 0])
    }

    @Test func oneHotEntropyWithTenLanguages() throws {
        var values = [Float](repeating: 0, count: 10)
        values[3] = 0.7
        let p = try ActivationProbabilities(languages: (0..<10).map { "l\($0)" }, layers: 1, width: 1, values: values)
        let e = EntropyScores(probabilities: p).entropy[0]
        #expect(abs(e - 1.08e-10) < 0.01e-10, "\(e)")
        #expect(EntropyScores.normMax(languageCount: 10) == 0.2928968253968254)
    }

    @Test func allZeroNeuronScoresOne() throws {
        let p = try ActivationProbabilities(languages: ["a", "b"], layers: 1, width: 1, values: [0, 0])
        #expect(EntropyScores(probabilities: p).scores(lambda: 0.3) == [1])
    }

    @Test func lapeFiltersAndRanksByEntropy() throws {
        // 4 neurons × 2 languages; τ at bar 0.5 is the 4th smallest of 8 values.
        let values: [Float] = [0.9, 0.0,   0.5, 0.5,   0.0, 0.0,   0.8, 0.1]
        let p = try ActivationProbabilities(languages: ["en", "zh"], layers: 1, width: 4, values: values)
        let identifier = try NeuronIdentifier(probabilities: p, method: .lape, bar: 0.5)
        #expect(identifier.tau == 0.1)
        let scores = identifier.scores(lambda: 0)
        #expect(scores[0] == 0)          // one-hot: entropy 0
        #expect(scores[2] == .infinity)  // all zero: filtered out (its raw LAPE would be 0)
        let result = try identifier.identify(topRate: 0.5)
        #expect(result.selected == [0, 3])
        #expect(result.masks.lists == [[[0, 3]], [[]]])
    }

    @Test func maskSetRejectsUnsortedOrOutOfRangeIndices() {
        #expect(throws: AnalysisError.self) { try MaskSet(languages: ["a"], layers: 1, width: 4, lists: [[[2, 1]]]) }
        #expect(throws: AnalysisError.self) { try MaskSet(languages: ["a"], layers: 1, width: 4, lists: [[[4]]]) }
        #expect(throws: AnalysisError.self) { try MaskSet(languages: ["a", "b"], layers: 1, width: 4, lists: [[[1]]]) }
    }

    @Test func invalidParametersAreErrors() throws {
        let p = try ActivationProbabilities(languages: ["a", "b"], layers: 1, width: 2, values: [0.1, 0.2, 0.3, 0.4])
        #expect(throws: AnalysisError.self) { try NeuronIdentifier(probabilities: p, bar: 0) }
        #expect(throws: AnalysisError.self) { try NeuronIdentifier(probabilities: p, bar: 1.5) }
        let identifier = try NeuronIdentifier(probabilities: p, bar: 0.5)
        #expect(throws: AnalysisError.self) { try identifier.identify(topRate: 0, lambda: 0) }
        #expect(throws: AnalysisError.self) { try identifier.identify(topRate: 0.5, lambda: .nan) }
        #expect(throws: AnalysisError.self) { try AutoSweep(lo: 0.3, hi: 0.1).run(identifier, topRate: 0.5) }
        #expect(throws: AnalysisError.self) {
            try ActivationProbabilities(languages: ["a", "b"], layers: 1, width: 1, values: [.nan, 0])
        }
    }

    @Test func countsAboveTotalAreRejectedInPlainMode() throws {
        let a = try ActivationStatistics(metadata: StatisticsMetadata(language: "a", layers: 1, width: 1),
                                         full: ActivationCounts(overZero: [11], totalTokens: 10))
        let b = try ActivationStatistics(metadata: StatisticsMetadata(language: "b", layers: 1, width: 1),
                                         full: ActivationCounts(overZero: [1], totalTokens: 10))
        #expect(throws: AnalysisError.self) { try ActivationProbabilities(statistics: [a, b]) }
    }

    @Test func statisticsValidateShapesAndNaN() {
        let meta = StatisticsMetadata(language: "a", layers: 2, width: 2)
        #expect(throws: AnalysisError.self) { try ActivationStatistics(metadata: meta, full: ActivationCounts(overZero: [1, 2, 3], totalTokens: 5)) }
        #expect(throws: AnalysisError.self) { try ActivationStatistics(metadata: meta, full: ActivationCounts(overZero: [1, 2, 3, -1], totalTokens: 5)) }
        #expect(throws: AnalysisError.self) {
            try ActivationStatistics(metadata: meta, full: ActivationCounts(overZero: [1, 2, 3, 4], totalTokens: 5, sumActivation: [0, .nan, 0, 0]))
        }
    }
}
