/// Percentile bootstrap intervals of a statistic over items (resampling items with replacement). The caller's
/// generator draws the resamples, so a seeded one (e.g. LNATensor's `SplitMix64`) gives the same interval every run.
///
/// ```swift
/// let (low, high) = Bootstrap.interval(count: 100, using: SplitMix64(seed: 1)) { idx in
///     Double(idx.filter { correct[$0] }.count) / 100
/// }
/// ```
public enum Bootstrap {
    /// The 2.5 % and 97.5 % percentiles of `statistic` over `resamples` resamples of `count` items (nil when
    /// there are no items). Percentiles use linear interpolation between order statistics (numpy's default).
    public static func interval(count: Int, resamples: Int = 1000, using generator: some RandomNumberGenerator,
                                level: Double = 0.95, statistic: ([Int]) -> Double) -> (low: Double, high: Double)? {
        guard count > 0, resamples > 1 else { return nil }
        var generator = generator
        var values: [Double] = []
        values.reserveCapacity(resamples)
        var indices = [Int](repeating: 0, count: count)
        for _ in 0..<resamples {
            for i in 0..<count { indices[i] = Int(generator.next() % UInt64(count)) }
            values.append(statistic(indices))
        }
        values.sort()
        let tail = (1 - level) / 2
        return (percentile(values, tail), percentile(values, 1 - tail))
    }

    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
