import Foundation
import CLNAKernels

// Row kernels of scoring over a vocabulary: log-sum-exp and argmax, 16 floats at a time. Exponentials are
// float (`vectorExp`, ≤ 2 ulp), each converted to Double before it is added, so log Σ e^x is accurate to
// ~1e-7 (absolute, i.e. relative to the sum) on rows of any length.

/// log Σ_i e^{row[i]} of one row (−∞ for an empty or all −∞ row; NaN if the row holds a NaN or +∞).
///
/// ```swift
/// let logProbability = Double(logits[token]) - logSumExp(logits, count: vocabulary)
/// ```
public func logSumExp(_ row: UnsafePointer<Float>, count: Int) -> Double {
    logSumExpAndArgmax(row, count: count).logSumExp
}

/// log Σ e^x and the index of the largest value of a row in two passes (max, then the exponentials).
///
/// The argmax is the first index of the largest value; NaN never wins (see `maximumAndArgmax`). An empty row
/// gives (−∞, 0).
///
/// ```swift
/// let (lse, best) = logSumExpAndArgmax(logits, count: vocabulary)
/// let nll = lse - Double(logits[next])
/// ```
public func logSumExpAndArgmax(_ row: UnsafePointer<Float>, count: Int) -> (logSumExp: Double, argmax: Int) {
    guard count > 0 else { return (-.infinity, 0) }
    let (top, best) = maximumAndArgmax(row, count: count)
    if top == -.infinity {
        // No finite value: all −∞ (or NaN, which must propagate).
        return (UnsafeBufferPointer(start: row, count: count).contains { $0.isNaN } ? .nan : -.infinity, best)
    }
    if top == .infinity { return (.nan, best) }
    return (Double(top) + Foundation.log(sumOfExponentials(row, count: count, shift: top)), best)
}

/// Log-softmax of one row in Double: `out[i] = row[i] − logSumExp(row)`.
///
/// ```swift
/// var logProbabilities = [Double](repeating: 0, count: vocabulary)
/// logSoftmax(logits, count: vocabulary, into: &logProbabilities)
/// ```
public func logSoftmax(_ row: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Double>) {
    let normaliser = logSumExp(row, count: count)
    for i in 0..<count { out[i] = Double(row[i]) - normaliser }
}

/// Index of the largest value of a row (the first one on ties; NaN never wins); 0 for an empty row.
///
/// ```swift
/// let next = argmax(logits, count: vocabulary)   // greedy decoding
/// ```
public func argmax(_ row: UnsafePointer<Float>, count: Int) -> Int {
    maximumAndArgmax(row, count: count).index
}

/// The largest value of a row and its first index, 16 lanes at a time. NaN never wins; a row with no value
/// above −∞ (empty, all −∞ or all NaN) gives (−∞, 0).
///
/// Each lane keeps its first strictly larger value, so across lanes the smallest index among the lanes holding
/// the maximum is the first occurrence in the row.
///
/// ```swift
/// let (top, best) = maximumAndArgmax(logits, count: vocabulary)
/// ```
public func maximumAndArgmax(_ row: UnsafePointer<Float>, count: Int) -> (value: Float, index: Int) {
    var bestValue = -Float.infinity, bestIndex = 0
    var i = 0
    if count >= 16 && count <= Int(Int32.max) {
        let raw = UnsafeRawPointer(row)
        var laneBest = SIMD16<Float>(repeating: -.infinity)
        var laneIndex = SIMD16<Int32>(repeating: 0)
        var index = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let step = SIMD16<Int32>(repeating: 16)
        while i + 16 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            let larger = v .> laneBest
            laneBest.replace(with: v, where: larger)
            laneIndex.replace(with: index, where: larger)
            index &+= step
            i &+= 16
        }
        let top = laneBest.max()
        if top > -.infinity {
            bestValue = top
            bestIndex = Int.max
            for lane in 0..<16 where laneBest[lane] == top { bestIndex = min(bestIndex, Int(laneIndex[lane])) }
        }
    }
    while i < count {
        if row[i] > bestValue { bestValue = row[i]; bestIndex = i }
        i += 1
    }
    return (bestValue, bestIndex)
}

/// Σ_i e^(row[i] − shift) in Double over `count` floats, the exponentials in float (`vectorExp`).
///
/// Each exponential is within 2 ulp (1.2e-7 relative); the terms are converted to Double before they are
/// added, so the sum keeps that relative accuracy at any length. With `shift` = the row's maximum every term is
/// ≤ 1. Lanes below −87.3 after the shift (and −∞ entries) contribute 0.
///
/// ```swift
/// let lse = Double(top) + log(sumOfExponentials(logits, count: vocabulary, shift: top))
/// ```
public func sumOfExponentials(_ row: UnsafePointer<Float>, count: Int, shift: Float) -> Double {
    lna_sum_exp(row, count, shift)
}
