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
    let raw = UnsafeRawPointer(x)
    var total = 0.0
    var i = 0
    while i < dimension {
        let end = min(dimension, i + 256)
        var lanes = SIMD16<Float>()
        while i + 16 <= end {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            lanes.addProduct(v, v)
            i += 16
        }
        var block = Double(lanes.sum())
        while i < end { block += Double(x[i]) * Double(x[i]); i += 1 }
        total += block
    }
    let inverse = Float(1 / (total / Double(dimension) + Double(epsilon)).squareRoot())
    let scale = SIMD16<Float>(repeating: inverse)
    let out = UnsafeMutableRawPointer(y)
    i = 0
    if let weight {
        let w = UnsafeRawPointer(weight)
        while i + 16 <= dimension {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let g = w.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            out.storeBytes(of: v * scale * g, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < dimension { y[i] = x[i] * inverse * weight[i]; i += 1 }
    } else {
        while i + 16 <= dimension {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            out.storeBytes(of: v * scale, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < dimension { y[i] = x[i] * inverse; i += 1 }
    }
}
