import LNAFiles

/// How the sequences of a run are packed into forward calls, and which calls a shard does.
///
/// Packing is decided once over the whole input (greedily, in order, up to `batchTokens` rows per call), and
/// shards and checkpoints cut only between calls. Every sequence therefore meets exactly the same packed batch
/// whether the run is whole, sharded or resumed, which is what makes merged and resumed statistics equal an
/// uninterrupted run bit for bit.
///
/// ```swift
/// let plan = RecordingPlan(sequences: input.sequences, batchTokens: 2048, shard: .whole)
/// plan.batches.count
/// ```
public struct RecordingPlan: Sendable {
    /// Sequence index ranges of every batch of the whole run.
    public let batches: [Range<Int>]
    /// The batches this shard does (indices into `batches`).
    public let shardBatches: Range<Int>

    public init(sequences: [RecordingSequence], batchTokens: Int, shard: Shard) {
        var batches: [Range<Int>] = []
        var start = 0, rows = 0
        for (i, s) in sequences.enumerated() {
            if i > start && rows + s.tokens.count > batchTokens {
                batches.append(start..<i)
                start = i
                rows = 0
            }
            rows += s.tokens.count
        }
        if start < sequences.count { batches.append(start..<sequences.count) }
        self.batches = batches
        let n = batches.count
        shardBatches = shard.slice(of: n)
    }
}
