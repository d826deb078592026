import LNAModels
import Testing

/// The sampler on inline logits: greedy ties, seeded reproducibility, temperature and the repetition penalty.
struct SamplingTests {
    static let logits: [Float] = [1.0, 3.0, 3.0, -2.0, 2.5, 0.0]

    func draw(_ sampler: inout Sampler, previous: [Int] = []) -> Int {
        Self.logits.withUnsafeBufferPointer { sampler.next(logits: $0, previous: previous) }
    }

    @Test func greedyTakesTheFirstOfTiedMaxima() {
        var sampler = Sampler()
        #expect(draw(&sampler) == 1)
    }

    @Test func seededSamplingRepeatsAndFollowsTheDistribution() {
        var a = Sampler(temperature: 1, seed: 42), b = Sampler(temperature: 1, seed: 42)
        let first = (0..<200).map { _ in draw(&a) }
        let second = (0..<200).map { _ in draw(&b) }
        #expect(first == second)
        // softmax(logits): tokens 1 and 2 hold ≈ 0.34 each, token 3 ≈ 0.002.
        let share = Double(first.filter { $0 == 1 || $0 == 2 }.count) / 200
        #expect(share > 0.5 && share < 0.85)
        #expect(Set(first).count >= 3)
    }

    @Test func repetitionPenaltyDemotesSeenTokens() {
        var sampler = Sampler(repetitionPenalty: 2)
        // 3.0 / 2 = 1.5 for the seen tokens 1 and 2: token 4 (2.5) wins.
        #expect(draw(&sampler, previous: [1, 2]) == 4)
    }

    @Test func topKRestrictsTheChoice() {
        var sampler = Sampler(temperature: 5, topK: 2, seed: 7)
        let draws = Set((0..<100).map { _ in draw(&sampler) })
        #expect(draws.isSubset(of: [1, 2]))
    }
}
