import Foundation

/// log Σ_i e^{row[i]} of one row, computed in Double (for log-probabilities of whole continuations).
///
/// ```swift
/// let logProbability = Double(logits[token]) - logSumExp(logits, count: vocabulary)
/// ```
public func logSumExp(_ row: UnsafePointer<Float>, count: Int) -> Double {
    guard count > 0 else { return -.infinity }
    var maximum = -Float.infinity
    for i in 0..<count { maximum = max(maximum, row[i]) }
    if maximum == -.infinity { return -.infinity }
    let m = Double(maximum)
    var sum = 0.0
    for i in 0..<count { sum += Foundation.exp(Double(row[i]) - m) }
    return m + Foundation.log(sum)
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
    var best = 0
    var bestValue = -Float.infinity
    for i in 0..<count where row[i] > bestValue {
        best = i
        bestValue = row[i]
    }
    return best
}
