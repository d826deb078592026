/// The tokenised evaluation texts of one language (a column of the grid).
///
/// ```swift
/// let set = EvaluationSet(language: "zh", texts: texts.map { model.tokenizer.encode($0) })
/// ```
public struct EvaluationSet: Sendable, Equatable {
    public var language: String
    public var texts: [[Int]]

    public init(language: String, texts: [[Int]]) { self.language = language; self.texts = texts }

    /// Keeps at most `limit` texts and `maxTokens` tokens per text (the original truncates at 4096).
    public func limited(texts limit: Int?, maxTokens: Int?) -> EvaluationSet {
        var kept = limit.map { Array(texts.prefix(max(0, $0))) } ?? texts
        if let maxTokens { kept = kept.map { Array($0.prefix(maxTokens)) } }
        return EvaluationSet(language: language, texts: kept)
    }

    public var tokenCount: Int { texts.reduce(0) { $0 + $1.count } }
}

/// 64-bit FNV-1a, to fingerprint the inputs of a grid (texts, masks, settings) for its checkpoint.
public struct Fingerprint: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ x: Int) {
        var v = UInt64(bitPattern: Int64(x))
        for _ in 0..<8 { value ^= v & 0xff; value &*= 0x100_0000_01b3; v >>= 8 }
    }

    public mutating func add(_ s: String) {
        add(s.utf8.count)
        for b in s.utf8 { value ^= UInt64(b); value &*= 0x100_0000_01b3 }
    }

    public var hex: String { String(value, radix: 16) }
}
