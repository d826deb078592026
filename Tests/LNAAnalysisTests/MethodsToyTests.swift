import Testing
import LNAAnalysis

/// METHODS.md §8.1: the hand-sized NJUNLP toy (K = 3 languages, L = 2 layers, H = 3 neurons).
struct MethodsToyTests {
    /// Built from counts with ΔT = (100, 50, 80) so the response-only path is exercised too.
    static func toyStatistics() throws -> [ActivationStatistics] {
        let p: [[Double]] = [  // [neuron][language] for ℓ0 j0..2, ℓ1 j0..2
            [0.9, 0.1, 0.0], [0.9, 0.9, 0.9], [0, 0, 0],
            [0.1, 0.3, 0.1], [0.6, 0.6, 0.1], [0.05, 0.0, 0.7],
        ]
        let deltaT: [Int64] = [100, 50, 80], prefixT: [Int64] = [40, 30, 20]
        return try ["en", "zh", "fr"].enumerated().map { k, lang in
            let prefixCounts = (0..<6).map { Int64($0 + 1) }  // arbitrary prefix counts, subtracted back out
            let full = (0..<6).map { Int64((p[$0][k] * Double(deltaT[k])).rounded()) + prefixCounts[$0] }
            return try ActivationStatistics(
                metadata: StatisticsMetadata(language: lang, layers: 2, width: 3),
                full: ActivationCounts(overZero: full, totalTokens: deltaT[k] + prefixT[k]),
                prefix: ActivationCounts(overZero: prefixCounts, totalTokens: prefixT[k]))
        }
    }

    static func identifier() throws -> NeuronIdentifier {
        let p = try ActivationProbabilities(statistics: toyStatistics())
        return try NeuronIdentifier(probabilities: p, method: .njunlp, bar: 0.5)
    }

    @Test func responseOnlyProbabilitiesMatchTheTable() throws {
        let p = try ActivationProbabilities(statistics: Self.toyStatistics())
        #expect(p.mode == .responseOnly)
        #expect(p[0, 0, 0] == Float(0.9) && p[0, 0, 1] == Float(0.1) && p[1, 2, 0] == Float(0.05) && p[1, 2, 2] == Float(0.7))
    }

