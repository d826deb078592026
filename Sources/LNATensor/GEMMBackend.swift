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

    /// The faster backend on the target machine, by measurement (docs/kernels.md): the own kernel, which
    /// runs AVX-512 while OpenBLAS is capped at AVX2 by `OPENBLAS_CORETYPE=Haswell`.
    public static let preferred: GEMMBackend = .own
}
