/// Which rows of one forward call feed the full statistics and which the prefix statistics, from its packed
/// sequences (`RecordingSequence`): row ranges with touching ranges joined, so a dense counter makes one kernel
/// call per run of rows; per-row flags for counters that meet the rows in another order (routing, experts).
///
/// ```swift
/// let rows = BatchRows(batchSequences, recordsPrefix: true)
/// rows.full        // [0..<37, 52..<90]
/// rows.fullTokens  // 75
/// ```
struct BatchRows {
    private(set) var full: [Range<Int>] = []
    private(set) var prefix: [Range<Int>] = []
    /// Rows of the forward call.
    private(set) var count = 0

    init() {}

    init(_ sequences: some Collection<RecordingSequence>, recordsPrefix: Bool) {
        for s in sequences {
            if s.countsAsFull { Self.append(count..<count + s.tokens.count, to: &full) }
            if s.prefixRows > 0 && recordsPrefix { Self.append(count..<count + s.prefixRows, to: &prefix) }
            count += s.tokens.count
        }
    }

    var fullTokens: Int { full.reduce(0) { $0 + $1.count } }
    var prefixTokens: Int { prefix.reduce(0) { $0 + $1.count } }

    /// Per row of the call: whether it is in one of `runs`.
    func flags(_ runs: [Range<Int>]) -> [Bool] {
        var flags = [Bool](repeating: false, count: count)
        for run in runs { for row in run { flags[row] = true } }
        return flags
    }

    private static func append(_ range: Range<Int>, to runs: inout [Range<Int>]) {
        guard !range.isEmpty else { return }
        if let last = runs.last, last.upperBound == range.lowerBound {
            runs[runs.count - 1] = last.lowerBound..<range.upperBound
        } else {
            runs.append(range)
        }
    }
}