    @Test func normalisedEntropies() throws {
        let p = try ActivationProbabilities(statistics: Self.toyStatistics())
        let e = EntropyScores(probabilities: p).entropy
        let expected = [0.295903274, 1.0, 1.0, 0.864973521, 0.829243901, 0.222944918]
        for (got, want) in zip(e, expected) { #expect(abs(got - want) < 2e-7, "\(got) vs \(want)") }
        #expect(abs(EntropyScores.normMax(languageCount: 3) - 11.0 / 18.0) < 1e-15)
    }

    @Test func tauIsTheNinthSmallestProbability() throws {
        #expect(try Self.identifier().tau == Float(0.1))
    }

    @Test func lambdaZeroSelectionMasksAndAppear() throws {
        let result = try Self.identifier().identify(topRate: 0.5, lambda: 0)
        #expect(result.selectedCount == 3)
        #expect(result.selected == [5, 0, 4])  // (1,2), (0,0), (1,1) in score order
        #expect(result.masks.lists == [[[0], [1]], [[], [1]], [[], [2]]])
        #expect(result.appear == [0, 2, 1, 0])
        #expect(result.classes.total(.specific) == 2 && result.classes.total(.related) == 1 && result.classes.total(.general) == 0)
        #expect(result.droppedCount == 0)
    }

    @Test func scoresAtLambdaPointTwo() throws {
        let scores = try Self.identifier().scores(lambda: 0.2)
        let expected: [Float] = [0.001358, 0.705455, 1.0, 0.766792, 0.632880, -0.006146]
        for (got, want) in zip(scores, expected) { #expect(abs(got - want) < 1e-6, "\(got) vs \(want)") }
        let result = try Self.identifier().identify(topRate: 0.5, lambda: 0.2)
        #expect(result.appear == [0, 2, 1, 0])
        #expect(Set(result.selected) == [5, 0, 4])
    }

    @Test func aboveTheCrossingTheSharedNeuronEnters() throws {
        let crossing = 0.3478364983877926
        let below = try Self.identifier().identify(topRate: 0.5, lambda: crossing - 1e-6)
        #expect(below.appear == [0, 2, 1, 0])
        let above = try Self.identifier().identify(topRate: 0.5, lambda: crossing + 1e-6)
        #expect(Set(above.selected) == [0, 5, 1])
        #expect(above.appear == [0, 2, 0, 1])
        #expect(above.masks.lists == [[[0, 1], []], [[1], []], [[1], [2]]])
        #expect(above.classes.perLayer[.general] == [1, 0])
        #expect(above.classes.lists["en"]?[.specific] == [[0], []])
    }

    @Test func autoSweepTakesNineStepsToTheBestLambda() throws {
        var printed: [AutoSweepStep] = []
        let result = try AutoSweep(lo: 0, hi: 0.5, eps: 1e-3).run(try Self.identifier(), topRate: 0.5) { printed.append($0) }
        let mids = result.steps.filter { $0.kind == .mid }
        #expect(mids.map(\.lambda) == [0.25, 0.375, 0.3125, 0.34375, 0.359375, 0.3515625, 0.34765625, 0.349609375, 0.3486328125])
        #expect(mids.map(\.ok) == [true, false, true, true, false, false, true, false, false])
        #expect(result.bestLambda == 0.34765625)
        #expect(result.appear == [0, 2, 1, 0])
        #expect(printed.count == 11)  // lo, hi, 9 midpoints
    }

    @Test func originalAutoSweepNeverSucceedsWithThreeLanguages() throws {
        let result = try AutoSweep(lo: 0, hi: 0.5, eps: 1e-3, originalBehaviour: true).run(try Self.identifier(), topRate: 0.5)
        #expect(result.bestLambda == nil)
    }

    @Test func autoSweepWithNoWorkingLambdaReportsNil() throws {
        // At these λ the shared neuron is always selected: nothing works, which is a result, not a crash.
        let result = try AutoSweep(lo: 0.4, hi: 0.6, eps: 1e-2).run(try Self.identifier(), topRate: 0.5)
        #expect(result.bestLambda == nil)
        #expect(result.appear.last == 1)
    }

    @Test func autoSweepWithoutWideningReturnsHiAndFlagsTheUpperBound() throws {
        let result = try AutoSweep(lo: 0, hi: 0.3, eps: 1e-3, widen: false).run(try Self.identifier(), topRate: 0.5)
        #expect(result.bestLambda == 0.3)
        #expect(result.steps.count == 2)
        #expect(result.bound == .upper)
        #expect(result.searchedBracket == 0...0.3)
    }

    @Test func autoSweepWidensAnOKUpperEndThenBisects() throws {
        // λ = 0.1 and 0.2 have no shared neuron, 0.4 has one (the crossing is at 0.3478…): the bracket doubles twice.
        let result = try AutoSweep(lo: 0, hi: 0.1, eps: 1e-3).run(try Self.identifier(), topRate: 0.5)
        #expect(result.steps.filter { $0.kind == .widen }.map(\.lambda) == [0.2, 0.4])
        #expect(result.steps.filter { $0.kind == .widen }.map(\.ok) == [true, false])
        #expect(result.searchedBracket == 0...0.4)
        #expect(result.requestedBracket == 0...0.1)
        let best = try #require(result.bestLambda)
        #expect(best < 0.3478364983877926 && best > 0.3478364983877926 - 1e-3)
        #expect(result.finalInterval.upperBound - result.finalInterval.lowerBound <= 1e-3)
        #expect(result.finalInterval.contains(0.3478364983877926))
        #expect(result.bound == nil)
        #expect(result.appear == [0, 2, 1, 0])
    }

    @Test func autoSweepWideningStopsAtItsLimitOnTheUpperBound() throws {
        // Below the crossing everything is ok: with one doubling allowed (0.1 → 0.2) the answer is the top, flagged.
        let result = try AutoSweep(lo: 0, hi: 0.1, eps: 1e-3, maxWidenings: 1).run(try Self.identifier(), topRate: 0.5)
        #expect(result.bestLambda == 0.2)
        #expect(result.bound == .upper)
        #expect(result.searchedBracket == 0...0.2)
    }

    @Test func autoSweepFlagsAnAnswerOnTheLowerBound() throws {
        // lo = 0.347 is ok and every midpoint above it fails: λ* sits on lo.
        let result = try AutoSweep(lo: 0.347, hi: 0.5, eps: 1e-2).run(try Self.identifier(), topRate: 0.5)
        #expect(result.bestLambda == 0.347)
        #expect(result.bound == .lower)
    }

    @Test func originalAutoSweepDoesNotWiden() throws {
        let result = try AutoSweep(lo: 0, hi: 0.1, eps: 1e-3, originalBehaviour: true).run(try Self.identifier(), topRate: 0.5)
        #expect(!result.steps.contains { $0.kind == .widen })
    }

    @Test func populationActiveInEveryLanguage() throws {
        let result = try Self.identifier().identify(topRate: 0.5, lambda: 0)
        #expect(result.population.lists == [[1], []])  // (0,1) = (0.9, 0.9, 0.9): p > 0.1 everywhere
    }

    @Test func missingPrefixForOneLanguageIsAnError() throws {
        var stats = try Self.toyStatistics()
        stats[1].prefix = nil
        #expect(throws: AnalysisError.self) { try ActivationProbabilities(statistics: stats) }
        let plain = try ActivationProbabilities(statistics: stats, mode: .plain)
        #expect(plain.mode == .plain)
    }
}
