import CLNAKernels

/// Numerically stable softmax of each row in place: `x ← e^{x − max} / Σ e^{x − max}`; `-infinity` entries
/// become exactly 0. `x` is row-major `[rows, dimension]`.
///
/// ```swift
/// softmax(scores, rows: queries, dimension: keys)
/// ```
public func softmax(_ x: UnsafeMutablePointer<Float>, rows: Int, dimension: Int) {
    forEachChunk(count: rows, parallelAbove: max(1, (1 << 15) / max(1, dimension))) { range in
        for r in range { softmaxRow(x + r * dimension, count: dimension) }
    }
}

/// Softmax of one row in place (the attention kernel's inner step): `softmax_row` of the active kernel set.
@inline(__always)
func softmaxRow(_ x: UnsafeMutablePointer<Float>, count: Int) {
    lna_softmax_row(x, count)
}
