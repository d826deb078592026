#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LNAHooks

/// Times the MLP products inside a real forward, from the hook points around them:
/// `ln2.hook_normalized` → `mlp.hook_pre` is exactly the fused gate+up product, and `mlp.hook_post` →
/// `hook_mlp_out` is the down product (plus Gemma's post-MLP RMSNorm over `[T, d]`, < 1 % of it).
/// Observers only read two clocks, so the forward is otherwise unchanged. Besides wall time the timer sums
/// the process's CPU time over the same intervals: flops per CPU-second measure the kernel's per-core efficiency
/// even when other processes share the cores (lna's idle pool threads block rather than spin).
///
/// ```swift
/// let timer = try MLPProductTimer(hooks: hooks)
/// _ = try model.forward(batch, hooks: hooks, logits: .none)
/// timer.gateUpSeconds
/// ```
final class MLPProductTimer {
    private(set) var gateUpSeconds = 0.0
    private(set) var downSeconds = 0.0
    private(set) var gateUpCPUSeconds = 0.0
    private(set) var downCPUSeconds = 0.0
    private var mark = 0.0
    private var cpuMark = 0.0

    init(hooks: HookSet) throws {
        try hooks.observe("blocks.*.ln2.hook_normalized") { [unowned self] _ in start() }
        try hooks.observe("blocks.*.mlp.hook_pre") { [unowned self] _ in
            gateUpSeconds += Self.now() - mark
            gateUpCPUSeconds += Self.processCPU() - cpuMark
        }
        try hooks.observe("blocks.*.mlp.hook_post") { [unowned self] _ in start() }
        try hooks.observe("blocks.*.hook_mlp_out") { [unowned self] _ in
            downSeconds += Self.now() - mark
            downCPUSeconds += Self.processCPU() - cpuMark
        }
    }

    private func start() {
        mark = Self.now()
        cpuMark = Self.processCPU()
    }

    func reset() {
        gateUpSeconds = 0
        downSeconds = 0
        gateUpCPUSeconds = 0
        downCPUSeconds = 0
    }

    /// CPU seconds used by all threads of the process so far.
    static func processCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
