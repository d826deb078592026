import Foundation
import LNATensor

/// How the next token is chosen from logits: greedy (temperature 0) or sampled with a seeded generator,
/// optionally with a repetition penalty (as in vLLM/HF: positive logits divided, negative multiplied).
///
/// ```swift
/// var sampler = Sampler(temperature: 0.8, seed: 42)
/// let next = sampler.next(logits: row, previous: ids)
/// ```
public struct Sampler: Sendable {
    public var temperature: Float
    public var topK: Int?
    public var repetitionPenalty: Float
    private var generator: SplitMix64

    public init(temperature: Float = 0, topK: Int? = nil, repetitionPenalty: Float = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.repetitionPenalty = repetitionPenalty
        self.generator = SplitMix64(seed: seed)
    }

    /// Picks a token from one row of logits; `previous` are the tokens the penalty applies to.
    public mutating func next(logits: UnsafeBufferPointer<Float>, previous: [Int]) -> Int {
        var adjusted = Array(logits)
        if repetitionPenalty != 1 {
            for id in Set(previous) where adjusted.indices.contains(id) {
                adjusted[id] = adjusted[id] > 0 ? adjusted[id] / repetitionPenalty : adjusted[id] * repetitionPenalty
            }
        }
        if temperature <= 0 { return Self.argmax(adjusted) }
        var order = Array(adjusted.indices)
        if let k = topK, k < order.count {
            order = Array(order.sorted { adjusted[$0] > adjusted[$1] }.prefix(k))
        }
        let top = order.map { adjusted[$0] }.max() ?? 0
        let weights = order.map { Foundation.exp(Double((adjusted[$0] - top) / temperature)) }
        let total = weights.reduce(0, +)
        var u = Double(generator.next() >> 11) / Double(1 << 53) * total
        for (i, w) in weights.enumerated() {
            u -= w
            if u <= 0 { return order[i] }
        }
        return order.last ?? 0
    }

    /// Index of the largest value; ties go to the lower index (as llama.cpp's golden files do).
    public static func argmax(_ values: [Float]) -> Int {
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }
}
