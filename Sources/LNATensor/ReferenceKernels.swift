import Foundation

// Naive plain-loop kernels: the oracles the tests compare the fast kernels against. Written for clarity, in
// Double where a sum is involved, never for speed.

/// Naive `y[r, o] = Σ_i x[r, i]·w[o, i] (+ b[o])` with Double accumulation; `x` is `[rows, inputs]`,
/// `w` is `[outputs, inputs]`, the result `[rows, outputs]`.
///
/// ```swift
/// let y = referenceLinear(x: x, rows: 2, weight: w, outputs: 3, inputs: 4, bias: nil)
/// ```
public func referenceLinear(x: [Float], rows: Int, weight: [Float], outputs: Int, inputs: Int, bias: [Float]?) -> [Float] {
    var y = [Float](repeating: 0, count: rows * outputs)
    for r in 0..<rows {
        for o in 0..<outputs {
            var sum = Double(bias?[o] ?? 0)
            for i in 0..<inputs { sum += Double(x[r * inputs + i]) * Double(weight[o * inputs + i]) }
            y[r * outputs + o] = Float(sum)
        }
    }
    return y
}

/// The float64 sums of a linear layer and the magnitudes its error bounds scale with: `sum[r, o] = Σ_i x·w (+ b)`
/// and `magnitude[r, o] = Σ_i |x·w| (+ |b|)`, with `x` and `w` rounded to bfloat16 first when `roundedToBF16`
/// (the operands bf16 arithmetic multiplies; see `BF16ArithmeticLinear.errorBound`).
///
/// ```swift
/// let (exact, magnitude) = referenceLinearSums(x: x, rows: 2, weight: w, outputs: 3, inputs: 4, bias: nil)
/// ```
public func referenceLinearSums(x: [Float], rows: Int, weight: [Float], outputs: Int, inputs: Int, bias: [Float]?,
                                roundedToBF16: Bool = false) -> (sum: [Double], magnitude: [Double]) {
    let round: (Float) -> Double = { roundedToBF16 ? Double(Float(bitPattern: UInt32(bfloat16RoundedBits($0)) << 16)) : Double($0) }
    let xs = x.map(round), ws = weight.map(round)
    var sum = [Double](repeating: 0, count: rows * outputs), magnitude = sum
    for r in 0..<rows {
        for o in 0..<outputs {
            var s = Double(bias?[o] ?? 0), m = abs(s)
            for i in 0..<inputs {
                let product = xs[r * inputs + i] * ws[o * inputs + i]
                s += product
                m += abs(product)
            }
            sum[r * outputs + o] = s
            magnitude[r * outputs + o] = m
        }
    }
    return (sum, magnitude)
}

/// Naive RMS norm of each row of `[rows, dimension]` in Double: `x / sqrt(mean(x²) + eps) · w`.
///
/// ```swift
/// let y = referenceRMSNorm(x, rows: 2, dimension: 4, weight: gain, epsilon: 1e-6)
/// ```
public func referenceRMSNorm(_ x: [Float], rows: Int, dimension: Int, weight: [Float]?, epsilon: Float) -> [Float] {
    var y = x
    for r in 0..<rows {
        var sum = 0.0
        for i in 0..<dimension { sum += Double(x[r * dimension + i]) * Double(x[r * dimension + i]) }
        let inverse = 1 / (sum / Double(dimension) + Double(epsilon)).squareRoot()
        for i in 0..<dimension {
            y[r * dimension + i] = Float(Double(x[r * dimension + i]) * inverse * Double(weight?[i] ?? 1))
        }
    }
    return y
}

/// Naive SiLU `x / (1 + e^{−x})` in Double.
///
/// ```swift
/// let y = referenceSilu([-1, 0, 1])
/// ```
public func referenceSilu(_ x: [Float]) -> [Float] {
    x.map { v in Float(Double(v) / (1 + Foundation.exp(-Double(v)))) }
}

/// Naive GELU tanh approximation `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` in Double.
///
/// ```swift
/// let y = referenceGeluTanh([-1, 0, 1])
/// ```
public func referenceGeluTanh(_ x: [Float]) -> [Float] {
    x.map { v in
        let d = Double(v)
        return Float(0.5 * d * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d))))
    }
}

/// Naive softmax of each row of `[rows, dimension]` in Double (all-−∞ rows give zeros).
///
/// ```swift
/// let p = referenceSoftmax([1, 2, 3], rows: 1, dimension: 3)
/// ```
public func referenceSoftmax(_ x: [Float], rows: Int, dimension: Int) -> [Float] {
    var y = x
    for r in 0..<rows {
        let row = x[(r * dimension)..<((r + 1) * dimension)].map(Double.init)
        let maximum = row.max() ?? 0
        if maximum == -.infinity {
            for i in 0..<dimension { y[r * dimension + i] = 0 }
            continue
        }
        let exps = row.map { Foundation.exp($0 - maximum) }
        let total = exps.reduce(0, +)
        for i in 0..<dimension { y[r * dimension + i] = Float(exps[i] / total) }
    }
    return y
}

