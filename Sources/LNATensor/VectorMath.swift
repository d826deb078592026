// Vectorised e^x on SIMD16<Float> for callers outside the kernels, and the chunking helper of the row kernels.
import CLNAKernels

/// e^x, lane-wise: range reduction x = n·ln2 + r (|r| ≤ ln2/2, Cody–Waite split of ln2), a degree-7 Taylor
/// polynomial for e^r (relative error < 1e-8 before rounding), and 2^n assembled in the exponent bits
/// (`exp16` of the active kernel set, the same code the softmax, activations and scoring kernels inline).
/// Inputs below −87.3 give exactly 0 (so −∞ masks vanish in a softmax), inputs above 88.37 give +∞ (2^n
/// leaves the float range there, a little before e^x does at 88.72), NaN stays NaN. ≤ 1 ulp against Double exp
/// on [−87.3, 88.37] (ScoringKernelTests); public for those tests.
///
/// ```swift
/// let e = vectorExp(SIMD16<Float>(repeating: -1))   // every lane ≈ 0.36787945
/// ```
public func vectorExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    var input = x, output = SIMD16<Float>()
    withUnsafePointer(to: &input) { i in
        withUnsafeMutablePointer(to: &output) { o in
            lna_exp16(UnsafeRawPointer(i).assumingMemoryBound(to: Float.self),
                      UnsafeMutableRawPointer(o).assumingMemoryBound(to: Float.self))
        }
    }
    return output
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
