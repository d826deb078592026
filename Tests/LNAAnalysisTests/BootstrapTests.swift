import Testing
import LNAAnalysis
import LNATensor

/// Percentile bootstrap intervals (lna eval's cells, lna lens's per-layer means).
struct BootstrapTests {
    @Test func bootstrapIntervalBracketsTheMean() throws {
        let flags = (0..<200).map { $0 % 4 == 0 }   // accuracy 0.25
        let ci = try #require(Bootstrap.interval(count: flags.count, using: SplitMix64(seed: 3)) { idx in
            Double(idx.filter { flags[$0] }.count) / Double(idx.count)
        })
        #expect(ci.low < 0.25 && ci.high > 0.25)
        // Normal approximation: ±1.96·sqrt(p(1−p)/n) ≈ ±0.06.
        #expect(abs((ci.high - ci.low) - 0.12) < 0.03)
        #expect(Bootstrap.interval(count: 0, using: SplitMix64(seed: 1)) { _ in 0 } == nil)
    }

    @Test func theSameSeedGivesTheSameInterval() throws {
        let values = (0..<50).map { Double($0 % 7) }
        let mean = { (idx: [Int]) in idx.reduce(0.0) { $0 + values[$1] } / Double(idx.count) }
        let a = try #require(Bootstrap.interval(count: values.count, using: SplitMix64(seed: 9), statistic: mean))
        let b = try #require(Bootstrap.interval(count: values.count, using: SplitMix64(seed: 9), statistic: mean))
        #expect(a == b)
    }
}
