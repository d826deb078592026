/// Which slice of a job this process does: shard `index` of `count` (0-based, as `$SLURM_ARRAY_TASK_ID`).
///
/// Recording, perplexity grids and steering grids cut their work the same way: `count` contiguous slices of
/// the `n` units in order, slice `i` being `⌊i·n/count⌋ ..< ⌊(i+1)·n/count⌋`, and name a shard's output file
/// `<name>.shard-<i>-of-<count>.<ext>` so that `lna merge` can check it has every slice exactly once.
///
/// ```swift
/// let shard = try Shard(parsing: "2/8")   // index 2 of 8
/// shard.slice(of: 20)                     // 5..<7
/// shard.fileName("ppl", extension: "json") // "ppl.shard-2-of-8.json"
/// ```
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// More shards than this is a typo, not a cluster (a shard is at least one unit of work).
    public static let maxCount = 100_000

    /// An `i/n` that is not a shard; the message names the flag value and what was expected.
    public struct InvalidShard: Error, CustomStringConvertible, Sendable, Equatable {
        public let description: String
    }

    public init(index: Int, count: Int) throws {
        guard count <= Self.maxCount else {
            throw InvalidShard(description: "--shard \(index)/\(count): at most \(Self.maxCount) shards")
        }
        guard count >= 1, (0..<count).contains(index) else {
            throw InvalidShard(description: "--shard \(index)/\(count): expected i/n with 0 ≤ i < n (0-based, as $SLURM_ARRAY_TASK_ID)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `i/n`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw InvalidShard(description: "--shard \(text): expected i/n, e.g. 0/4")
        }
        try self.init(index: i, count: n)
    }

    public static let whole = try! Shard(index: 0, count: 1)

    public var description: String { "\(index)/\(count)" }

    /// The units `⌊i·n/count⌋ ..< ⌊(i+1)·n/count⌋` of `n` (in order; the slices of all shards partition `0..<n`).
    /// Products stay far from overflow: `count` ≤ 100 000 and `n` counts units of work held in memory.
    public func slice(of n: Int) -> Range<Int> {
        (index * n / count)..<((index + 1) * n / count)
    }

    /// `<name>.shard-<i>-of-<count>.<ext>`, or `<name>.<ext>` for the whole job.
    public func fileName(_ name: String, extension ext: String) -> String {
        count == 1 ? "\(name).\(ext)" : "\(name).shard-\(index)-of-\(count).\(ext)"
    }
}
