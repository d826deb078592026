import Foundation
import LNATensor

/// Attention with linear biases (Press et al. 2022; BLOOM): no position enters q or k; instead head h adds
/// `slope_h · (key position − query position)` to its scaled scores. transformers' BLOOM adds `slope_h · key
/// position`, which differs by a constant per query row and so gives the same softmax.
///
/// ```swift
/// ALiBi.slopes(heads: 4)   // [0.25, 0.0625, 0.015625, 0.00390625]
/// ```
enum ALiBi {
    /// The slope of every head: the geometric sequence 2^(−8/n)… for the largest power of two n ≤ heads, then
    /// every other term of the sequence for 2n (BLOOM's `_get_alibi_slopes`, in float32).
    static func slopes(heads: Int) -> [Float] {
        let power = 1 << Int(floor(log2(Double(heads))))
        let base = Float(pow(2.0, -pow(2.0, -(log2(Double(power)) - 3))))
        var slopes = (1...power).map { Self.power(base, $0) }
        if power != heads {
            let extraBase = Float(pow(2.0, -pow(2.0, -(log2(Double(2 * power)) - 3))))
            let remaining = min(power, heads - power)
            slopes += stride(from: 1, to: 1 + 2 * remaining, by: 2).map { Self.power(extraBase, $0) }
        }
        return slopes
    }

    /// base^n in float32, as `torch.pow` of a float32 base and an int exponent.
    private static func power(_ base: Float, _ n: Int) -> Float { Foundation.pow(base, Float(n)) }

    /// Causal grouped-query attention with ALiBi biases; the layouts, masks and pattern observer are those of
    /// `causalAttention` (queries see keys of their own sequence at positions ≤ theirs). Plain loops, heads in
    /// parallel: the ALiBi models lna runs are small.
    static func attention(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                          queries: Int, keys: Int, queryHeads: Int, keyValueHeads: Int, headDimension hd: Int,
                          queryPositions: [Int], keyPositions: [Int], querySequenceIds: [Int]?, keySequenceIds: [Int]?,
                          slopes: [Float], scale: Float, output: UnsafeMutablePointer<Float>,
                          observer: AttentionPatternObserver?) {
        let group = queryHeads / keyValueHeads
        let qWidth = queryHeads * hd, kvWidth = keyValueHeads * hd
        let pattern = observer.map { _ in UnsafeMutableBufferPointer<Float>.allocate(capacity: queryHeads * queries * keys) }
        defer { pattern?.deallocate() }
        pattern?.initialize(repeating: 0)
        ComputePool.shared.parallelFor(count: queryHeads) { h in
            let kvh = h / group, slope = slopes[h]
            var scores = [Float](repeating: 0, count: keys)
            for t in 0..<queries {
                let qRow = q + t * qWidth + h * hd, position = queryPositions[t]
                var top = -Float.infinity
                for s in 0..<keys {
                    let visible = keyPositions[s] <= position
                        && (querySequenceIds == nil || querySequenceIds![t] == keySequenceIds![s])
                    guard visible else { scores[s] = -.infinity; continue }
                    let kRow = k + s * kvWidth + kvh * hd
                    var dot: Float = 0
                    for i in 0..<hd { dot += qRow[i] * kRow[i] }
                    scores[s] = dot * scale + slope * Float(keyPositions[s] - position)
                    top = max(top, scores[s])
                }
                var total: Float = 0
                for s in 0..<keys {
                    scores[s] = scores[s] == -.infinity ? 0 : Foundation.exp(scores[s] - top)
                    total += scores[s]
                }
                let out = output + t * qWidth + h * hd
                for i in 0..<hd { out[i] = 0 }
                for s in 0..<keys where scores[s] != 0 {
                    let weight = scores[s] / total
                    if let pattern { pattern[(h * queries + t) * keys + s] = weight }
                    let vRow = v + s * kvWidth + kvh * hd
                    for i in 0..<hd { out[i] += weight * vRow[i] }
                }
            }
        }
        if let observer, let pattern {
            for h in 0..<queryHeads {
                observer(h, UnsafeBufferPointer(rebasing: pattern[(h * queries * keys)..<((h + 1) * queries * keys)]))
            }
        }
    }
}
