#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Throughput measurements of the linear-layer GEMM, used by `lna bench` and docs/kernels.md.
///
/// ```swift
/// let own = GEMMBenchmark.run(m: 512, n: 2048, k: 640, backend: .own)        // GFLOP/s
/// let blas = GEMMBenchmark.run(m: 512, n: 2048, k: 640, backend: .openBLAS)
/// ```
public enum GEMMBenchmark {
    /// GFLOP/s (2·m·n·k flops per product) of `PackedLinear.apply` for `x: [m, k]` times `Wᵀ` with `W: [n, k]`.
    ///
    /// Random data; one warm-up call, then batches of calls until `seconds` have elapsed; the fastest batch
    /// counts (the least disturbed by other processes on a shared machine). Packing is not timed.
    public static func run(m: Int, n: Int, k: Int, backend: GEMMBackend, seconds: Double = 0.3) -> Double {
        var generator = SplitMix64(seed: 42)
        let weight = (0..<(n * k)).map { _ in generator.nextSignedUnitFloat() }
        let x = (0..<(m * k)).map { _ in generator.nextSignedUnitFloat() }
        guard let layer = try? PackedLinear(weight: weight, outputs: n, inputs: k, backend: backend) else { return 0 }
        var y = [Float](repeating: 0, count: m * n)
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        let callsPerBatch = max(1, Int(2e8 / flops))
        var best = Double.infinity
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                layer.apply(xp.baseAddress!, rows: m, into: yp.baseAddress!)
                let start = monotonicSeconds()
                repeat {
                    let t0 = monotonicSeconds()
                    for _ in 0..<callsPerBatch { layer.apply(xp.baseAddress!, rows: m, into: yp.baseAddress!) }
                    best = min(best, (monotonicSeconds() - t0) / Double(callsPerBatch))
                } while monotonicSeconds() - start < seconds
            }
        }
        return flops / best / 1e9
    }
}

extension GEMMBenchmark {
    /// GFLOP/s of causal self-attention prefill (`causalAttention`, T = S = `tokens`), counting the visible half:
    /// 4·(T²/2)·D·Hq flops. Random data; fastest of repeated calls over `seconds`.
    ///
    /// ```swift
    /// let attention = GEMMBenchmark.runAttention(tokens: 512, queryHeads: 9, keyValueHeads: 3, headDimension: 64)
    /// ```
    public static func runAttention(tokens: Int, queryHeads: Int, keyValueHeads: Int, headDimension: Int,
                                    seconds: Double = 0.3) -> Double {
        var generator = SplitMix64(seed: 7)
        let q = (0..<(tokens * queryHeads * headDimension)).map { _ in generator.nextSignedUnitFloat() }
        let kv = (0..<(tokens * keyValueHeads * headDimension)).map { _ in generator.nextSignedUnitFloat() }
        var output = [Float](repeating: 0, count: q.count)
        let positions = Array(0..<tokens)
        let run = {
            try causalAttention(q: q, k: kv, v: kv, queries: tokens, keys: tokens, queryHeads: queryHeads,
                                keyValueHeads: keyValueHeads, headDimension: headDimension, queryPositions: positions,
                                keyPositions: positions, scale: 1 / Float(headDimension).squareRoot(), output: &output)
        }
        guard (try? run()) != nil else { return 0 }
        var best = Double.infinity
        let start = monotonicSeconds()
        repeat {
            let t0 = monotonicSeconds()
            try? run()
            best = min(best, monotonicSeconds() - t0)
        } while monotonicSeconds() - start < seconds
        let flops = 4.0 * Double(tokens) * Double(tokens) / 2 * Double(headDimension) * Double(queryHeads)
        return flops / best / 1e9
    }
}

/// The best sustained fp32 GFLOP/s of lna's own GEMM kernel on this machine: `GEMMBenchmark.run` on a
/// 1024×1024×1024 product (x `[1024, 1024]` times a `[1024, 1024]` weight) with all pool threads, fastest batch
/// over about half a second. Used to express other timings as a fraction of the machine's peak.
///
/// ```swift
/// print("peak ≈ \(Int(machinePeakGFLOPS())) GFLOP/s")
/// ```
public func machinePeakGFLOPS() -> Double {
    GEMMBenchmark.run(m: 1024, n: 1024, k: 1024, backend: .own, seconds: 0.5)
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// A tiny deterministic generator (SplitMix64) for benchmark and test data.
///
/// ```swift
/// var g = SplitMix64(seed: 1); let v = g.nextSignedUnitFloat()   // in [-1, 1)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform float in [-1, 1).
    public mutating func nextSignedUnitFloat() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
}
