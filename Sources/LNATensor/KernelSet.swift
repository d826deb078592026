import CLNAKernels
import Foundation

/// The set of float32 kernels in use: one binary carries three (CLNAKernels compiles the same C kernels for
/// AVX-512, AVX2 + FMA and plain x86-64) and picks the widest the CPU runs when it is loaded, or the one named by
/// the environment variable `LNA_KERNELS` (`avx512`, `avx2`, `generic`). AVX-512 and AVX2 give bit-identical
/// float32 results; `generic` has no fused multiply-add, so its results differ by float rounding.
///
/// ```swift
/// print(KernelSet.active, KernelSet.cpuDescription)   // "avx512 AVX-512 (bf16, vnni), AVX2+FMA"
/// try KernelSet.use(.avx2)                             // before any computation
/// ```
public enum KernelSet: String, Sendable, CaseIterable, CustomStringConvertible {
    case generic, avx2, avx512

    public var description: String { rawValue }

    /// The set every kernel call uses now.
    public static var active: KernelSet { KernelSet(lna_kernels_active()) }

    /// The widest set this CPU runs.
    public static var best: KernelSet { KernelSet(lna_kernels_best()) }

    /// Whether this CPU runs `set`.
    public static func isSupported(_ set: KernelSet) -> Bool { set.order <= best.order }

    /// Switches every later kernel call to `set`. Call it before computing: a model's results are only
    /// reproducible within one set (see the type's documentation).
    ///
    /// - Throws: `TensorError.invalidArgument` when the CPU lacks the set.
    public static func use(_ set: KernelSet) throws {
        guard lna_kernels_use(set.cValue) == 0 else { throw unsupported(set, source: "KernelSet.use") }
    }

    /// Throws when the environment variable `LNA_KERNELS` named an unknown set or one this CPU lacks (the
    /// library then runs the best set instead; the command-line tool calls this first and refuses to run).
    ///
    /// ```swift
    /// try KernelSet.checkEnvironment()   // LNA_KERNELS=avx1024 → "LNA_KERNELS=avx1024: unknown kernel set …"
    /// ```
    public static func checkEnvironment() throws {
        let value = ProcessInfo.processInfo.environment["LNA_KERNELS"] ?? ""
        switch lna_kernels_environment_status() {
        case 1:
            throw TensorError.invalidArgument(
                "LNA_KERNELS=\(value): unknown kernel set; expected one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        case 2:
            throw unsupported(KernelSet(rawValue: value) ?? .avx512, source: "LNA_KERNELS=\(value)")
        default:
            return
        }
    }

    /// The CPU's vector features as the kernels see them: "AVX-512 (bf16, vnni), AVX2+FMA", "AVX2+FMA" or
    /// "no AVX2+FMA". The float32 kernels use neither bf16 nor VNNI; bf16 is used by `ArithmeticPrecision.bf16`.
    public static var cpuDescription: String {
        let features = lna_cpu_features()
        var parts: [String] = []
        if features & Int32(LNA_CPU_AVX512) != 0 {
            var extensions: [String] = []
            if features & Int32(LNA_CPU_AVX512_BF16) != 0 { extensions.append("bf16") }
            if features & Int32(LNA_CPU_AVX512_VNNI) != 0 { extensions.append("vnni") }
            parts.append("AVX-512" + (extensions.isEmpty ? "" : " (\(extensions.joined(separator: ", ")))"))
        }
        parts.append(features & Int32(LNA_CPU_AVX2_FMA) != 0 ? "AVX2+FMA" : "no AVX2+FMA")
        return parts.joined(separator: ", ")
    }

    /// "avx512 (CPU: AVX-512 (bf16, vnni), AVX2+FMA)": what `lna inspect` and `lna bench` print.
    public static var summary: String { "\(active) (CPU: \(cpuDescription))" }

    private static func unsupported(_ set: KernelSet, source: String) -> TensorError {
        .invalidArgument("\(source): this CPU lacks the \(set) kernel set (it has \(cpuDescription)); use one of "
                         + allCases.filter(isSupported).map(\.rawValue).joined(separator: ", "))
    }

    private init(_ value: lna_kernel_set) {
        switch value {
        case LNA_KERNELS_AVX512: self = .avx512
        case LNA_KERNELS_AVX2: self = .avx2
        default: self = .generic
        }
    }

    private var cValue: lna_kernel_set {
        switch self {
        case .generic: LNA_KERNELS_GENERIC
        case .avx2: LNA_KERNELS_AVX2
        case .avx512: LNA_KERNELS_AVX512
        }
    }

    private var order: Int { Int(cValue.rawValue) }
}
