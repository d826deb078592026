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
