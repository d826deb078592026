import Foundation
import COpenBLAS

/// The fast path's row kernels. Thin wrappers so the forward reads as math; the heavy products go to BLAS.
enum Kernels {
    /// In-place RMSNorm of `rows` rows of `gain.count` values: x / √(mean x² + ε) · gain.
    static func rmsNorm(_ x: inout [Float], rows: Int, gain: [Float], epsilon: Float) {
        let n = gain.count
        x.withUnsafeMutableBufferPointer { xs in
            gain.withUnsafeBufferPointer { g in
                for r in 0..<rows {
                    let row = xs.baseAddress! + r * n
                    var sum: Double = 0
                    for i in 0..<n { sum += Double(row[i]) * Double(row[i]) }
                    let scale = Float(1 / (sum / Double(n) + Double(epsilon)).squareRoot())
                    for i in 0..<n { row[i] = row[i] * scale * g[i] }
                }
            }
        }
    }

    /// Rotate-half RoPE on `[rows, heads, headDim]` with per-row positions and precomputed tables.
    static func rope(_ x: inout [Float], rows: Int, heads: Int, headDim: Int, positions: [Int],
                     cos: [Float], sin: [Float]) {
        let half = headDim / 2
        x.withUnsafeMutableBufferPointer { xs in
            for r in 0..<rows {
                let table = positions[r] * half
                for h in 0..<heads {
                    let v = xs.baseAddress! + (r * heads + h) * headDim
                    for i in 0..<half {
                        let a = v[i], b = v[i + half]
                        let c = cos[table + i], s = sin[table + i]
                        v[i] = a * c - b * s
                        v[i + half] = a * s + b * c
                    }
                }
            }
        }
    }

    static func silu(_ x: inout [Float]) {
        for i in x.indices { x[i] = x[i] / (1 + Foundation.exp(-x[i])) }
    }

    static func geluTanh(_ x: inout [Float]) {
        for i in x.indices {
            let v = x[i]
            x[i] = 0.5 * v * (1 + Foundation.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)))
        }
    }

    static func add(_ x: inout [Float], _ y: [Float]) {
        for i in x.indices { x[i] += y[i] }
    }

    static func multiply(_ x: inout [Float], _ y: [Float]) {
        for i in x.indices { x[i] *= y[i] }
    }

    /// Attention of the query rows `queryRows` (positions from `firstQueryPosition`) over `keyCount` keys
    /// starting at row `keyOffset` of `keys`/`values` (positions 0.. of the same sequence), writing `output`.
    static func attention(q: [Float], queryRows: Range<Int>, keys: [Float], values: [Float], keyOffset: Int,
                          keyCount: Int, firstQueryPosition: Int, config c: ModelConfig, window: Int?,
                          output: inout [Float], pattern: ((Int, [Float]) throws -> Void)?) throws {
        let tq = queryRows.count, d = c.headDim
        let qw = c.queryWidth, kw = c.kvWidth, group = c.headCount / c.kvHeadCount
        var scores = [Float](repeating: 0, count: tq * keyCount)
        let keyPositionOffset = firstQueryPosition + tq - keyCount   // position of key 0
        for h in 0..<c.headCount {
            let kvh = h / group
            q.withUnsafeBufferPointer { qs in
                keys.withUnsafeBufferPointer { ks in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(tq), Int32(keyCount), Int32(d),
                                c.attentionScale, qs.baseAddress! + queryRows.lowerBound * qw + h * d, Int32(qw),
                                ks.baseAddress! + keyOffset * kw + kvh * d, Int32(kw), 0, &scores, Int32(keyCount))
                }
            }
            for i in 0..<tq {
                let position = firstQueryPosition + i
                let row = i * keyCount
                var top = -Float.infinity
                for j in 0..<keyCount {
                    let keyPosition = keyPositionOffset + j
                    let visible = keyPosition <= position && (window.map { keyPosition > position - $0 } ?? true)
                    if !visible { scores[row + j] = -.infinity } else { top = max(top, scores[row + j]) }
                }
                var total: Float = 0
                for j in 0..<keyCount {
                    let e = scores[row + j] == -.infinity ? 0 : Foundation.exp(scores[row + j] - top)
                    scores[row + j] = e
                    total += e
                }
                let inverse = 1 / total
                for j in 0..<keyCount { scores[row + j] *= inverse }
            }
            if let pattern { try pattern(h, scores) }
            values.withUnsafeBufferPointer { vs in
                output.withUnsafeMutableBufferPointer { out in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(tq), Int32(d), Int32(keyCount), 1,
                                scores, Int32(keyCount), vs.baseAddress! + keyOffset * kw + kvh * d, Int32(kw), 0,
                                out.baseAddress! + queryRows.lowerBound * qw + h * d, Int32(qw))
                }
            }
        }
    }
}
