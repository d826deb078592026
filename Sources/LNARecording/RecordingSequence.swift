/// One token sequence of a recording and which statistics its rows feed.
///
/// Plain texts count every row in the full statistics. For instruction+response data, one pass gives the
/// full text with `prefixRows` = the instruction's own token count: under causal attention those rows are
/// exactly the instruction's positions, so they also go to the `prefix_*` statistics. A sequence with
/// `countsAsFull == false` feeds only the prefix statistics (the instruction run alone: two-pass mode, or a
/// text whose instruction/response boundary merged into one token).
///
/// ```swift
/// let s = RecordingSequence(tokens: [2, 651, 6037, 1234], prefixRows: 3)   // rows 0–2 are the instruction
/// ```
public struct RecordingSequence: Sendable, Hashable {
    public var tokens: [Int]
    public var countsAsFull: Bool
    /// The first `prefixRows` rows also count in the prefix statistics (`≤ tokens.count`).
    public var prefixRows: Int

    public init(tokens: [Int], countsAsFull: Bool = true, prefixRows: Int = 0) {
        self.tokens = tokens
        self.countsAsFull = countsAsFull
        self.prefixRows = min(prefixRows, tokens.count)
    }
}

/// The sequences of one language, ready to record, with what happened while preparing them.
///
/// ```swift
/// let input = RecordingInput.texts(["Hello.", "Bonjour."], maxLength: 4096) { model.tokenizer.encode($0) }
/// input.sequences.count   // 2
/// ```
public struct RecordingInput: Sendable {
    public var sequences: [RecordingSequence]
    /// Source texts (full texts for instruction data).
    public var textCount: Int
    /// Sequences cut at `maxLength` tokens.
    public var truncated: Int
    /// Instruction+response texts whose tokenisation merged across the boundary (the instruction's tokens
    /// are not a prefix of the full text's tokens); their prefix statistics come from the instruction alone.
    public var boundaryMerged: Int
    /// Whether `prefix_*` statistics are recorded.
    public var hasPrefix: Bool

    public init(sequences: [RecordingSequence], textCount: Int, truncated: Int = 0, boundaryMerged: Int = 0,
                hasPrefix: Bool) {
        self.sequences = sequences
        self.textCount = textCount
        self.truncated = truncated
        self.boundaryMerged = boundaryMerged
        self.hasPrefix = hasPrefix
    }

    /// Total tokens over all sequences.
    public var tokenCount: Int { sequences.reduce(0) { $0 + $1.tokens.count } }

    /// Plain texts: each text is its own sequence (BOS as `encode` adds it), cut at `maxLength`. Empty
    /// encodings are skipped.
    public static func texts(_ texts: [String], maxLength: Int, encode: (String) -> [Int]) -> RecordingInput {
        tokenSequences(texts.map(encode), maxLength: maxLength)
    }

    /// Already tokenised sequences (tests, or callers with their own tokenizer).
    public static func tokenSequences(_ sequences: [[Int]], maxLength: Int) -> RecordingInput {
        var truncated = 0
        let kept = sequences.filter { !$0.isEmpty }.map { tokens -> RecordingSequence in
            if tokens.count > maxLength { truncated += 1 }
            return RecordingSequence(tokens: Array(tokens.prefix(maxLength)))
        }
        return RecordingInput(sequences: kept, textCount: kept.count, truncated: truncated, hasPrefix: false)
    }

    /// Instruction+response pairs, NJUNLP style: full text = `instruction + response`, prefix = the
    /// instruction; empty strings are dropped from each list independently, as the original does.
    ///
    /// - Parameter twoPass: record the instruction as its own sequence (the original's separate prefix run)
    ///   instead of reading its rows from the full text.
    public static func instructionPairs(_ pairs: [(instruction: String, response: String)], maxLength: Int,
                                        twoPass: Bool = false, encode: (String) -> [Int]) -> RecordingInput {
        var sequences: [RecordingSequence] = []
        var truncated = 0, merged = 0, texts = 0
        for (instruction, response) in pairs {
            let fullText = instruction + response
            let full = fullText.isEmpty ? [] : encode(fullText)
            let prefix = instruction.isEmpty ? [] : encode(instruction)
            if !full.isEmpty { texts += 1 }
            if full.count > maxLength { truncated += 1 }
            if prefix.count > maxLength { truncated += 1 }
            let fullTokens = Array(full.prefix(maxLength)), prefixTokens = Array(prefix.prefix(maxLength))
            // One pass is exact only when the instruction's tokens are the full text's first tokens.
            let sharesPrefix = !fullTokens.isEmpty && !prefixTokens.isEmpty
                && fullTokens.count >= prefixTokens.count && fullTokens.starts(with: prefixTokens)
            if !prefixTokens.isEmpty && !fullTokens.isEmpty && !sharesPrefix { merged += 1 }
            if twoPass || !sharesPrefix {
                if !fullTokens.isEmpty { sequences.append(RecordingSequence(tokens: fullTokens)) }
                if !prefixTokens.isEmpty {
                    sequences.append(RecordingSequence(tokens: prefixTokens, countsAsFull: false,
                                                       prefixRows: prefixTokens.count))
                }
            } else {
                sequences.append(RecordingSequence(tokens: fullTokens, prefixRows: prefixTokens.count))
            }
        }
        return RecordingInput(sequences: sequences, textCount: texts, truncated: truncated, boundaryMerged: merged,
                              hasPrefix: true)
    }
}
