import LNAAnalysis
import LNAPerplexity
import LNATensor

/// The summary of one (row, column) cell: the task's metric over its items with a bootstrap 95 % interval.
///
/// ```swift
/// let cell = EvalCell(row: "none", column: "fr", task: .sib200Topic, records: records, seed: 1234)
/// cell.value, cell.interval   // accuracy and its percentile-bootstrap interval
/// ```
public struct EvalCell: Codable, Sendable, Equatable {
    public var row: String
    public var column: String
    /// Items scored.
    public var n: Int
    /// "acc", "exact_match" or "chrF".
    public var metric: String
    /// Accuracy in [0, 1], or corpus chrF in [0, 100].
    public var value: Double
    /// Bootstrap 95 % interval [low, high] of `value` (1000 resamples of the items).
    public var interval: [Double]
    /// sib200-topic: acc_norm and its interval.
    public var accNorm: Double?
    public var accNormInterval: [Double]?
    /// translate: corpus chrF++ and its interval, the mean sentence chrF, the share of outputs in the target language.
    public var chrFPlusPlus: Double?
    public var chrFPlusPlusInterval: [Double]?
    public var outputLanguageRate: Double?
    /// generative tasks: share of outputs with an extracted answer.
    public var answeredRate: Double?
    public var tokens: Int

    public init(row: String, column: String, task: EvalTaskKind, records: [EvalRecord], seed: UInt64) {
        self.row = row
        self.column = column
        n = records.count
        metric = task.metric
        tokens = records.reduce(0) { $0 + $1.tokens }
        let seed = seed ^ Self.hash(row + "→" + column)
        if task == .translate {
            let chrF = ChrF(), chrFpp = ChrF(wordOrder: 2)
            let (v, i) = Self.corpus(records.map { $0.chrFStatistics ?? [] }, metric: chrF, seed: seed)
            value = v; interval = i
            let (vpp, ipp) = Self.corpus(records.map { $0.chrFPlusPlusStatistics ?? [] }, metric: chrFpp, seed: seed)
            chrFPlusPlus = vpp; chrFPlusPlusInterval = ipp
            let matches = records.compactMap(\.outputLanguageMatches)
            outputLanguageRate = matches.isEmpty ? nil : Double(matches.filter { $0 }.count) / Double(matches.count)
        } else {
            (value, interval) = Self.rate(records.map { $0.correct == true }, seed: seed)
            if task.isLogLikelihood {
                let (v, i) = Self.rate(records.map { $0.correctNormalized == true }, seed: seed)
                accNorm = v; accNormInterval = i
            } else {
                answeredRate = records.isEmpty ? nil : Double(records.filter { $0.extraction != "none" }.count) / Double(records.count)
            }
        }
    }

    static func rate(_ flags: [Bool], seed: UInt64) -> (Double, [Double]) {
        guard !flags.isEmpty else { return (.nan, [.nan, .nan]) }
        let ones = flags.map { $0 ? 1.0 : 0.0 }
        let mean = ones.reduce(0, +) / Double(ones.count)
        let ci = Bootstrap.interval(count: ones.count, using: SplitMix64(seed: seed)) { idx in idx.reduce(0) { $0 + ones[$1] } / Double(idx.count) }
        return (mean, ci.map { [$0.low, $0.high] } ?? [.nan, .nan])
    }

    /// Corpus chrF (statistics summed over items) and its bootstrap interval.
    static func corpus(_ statistics: [[Int]], metric: ChrF, seed: UInt64) -> (Double, [Double]) {
        let width = statistics.map(\.count).max() ?? 0
        guard !statistics.isEmpty, width > 0 else { return (.nan, [.nan, .nan]) }
        func summed(_ indices: [Int]) -> [Int] {
            var total = [Int](repeating: 0, count: width)
            for i in indices { for (k, x) in statistics[i].enumerated() { total[k] += x } }
            return total
        }
        let value = metric.fScore(summed(Array(statistics.indices)))
        let ci = Bootstrap.interval(count: statistics.count, using: SplitMix64(seed: seed)) { metric.fScore(summed($0)) }
        return (value, ci.map { [$0.low, $0.high] } ?? [.nan, .nan])
    }

    /// A cell's own resampling stream, the same on every run.
    static func hash(_ text: String) -> UInt64 {
        var f = Fingerprint()
        f.add(text)
        return f.value
    }
}
