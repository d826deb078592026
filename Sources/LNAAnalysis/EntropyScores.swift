import Foundation

/// The λ-independent part of the NJUNLP score of every neuron (METHODS §1.7): the normalised entropy `e` of its
/// language distribution and its peak probability, so that `score(λ) = e − λ · max_k p / norm_max` costs one
/// multiply-add per neuron for each λ.
///
/// The float32 steps follow the original: sum, normalise, clamp at 1e-12, renormalise, `−Σ q·ln(q+1e-30)`, all
/// in float32 with left-to-right sums; then float64 for `/ ln K` and the λ term; the score is stored as float32.
///
/// ```swift
/// let base = EntropyScores(probabilities: p)
/// let scores = base.scores(lambda: 0.1)   // [Float], one per neuron (ℓ·width + j)
/// ```
public struct EntropyScores: Sendable {
    /// Normalised entropy per neuron, in [0, 1].
    public let entropy: [Double]
    /// Largest probability over languages per neuron (a float32 value widened to Double).
    public let maxProbability: [Double]
    /// `H_K / K` (harmonic number over K): the largest expected peak, which puts λ on the entropy's scale.
    public let normMax: Double

    public init(probabilities p: ActivationProbabilities) {
        let k = p.languageCount, n = p.neuronCount
        var entropy = [Double](repeating: 0, count: n)
        var peaks = [Double](repeating: 0, count: n)
        let logK = Foundation.log(Double(k))
        let uniform = Float(1.0 / Double(k))
        let clamp: Float = 1e-12, tiny: Float = 1e-30
        p.values.withUnsafeBufferPointer { v in
            var q = [Float](repeating: 0, count: k)
            for neuron in 0..<n {
                let row = neuron * k
                var sum: Float = 0, peak = v[row]
                for i in 0..<k { sum += v[row + i]; peak = max(peak, v[row + i]) }
                if sum <= 0 {
                    for i in 0..<k { q[i] = uniform }
                } else {
                    for i in 0..<k { q[i] = v[row + i] / sum }
                }
                var clampedSum: Float = 0
                for i in 0..<k { q[i] = max(q[i], clamp); clampedSum += q[i] }
                var h: Float = 0
                for i in 0..<k {
                    let x = q[i] / clampedSum
                    h += x * Foundation.log(x + tiny)
                }
                entropy[neuron] = Double(-h) / logK
                peaks[neuron] = Double(peak)
            }
        }
        self.entropy = entropy
        self.maxProbability = peaks
        self.normMax = Self.normMax(languageCount: k)
    }

    /// `(Σ_{m=1..K} 1/m) / K`, summed in the original's order (0.2928968253968254 for K = 10).
    public static func normMax(languageCount k: Int) -> Double {
        var h = 0.0
        for m in 1...max(k, 1) { h += 1 / Double(m) }
        return h / Double(k)
    }

    /// Scores at this λ: `Float(e − (max·λ) / norm_max)`, lower is more language-selective.
    public func scores(lambda: Double) -> [Float] {
        var out = [Float](repeating: 0, count: entropy.count)
        for i in entropy.indices {
            out[i] = Float(entropy[i] - maxProbability[i] * lambda / normMax)
        }
        return out
    }
}

/// Tang et al.'s LAPE score (METHODS §2.4): the un-normalised entropy (nats) of each neuron's language
/// distribution, with neurons that are not above the filter threshold in any language set to +∞.
///
/// ```swift
/// let scores = LAPEScores.scores(probabilities: p, filterThreshold: 0.3)
/// ```
public enum LAPEScores {
    public static func scores(probabilities p: ActivationProbabilities, filterThreshold: Float) -> [Float] {
        let k = p.languageCount, n = p.neuronCount
        var out = [Float](repeating: 0, count: n)
        p.values.withUnsafeBufferPointer { v in
            for neuron in 0..<n {
                let row = neuron * k
                var sum: Float = 0, passes = false
                for i in 0..<k { sum += v[row + i]; if v[row + i] > filterThreshold { passes = true } }
                guard passes else { out[neuron] = .infinity; continue }
                var h: Float = 0
                for i in 0..<k {
                    let q = v[row + i] / sum
                    h += q > 0 ? q * Foundation.log(q) : 0
                }
                out[neuron] = -h
            }
        }
        return out
    }
}
