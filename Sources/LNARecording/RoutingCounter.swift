import LNAAnalysis
import LNAHooks

/// Counts how a mixture-of-experts model routes the rows of a recording (`RoutingCounts` of the full texts and of
/// the instruction prefixes), from the routing the forward computed (`HookSet.observeRouting`): per (layer,
/// expert) the tokens routed, per rank the top-k choice histogram, and the sum of the routing weights.
///
/// ```swift
/// let routing = RoutingCounter(layers: 2, experts: 8, topK: 2, recordsPrefix: false)
/// routing.attach(to: hooks)
/// routing.begin(batchSequences)
/// _ = try model.forward(TokenBatch(batchSequences.map(\.tokens)), hooks: hooks, logits: .none)
/// routing.full.tokens(layer: 0, expert: 3)
/// ```
public final class RoutingCounter {
    public private(set) var full: RoutingCounts
    public private(set) var prefix: RoutingCounts?
    /// Routings that did not fit the counts' shape or the batch (must stay 0).
    public private(set) var mismatched = 0
    private var isFull: [Bool] = []
    private var isPrefix: [Bool] = []

    public init(layers: Int, experts: Int, topK: Int, recordsPrefix: Bool) {
        full = RoutingCounts(layers: layers, experts: experts, topK: topK)
        prefix = recordsPrefix ? full : nil
    }

    /// Continues from saved counts (a checkpoint).
    public init(full: RoutingCounts, prefix: RoutingCounts?) {
        self.full = full
        self.prefix = prefix
    }

    public func attach(to hooks: HookSet) {
        hooks.observeRouting { [unowned self] choices in self.count(choices) }
    }

    /// Sets the row layout of the next forward call.
    public func begin(_ sequences: some Collection<RecordingSequence>) {
        let rows = BatchRows(sequences, recordsPrefix: prefix != nil)
        isFull = rows.flags(rows.full)
        isPrefix = rows.flags(rows.prefix)
    }

    private func count(_ choices: ExpertChoices) {
        guard choices.layer < full.layers, choices.experts == full.experts, choices.topK == full.topK,
              choices.rows == isFull.count else {
            mismatched += 1
            return
        }
        for row in 0..<choices.rows {
            if isFull[row] { Self.add(choices, row: row, into: &full) }
            if isPrefix[row] { Self.add(choices, row: row, into: &prefix!) }
        }
    }

    private static func add(_ choices: ExpertChoices, row: Int, into counts: inout RoutingCounts) {
        for rank in 0..<choices.topK {
            let expert = choices.expert(row: row, rank: rank)
            let cell = choices.layer * counts.experts + expert
            counts.counts[cell] += 1
            counts.rankCounts[cell * counts.topK + rank] += 1
            counts.weightSums[cell] += Double(choices.weight(row: row, rank: rank))
        }
    }
}
