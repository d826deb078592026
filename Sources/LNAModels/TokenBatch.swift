/// One or more token sequences evaluated in one forward call. Sequences are packed row after row; each row
/// attends only to earlier rows of its own sequence (block-diagonal causal attention), so a packed batch gives
/// the same values as running the sequences one by one.
///
/// ```swift
/// let batch = TokenBatch([[2, 651, 6037], [2, 9259]])
/// ```
public struct TokenBatch: Sendable {
    public var sequences: [[Int]]
    /// Position of each sequence's first token (non-zero when continuing a KV cache).
    public var startPositions: [Int]

    public init(_ sequences: [[Int]], startPositions: [Int]? = nil) {
        self.sequences = sequences
        self.startPositions = startPositions ?? Array(repeating: 0, count: sequences.count)
    }

    public init(_ tokens: [Int], startPosition: Int = 0) {
        self.init([tokens], startPositions: [startPosition])
    }

    /// Total rows of the packed batch.
    public var rowCount: Int { sequences.reduce(0) { $0 + $1.count } }

    /// Row ranges of each sequence within the packed batch.
    public var rowRanges: [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for s in sequences {
            ranges.append(start..<start + s.count)
            start += s.count
        }
        return ranges
    }

    var flatTokens: [Int] { sequences.flatMap { $0 } }

    var positions: [Int] {
        zip(sequences, startPositions).flatMap { tokens, start in (0..<tokens.count).map { start + $0 } }
    }

    var sequenceIndices: [Int] {
        sequences.enumerated().flatMap { index, tokens in Array(repeating: index, count: tokens.count) }
    }
}

/// Which logits a forward call computes. Logits are the expensive part for large vocabularies
/// (Gemma: 262,144), so activation recording asks for none.
public enum LogitsRequest {
    /// No LM head at all.
    case none
    /// The last row of every sequence: `[sequences, V]`.
    case lastOfEachSequence
    /// Every row: `[T, V]` (memory T·V floats).
    case all
    /// Every row, delivered in chunks of at most `chunkRows` rows, never all in memory at once.
    case stream(chunkRows: Int, (LogitsChunk) throws -> Void)
}

/// A chunk of logit rows of one forward call.
public struct LogitsChunk {
    /// Index of the first row within the packed batch.
    public let firstRow: Int
    public let rows: Int
    public let vocabularySize: Int
    /// `rows × vocabularySize` floats, valid during the callback.
    public let values: UnsafePointer<Float>

    public func row(_ r: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: values + r * vocabularySize, count: vocabularySize)
    }
}

/// What a forward call returns.
public struct ForwardResult {
    /// The logits asked for (`[sequences, V]` or `[T, V]`), empty for `.none` and `.stream`.
    public var logits: [Float]
    public var vocabularySize: Int
}
