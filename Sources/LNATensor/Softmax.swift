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

/// Softmax of one row in place (the attention kernel's inner step).
@inline(__always)
func softmaxRow(_ x: UnsafeMutablePointer<Float>, count: Int) {
    if count == 0 { return }
    let maximum = rowMaximum(x, count: count)
    if maximum == -.infinity {  // fully masked row: define as all zeros rather than NaN
        x.initialize(repeating: 0, count: count)
        return
    }
    let shift = SIMD16<Float>(repeating: maximum)
    var lanes = SIMD16<Float>()
    var tail: Float = 0
    let raw = UnsafeMutableRawPointer(x)
    var i = 0
    while i + 16 <= count {
        let e = vectorExp(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - shift)
        raw.storeBytes(of: e, toByteOffset: i * 4, as: SIMD16<Float>.self)
        lanes += e
        i += 16
    }
    while i < count { x[i] = scalarExp(x[i] - maximum); tail += x[i]; i += 1 }
    let inverse = 1 / (lanes.sum() + tail)
    transformInPlace(x, count: count) { $0 * inverse }
}

/// Largest value of a row (−∞ for an empty or all −∞ row), vectorised with selects (a scalar `max` loop
/// does not vectorise because of its NaN rules).
@inline(__always)
func rowMaximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>(repeating: -.infinity)
    let raw = UnsafeRawPointer(x)
    var i = 0
    while i + 16 <= count {
        let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        lanes.replace(with: v, where: v .> lanes)
        i += 16
    }
    var maximum = -Float.infinity
    for lane in 0..<16 where lanes[lane] > maximum { maximum = lanes[lane] }
    while i < count {
        if x[i] > maximum { maximum = x[i] }
        i += 1
    }
    return maximum
}
