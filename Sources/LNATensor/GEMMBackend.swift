/// Which implementation a `PackedLinear` multiplies with.
///
/// ```swift
/// let layer = try PackedLinear(weight: w, outputs: 2048, inputs: 640, backend: .openBLAS)
/// ```
public enum GEMMBackend: String, Sendable, CaseIterable {
    /// lna's own kernel (the active KernelSet: AVX-512, AVX2 or generic) on weights packed into 32-output panels (8×32 register tiles, cache-blocked).
    case own
    /// OpenBLAS `cblas_sgemm` on the row-major weight, one BLAS thread per pool thread.
    case openBLAS

    /// The faster backend: the own kernel. In every kernel set (KernelSet) it runs the widest FMA the CPU has,
    /// while OpenBLAS is capped at AVX2 by `OPENBLAS_CORETYPE=Haswell` (docs/kernels.md). (Before the kernels
    /// were dispatched at run time, a portable build without FMA timed the kernel here and fell back to
    /// OpenBLAS; the choice no longer depends on a timing, so results do not depend on the machine's load.)
    public static let preferred: GEMMBackend = .own
}