/// Naive RoPE of `[tokens, heads, headDimension]`, angles `position · base^(−2i/rotary)` in Double.
///
/// ```swift
/// let y = referenceRoPE(x, tokens: 3, heads: 2, headDimension: 8, positions: [0, 1, 2], base: 10_000, style: .neox)
/// ```
public func referenceRoPE(_ x: [Float], tokens: Int, heads: Int, headDimension: Int, positions: [Int], base: Double,
                          style: RotaryEmbedding.Style, rotaryDimension: Int? = nil) -> [Float] {
    let rotary = rotaryDimension ?? headDimension
    let half = rotary / 2
    var y = x
    for t in 0..<tokens {
        for h in 0..<heads {
            let offset = (t * heads + h) * headDimension
            for i in 0..<half {
                let angle = Double(positions[t]) * Foundation.pow(base, -2 * Double(i) / Double(rotary))
                let (first, second) = style == .neox ? (i, i + half) : (2 * i, 2 * i + 1)
                let a = Double(x[offset + first]), b = Double(x[offset + second])
                y[offset + first] = Float(a * Foundation.cos(angle) - b * Foundation.sin(angle))
                y[offset + second] = Float(b * Foundation.cos(angle) + a * Foundation.sin(angle))
            }
        }
    }
    return y
}

/// Naive masked GQA attention in Double (see `causalAttention` for layouts and mask); returns the output
/// `[queries, queryHeads, headDimension]` and the patterns `[queryHeads, queries, keys]`.
///
/// ```swift
/// let (out, pattern) = referenceAttention(q: q, k: k, v: v, queries: 4, keys: 4, queryHeads: 2, keyValueHeads: 1,
///     headDimension: 8, queryPositions: [0, 1, 2, 3], keyPositions: [0, 1, 2, 3], scale: 0.35)
/// ```
public func referenceAttention(q: [Float], k: [Float], v: [Float], queries: Int, keys: Int, queryHeads: Int,
                               keyValueHeads: Int, headDimension d: Int, queryPositions: [Int], keyPositions: [Int],
                               querySequenceIds: [Int]? = nil, keySequenceIds: [Int]? = nil, scale: Float,
                               window: Int? = nil, softcap: Float? = nil) -> (output: [Float], pattern: [Float]) {
    var output = [Float](repeating: 0, count: queries * queryHeads * d)
    var pattern = [Float](repeating: 0, count: queryHeads * queries * keys)
    let group = queryHeads / keyValueHeads
    for t in 0..<queries {
        for h in 0..<queryHeads {
            let kvHead = h / group
            var scores = [Double](repeating: -.infinity, count: keys)
            for j in 0..<keys {
                var visible = keyPositions[j] <= queryPositions[t]
                if let window, keyPositions[j] <= queryPositions[t] - window { visible = false }
                if let qs = querySequenceIds, let ks = keySequenceIds, qs[t] != ks[j] { visible = false }
                if !visible { continue }
                var dot = 0.0
                for i in 0..<d { dot += Double(q[(t * queryHeads + h) * d + i]) * Double(k[(j * keyValueHeads + kvHead) * d + i]) }
                var score = dot * Double(scale)
                if let softcap { score = Double(softcap) * Foundation.tanh(score / Double(softcap)) }
                scores[j] = score
            }
            guard let maximum = scores.max(), maximum > -.infinity else { continue }
            let exps = scores.map { $0 == -.infinity ? 0 : Foundation.exp($0 - maximum) }
            let total = exps.reduce(0, +)
            for j in 0..<keys {
                let p = exps[j] / total
                pattern[(h * queries + t) * keys + j] = Float(p)
                for i in 0..<d { output[(t * queryHeads + h) * d + i] += Float(p * Double(v[(j * keyValueHeads + kvHead) * d + i])) }
            }
        }
    }
    return (output, pattern)
}

/// Naive per-column count of values `> 0` in `[rows, columns]`.
///
/// ```swift
/// let counts = referencePositiveCounts([1, -1, 0, 2], rows: 2, columns: 2)   // [1, 1]
/// ```
public func referencePositiveCounts(_ values: [Float], rows: Int, columns: Int) -> [Int64] {
    var counts = [Int64](repeating: 0, count: columns)
    for r in 0..<rows { for c in 0..<columns where values[r * columns + c] > 0 { counts[c] += 1 } }
    return counts
}

/// Naive per-column sum (Double) of `[rows, columns]`.
///
/// ```swift
/// let sums = referenceColumnSums([1, 2, 3, 4], rows: 2, columns: 2)   // [4, 6]
/// ```
public func referenceColumnSums(_ values: [Float], rows: Int, columns: Int) -> [Double] {
    var sums = [Double](repeating: 0, count: columns)
    for r in 0..<rows { for c in 0..<columns { sums[c] += Double(values[r * columns + c]) } }
    return sums
}
