// Vectorised transcendental functions on SIMD16<Float> (one AVX-512 register), accurate to a few ulp.

/// e^x, lane-wise: range reduction x = n·ln2 + r (|r| ≤ ln2/2, Cody–Waite split of ln2), a degree-7 Taylor
/// polynomial for e^r (relative error < 1e-8 before rounding), and 2^n assembled in the exponent bits.
/// Inputs below −87.3 give exactly 0 (so −∞ masks vanish in a softmax), inputs above 88.37 give +∞ (2^n
/// leaves the float range there, a little before e^x does at 88.72), NaN stays NaN. ≤ 1 ulp against Double exp
/// on [−87.3, 88.37] (ScoringKernelTests); public for those tests.
///
/// ```swift
/// let e = vectorExp(SIMD16<Float>(repeating: -1))   // every lane ≈ 0.36787945
/// ```
@inline(__always)
public func vectorExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    // Explicit selects: the generic `clamped` is not inlined into vector code.
    var clamped = x
    clamped.replace(with: -87.3, where: x .< -87.3)
    clamped.replace(with: 88.7, where: x .> 88.7)
    // Adding 1.5·2²³ rounds to the nearest integer and leaves it in the low mantissa bits (generic SIMD
    // float→int conversions and `rounded` are not vectorised by the compiler; these bit tricks are).
    let magic = SIMD16<Float>(repeating: 12_582_912)
    let shifted = magic.addingProduct(clamped, SIMD16(repeating: 1.442_695_040_888_963_4))
    let n = shifted - magic
    var r = clamped.addingProduct(n, SIMD16(repeating: -0.693_145_751_953_125))
    r = r.addingProduct(n, SIMD16(repeating: -1.428_606_765_330_187_045e-06))
    var p = SIMD16<Float>(repeating: 1.0 / 5040)
    p = SIMD16(repeating: 1.0 / 720).addingProduct(p, r)
    p = SIMD16(repeating: 1.0 / 120).addingProduct(p, r)
    p = SIMD16(repeating: 1.0 / 24).addingProduct(p, r)
    p = SIMD16(repeating: 1.0 / 6).addingProduct(p, r)
    p = SIMD16(repeating: 0.5).addingProduct(p, r)
    p = SIMD16(repeating: 1).addingProduct(p, r)
    p = SIMD16(repeating: 1).addingProduct(p, r)
    let exponent = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    var result = p * unsafeBitCast(exponent, to: SIMD16<Float>.self)
    result.replace(with: 0, where: x .< -87.3)
    result.replace(with: .infinity, where: x .> 88.7)
    return result
}

/// tanh(x) = 1 − 2 / (e^{2x} + 1), lane-wise (absolute error ~1e-7).
@inline(__always)
func vectorTanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
    1 - 2 / (vectorExp(2 * x) + 1)
}

/// Scalar e^x through the vector path, so tails of rows round exactly like their bodies.
@inline(__always)
func scalarExp(_ x: Float) -> Float { vectorExp(SIMD16(repeating: x))[0] }

/// Applies `transform` to `count` floats in place, 16 at a time, the tail through a zero-padded vector.
@inline(__always)
func transformInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, _ transform: (SIMD16<Float>) -> SIMD16<Float>) {
    let raw = UnsafeMutableRawPointer(x)
    var i = 0
    while i + 16 <= count {
        let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        raw.storeBytes(of: transform(v), toByteOffset: i * 4, as: SIMD16<Float>.self)
        i += 16
    }
    if i < count {
        var v = SIMD16<Float>()
        for j in 0..<(count - i) { v[j] = x[i + j] }
        let out = transform(v)
        for j in 0..<(count - i) { x[i + j] = out[j] }
    }
}

/// Runs `body` on contiguous ranges of `0..<count`, in parallel when the work is large enough to pay for it.
@inline(__always)
func forEachChunk(count: Int, parallelAbove threshold: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
    if count < threshold {
        body(0..<count)
    } else {
        ComputePool.shared.parallelChunks(total: count, minimumChunk: threshold / 4, body)
    }
}
