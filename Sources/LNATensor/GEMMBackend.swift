/// Which implementation a `PackedLinear` multiplies with.
///
/// ```swift
/// let layer = try PackedLinear(weight: w, outputs: 2048, inputs: 640, backend: .openBLAS)
/// ```
public enum GEMMBackend: String, Sendable, CaseIterable {
    /// lna's AVX-512 kernel on weights packed into 32-output panels (8×32 register tiles, cache-blocked).
    case own
    /// OpenBLAS `cblas_sgemm` on the row-major weight, one BLAS thread per pool thread.
    case openBLAS

    /// The faster backend: the own kernel, which on the target machine runs AVX-512 FMA while OpenBLAS is capped
    /// at AVX2 by `OPENBLAS_CORETYPE=Haswell` (docs/kernels.md) — unless this build cannot fuse multiply-adds.
    ///
    /// A build for a generic CPU (`LNA_PORTABLE=1`) has no FMA instruction, so every `addingProduct` becomes a
    /// library call and the own kernel drops below 1 GFLOP/s; a one-off probe (a few microseconds) detects that
    /// and picks OpenBLAS instead.
    public static let preferred: GEMMBackend = ownKernelIsFast() ? .own : .openBLAS

    /// Times a few micro-kernel calls (fastest of 5): native builds run them at > 100 GFLOP/s, builds without
    /// FMA at < 1.
    static func ownKernelIsFast() -> Bool {
        let depth = 256
        let a = allocateAligned(8 * depth), b = allocateAligned(32 * depth), c = allocateAligned(8 * 32)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        a.initialize(repeating: 0.5, count: 8 * depth)
        b.initialize(repeating: 0.25, count: 32 * depth)
        var fastest = Double.infinity
        for _ in 0..<5 {
            let start = monotonicSeconds()
            for _ in 0..<4 { microKernel8x32(k: depth, a: a, b: b, ldb: 32, c: c, ldc: 32, accumulate: false) }
            fastest = min(fastest, monotonicSeconds() - start)
        }
        let flops = 4.0 * 2 * 8 * 32 * Double(depth)
        return flops / fastest > 10e9
    }
}
