import CLNAKernels

extension ArithmeticPrecision {
    /// Throws when this machine (CPU and active kernel set) cannot compute in this precision: bf16 needs
    /// AVX512_BF16 and the avx512 kernel set (so `LNA_KERNELS=avx2` or `generic` refuses it); int8 needs AVX512_VNNI
    /// (its kernels sit outside the float32 kernel sets, so `LNA_KERNELS` does not switch them).
    ///
    /// ```swift
    /// try ArithmeticPrecision.bf16.checkAvailable()   // on a CPU without AVX512_BF16: "bf16 arithmetic needs …"
    /// ```
    public func checkAvailable() throws {
        switch self {
        case .float32: return
        case .bf16: _ = try Self.bf16Kernels()
        case .int8:
            guard Int8Kernel.vnniAvailable else {
                throw TensorError.invalidArgument("int8 arithmetic needs AVX512_VNNI and this CPU has \(KernelSet.cpuDescription); use float32")
            }
        }
    }

    /// The bf16 arithmetic kernels, or the error saying why this machine cannot run them.
    static func bf16Kernels() throws -> UnsafePointer<lna_bf16_kernel_table> {
        if let table = lna_bf16_kernels() { return table }
        let reason = lna_cpu_features() & Int32(LNA_CPU_AVX512_BF16) == 0
            ? "this CPU lacks AVX512_BF16 (it has \(KernelSet.cpuDescription))"
            : "the active kernel set is \(KernelSet.active) (LNA_KERNELS), and the bf16 kernels run only with avx512"
        throw TensorError.invalidArgument("bf16 arithmetic needs AVX512_BF16 and the avx512 kernel set: \(reason); use float32")
    }
}
