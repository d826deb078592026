/// Which slice of a run this process does: shard `index` of `count` (0-based, as `$SLURM_ARRAY_TASK_ID`).
///
/// ```swift
/// let shard = try Shard(parsing: "2/8")   // index 2 of 8
/// ```
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// More shards than this is a typo, not a cluster (a shard is at least one forward call).
    public static let maxCount = 100_000

    public init(index: Int, count: Int) throws {
        guard count <= Self.maxCount else {
            throw RecordingError.invalidSetting("--shard \(index)/\(count): at most \(Self.maxCount) shards")
        }
        guard count >= 1, (0..<count).contains(index) else {
            throw RecordingError.invalidSetting("--shard \(index)/\(count): expected i/n with 0 ≤ i < n (0-based, as $SLURM_ARRAY_TASK_ID)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `i/n`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw RecordingError.invalidSetting("--shard \(text): expected i/n, e.g. 0/4")
        }
        try self.init(index: i, count: n)
    }

    public static let whole = try! Shard(index: 0, count: 1)

    public var description: String { "\(index)/\(count)" }
}

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
        shardBatches = (shard.index * n / shard.count)..<((shard.index + 1) * n / shard.count)
    }
}
