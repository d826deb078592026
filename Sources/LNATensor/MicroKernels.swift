import CLNAKernels

// The GEMM micro-kernels live in CLNAKernels (KernelBody.h), compiled once per kernel set; these wrappers keep
// the Swift call sites readable. One indirect call per 8 × 32 tile (k steps of 16 FMAs), see docs/kernels.md.

/// C[8×32] (+)= A·B over `k` steps. A is packed k-major (8 values per step), B rows are `ldb`
/// floats apart (32 used), C rows `ldc` floats apart. With `accumulate` false, C is overwritten.
@inline(__always)
func microKernel8x32(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    lna_micro_8x32(k, a, b, ldb, c, ldc, accumulate ? 1 : 0)
}

/// C[8×32] (+)= A·B over `k` steps. A is row-major (rows `lda` floats apart), B rows are `ldb`
/// floats apart (32 used), C rows `ldc` floats apart. With `accumulate` false, C is overwritten.
@inline(__always)
func microKernel8x32Strided(k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    lna_micro_8x32_strided(k, a, lda, b, ldb, c, ldc, accumulate ? 1 : 0)
}
