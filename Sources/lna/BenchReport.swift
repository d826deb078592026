import Foundation

/// One timed configuration of `lna bench`.
struct BenchResult: Encodable {
    let mode: BenchMode
    let packing: BenchPacking
    let what: String
    let forwardCalls: Int
    let seconds: Double
    let tokensPerSecond: Double
    let gflops: Double
}

/// The MLP products of one configuration, timed inside the forward (and, optionally, alone on random weights).
struct BenchMLPResult: Encodable {
    let packing: BenchPacking
    let forwardCalls: Int
    let meanRowsPerCall: Double
    let forwardSeconds: Double
    let gateUpSeconds: Double
    let gateUpGFLOPS: Double
    let downSeconds: Double
    let downGFLOPS: Double
    /// Flops per second of process CPU time (all threads): per-core efficiency, insensitive to other load.
    let gateUpGFLOPSPerCPUSecond: Double
    let downGFLOPSPerCPUSecond: Double
    /// (gate+up + down) / the whole forward.
    let mlpShareOfForward: Double
    var isolatedRows: Int?
    var isolatedGateUpGFLOPS: Double?
    var isolatedDownGFLOPS: Double?
}

/// Everything `lna bench` prints (`--json`: this, encoded).
struct BenchReport: Encodable {
    let model: String
    let workload: String
    let sequences: Int
    let tokens: Int
    let threads: Int
    /// The kernel set in use and the CPU's vector features (`KernelSet.summary`).
    let kernels: String
    /// The arithmetic of the model's projections (`--precision`).
    let precision: String
    /// The own kernel on a 1024³ product, all threads (`machinePeakGFLOPS()`); nil with `--no-peak`.
    let peakGFLOPS: Double?
    let theoreticalPeakGFLOPS: Double?
    let parameters: Int
    let weightBytesF32: Int
    /// `getrusage` `ru_maxrss` after the timed runs (before the GEMM benchmarks), in bytes.
    let peakResidentBytes: Int
    /// The resident set after the timed runs, anonymous vs mapped-file pages.
    let residentAtEnd: ResidentBreakdown
    let residentOverWeights: Double
    let results: [BenchResult]
    let mlp: [BenchMLPResult]

    func text(repeats: Int) -> String {
        var lines = ["model \(model), \(workload), \(tokens) tokens, \(threads) threads, best of \(repeats)",
                     "kernels \(kernels), \(precision) arithmetic"]
        if let peakGFLOPS { lines.append(String(format: "own-kernel fp32 GEMM peak (1024³): %.0f GFLOP/s", peakGFLOPS)) }
        if let theoreticalPeakGFLOPS { lines.append(String(format: "theoretical fp32 peak: %.0f GFLOP/s", theoreticalPeakGFLOPS)) }
        for r in results {
            let label = (r.what + packingSuffix(r.packing)).padding(toLength: 52, withPad: " ", startingAt: 0)
            lines.append(label + String(format: " %9.1f tokens/s  %7.1f GFLOP/s%@  (%.3f s, %d calls)",
                                        r.tokensPerSecond, r.gflops, percentages(r.gflops), r.seconds, r.forwardCalls))
        }
        for m in mlp {
            lines.append(String(format: "MLP products%@, %.0f rows per call: %.0f %% of the forward",
                                packingSuffix(m.packing), m.meanRowsPerCall, 100 * m.mlpShareOfForward))
            lines.append(String(format: "  gate+up (fused)  %7.1f GFLOP/s%@", m.gateUpGFLOPS, percentages(m.gateUpGFLOPS))
                + (m.isolatedGateUpGFLOPS.map { String(format: "; alone on random weights %.1f", $0) } ?? "")
                + perCore(m.gateUpGFLOPSPerCPUSecond))
            lines.append(String(format: "  down             %7.1f GFLOP/s%@", m.downGFLOPS, percentages(m.downGFLOPS))
                + (m.isolatedDownGFLOPS.map { String(format: "; alone on random weights %.1f", $0) } ?? "")
                + perCore(m.downGFLOPSPerCPUSecond))
        }
        lines.append(String(format: "peak resident memory %.0f MB = %.2f × the float32 weights (%d parameters, %.0f MB)",
                            Double(peakResidentBytes) / 1e6, residentOverWeights, parameters, Double(weightBytesF32) / 1e6))
        lines.append(String(format: "resident after the runs: %.0f MB own buffers + %.0f MB mapped model-file pages",
                            Double(residentAtEnd.anonymousBytes) / 1e6, Double(residentAtEnd.fileBytes) / 1e6))
        return lines.joined(separator: "\n")
    }

    /// Per CPU-second, and against one core's share of the theoretical peak when it is known.
    private func perCore(_ gflopsPerCPUSecond: Double) -> String {
        var text = String(format: "; %.1f per CPU-second", gflopsPerCPUSecond)
        if let theoreticalPeakGFLOPS {
            text += String(format: " = %.0f %% of one core's peak", 100 * gflopsPerCPUSecond / (theoreticalPeakGFLOPS / Double(threads)))
        }
        return text
    }

    private func packingSuffix(_ packing: BenchPacking) -> String {
        sequences == 1 ? "" : packing == .single ? ", one by one" : ", packed"
    }

    private func percentages(_ gflops: Double) -> String {
        var parts: [String] = []
        if let peakGFLOPS { parts.append(String(format: "%.0f %% of own peak", 100 * gflops / peakGFLOPS)) }
        if let theoreticalPeakGFLOPS { parts.append(String(format: "%.0f %% of theoretical", 100 * gflops / theoreticalPeakGFLOPS)) }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }
}
