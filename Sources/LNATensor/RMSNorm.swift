import CLNAKernels

/// RMS normalisation of each row: `y = x / sqrt(mean(x²) + epsilon) · weight`.
///
/// `x` and `y` are row-major `[rows, dimension]` (they may be the same buffer); `weight` has `dimension`
/// values or is nil (no gain). The gain is used as stored: Gemma GGUF files already hold `1 + w`. The mean of
/// squares is accumulated in float SIMD lanes over blocks of 256 values and summed in Double, so it is accurate
/// to double-ish precision for any practical dimension.
///
/// ```swift
/// rmsNorm(hidden, rows: tokens, dimension: 640, weight: gain, epsilon: 1e-6, into: normed)
/// ```
public func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, dimension: Int, weight: UnsafePointer<Float>?,
                    epsilon: Float, into y: UnsafeMutablePointer<Float>) {
    forEachChunk(count: rows, parallelAbove: max(1, (1 << 16) / max(1, dimension))) { range in
        for r in range {
            normaliseRow(x + r * dimension, dimension: dimension, weight: weight, epsilon: epsilon, into: y + r * dimension)
        }
    }
}

/// `rmsNorm` writing back into `x`.
///
/// ```swift
/// rmsNormInPlace(q, rows: tokens * heads, dimension: headDim, weight: qNorm, epsilon: 1e-6)   // per-head QK norm
/// ```
public func rmsNormInPlace(_ x: UnsafeMutablePointer<Float>, rows: Int, dimension: Int, weight: UnsafePointer<Float>?,
                           epsilon: Float) {
    rmsNorm(x, rows: rows, dimension: dimension, weight: weight, epsilon: epsilon, into: x)
}

@inline(__always)
private func normaliseRow(_ x: UnsafePointer<Float>, dimension: Int, weight: UnsafePointer<Float>?, epsilon: Float,
                          into y: UnsafeMutablePointer<Float>) {
    lna_rms_norm_row(x, dimension, weight, epsilon, y)
}
