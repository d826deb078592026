import Foundation
import LNATensor
var args = Array(CommandLine.arguments.dropFirst())
func now() -> Double { { var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }() }
/// FNV-1a over the bit patterns: equal digests mean bit-identical results (to compare two builds).
func digest(_ values: [Float]) -> UInt64 { digest(values.map { UInt64($0.bitPattern) }) }
func digest(_ words: [UInt64]) -> UInt64 {
    var h: UInt64 = 0xcbf29ce484222325
    for w in words { h = (h ^ w) &* 0x100000001b3 }
    return h
}
if args.first == "attn" {
    for (t, hq, hkv, d) in [(512, 9, 3, 64), (2048, 9, 3, 64), (512, 4, 1, 256), (2048, 14, 2, 64)] {
        var g = SplitMix64(seed: 1)
        let q = (0..<(t*hq*d)).map { _ in g.nextSignedUnitFloat() }
        let k = (0..<(t*hkv*d)).map { _ in g.nextSignedUnitFloat() }
        var out = [Float](repeating: 0, count: q.count)
        let pos = Array(0..<t)
        var best = 1e9
        // One core, thread CPU time (nested in parallelFor, so the attention tasks run serially).
        func cpuNow() -> Double { var ts = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }
        parallelFor(count: 2) { i in
            guard i == 0 else { return }
            for _ in 0..<5 {
                let t0 = cpuNow()
                try! causalAttention(q: q, k: k, v: k, queries: t, keys: t, queryHeads: hq, keyValueHeads: hkv, headDimension: d, queryPositions: pos, keyPositions: pos, scale: 0.125, output: &out)
                best = min(best, cpuNow() - t0)
            }
        }
        let flops = 2.0 * Double(t) * Double(t) / 2 * Double(d) * 2 * Double(hq)
        print(String(format: "attention T=S=%d Hq=%d Hkv=%d D=%d one core: %.2f ms, %.1f GFLOP/s per CPU-second (causal half), digest %016llx", t, hq, hkv, d, best * 1000, flops / best / 1e9, digest(out)))
    }
    exit(0)
}
if args.first == "score" {
    // The fused LM head (`PackedLinear.scoreRows`) on one core, thread CPU time, best of 3: `score m n k`
    // (Gemma-3-270M: 512 262144 640). Prints a digest of the scores to compare builds bit for bit.
    func cpuNow() -> Double { var ts = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }
    let rest = args.dropFirst().compactMap { Int($0) }
    let (m, n, k) = rest.count >= 3 ? (rest[0], rest[1], rest[2]) : (512, 65536, 640)
    var g = SplitMix64(seed: 1)
    let x = (0..<(m * k)).map { _ in g.nextSignedUnitFloat() }
    let weightRows: (Range<Int>) -> [Float] = { range in (0..<(range.count * k)).map { _ in g.nextSignedUnitFloat() * 0.2 } }
    // PRECISION=bf16: the bf16-arithmetic head of `--precision bf16` (BF16ArithmeticLinear.scoreRows).
    let bf16 = ProcessInfo.processInfo.environment["PRECISION"] == "bf16"
    let layer = bf16 ? nil : try! PackedLinear(outputs: n, inputs: k, backend: .own, rows: weightRows)
    let bf16Layer = bf16 ? try! BF16ArithmeticLinear(outputs: n, inputs: k, rows: weightRows) : nil
    let targets = (0..<m).map { ($0 * 7919) % n }
    var best = 1e9
    var scores: [RowScore] = []
    parallelFor(count: 2) { i in
        guard i == 0 else { return }
        for _ in 0..<3 {
            let t0 = cpuNow()
            scores = try! layer?.scoreRows(x, rows: m, targets: targets) ?? bf16Layer!.scoreRows(x, rows: m, targets: targets)
            best = min(best, cpuNow() - t0)
        }
    }
    let gflops = 2.0 * Double(m) * Double(n) * Double(k) / best / 1e9
    let bits = scores.flatMap { [$0.logSumExp.bitPattern, UInt64($0.targetLogit.bitPattern), UInt64($0.maximum.bitPattern), UInt64($0.argmax)] }
    print(String(format: "scoreRows (%@) [%d×%d]·[%d×%d]ᵀ one core: %.3f s, %.1f GFLOP/s per CPU-second, digest %016llx", bf16 ? "bf16" : "float32", m, k, k, n, best, gflops, digest(bits)))
    exit(0)
}
if args.first == "cpu" {
    // Per-core efficiency, insensitive to other processes: one thread (nested in parallelFor so the kernels run
    // serially), thread CPU time, best of 5. MLP shapes of Gemma-3-270M and SmolLM2-135M, or `cpu m n k`.
    func cpuNow() -> Double { var ts = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }
    let rest = args.dropFirst().compactMap { Int($0) }
    var shapes = [(512, 4096, 640), (512, 640, 2048), (2048, 4096, 640), (2048, 640, 2048), (512, 3072, 576), (512, 576, 1536), (48, 4096, 640), (48, 640, 2048)]
    if rest.count >= 3 { shapes = stride(from: 0, to: rest.count - 2, by: 3).map { (rest[$0], rest[$0 + 1], rest[$0 + 2]) } }
    let corePeak = Double(ProcessInfo.processInfo.environment["CORE_PEAK"] ?? "") ?? 243   // 3.8 GHz × 64 FLOP/cycle
    for (m, n, k) in shapes {
        var g = SplitMix64(seed: 1)
        let w = (0..<(n * k)).map { _ in g.nextSignedUnitFloat() }
        let x = (0..<(m * k)).map { _ in g.nextSignedUnitFloat() }
        var y = [Float](repeating: 0, count: m * n)
        // BIAS=1: with a bias (to compare builds bit for bit on that path too).
        let bias = ProcessInfo.processInfo.environment["BIAS"] == "1" ? (0..<n).map { _ in g.nextSignedUnitFloat() } : nil
        let layer = try! PackedLinear(weight: w, outputs: n, inputs: k, bias: bias, backend: .own)
        // COLD=N: cycle through N copies of the layer (as a forward meets each layer's weights once, from memory).
        let cold = Int(ProcessInfo.processInfo.environment["COLD"] ?? "") ?? 0
        let copies = (0..<cold).map { _ in try! PackedLinear(weight: w, outputs: n, inputs: k, bias: bias, backend: .own) }
        var best = 1e9
        parallelFor(count: 2) { i in
            guard i == 0 else { return }
            if cold > 0 {
                for _ in 0..<3 {
                    let t0 = cpuNow()
                    for c in copies { c.apply(x, rows: m, into: &y) }
                    best = min(best, (cpuNow() - t0) / Double(cold))
                }
                return
            }
            for _ in 0..<5 {
                let t0 = cpuNow()
                layer.apply(x, rows: m, into: &y)
                best = min(best, cpuNow() - t0)
            }
        }
        let gflops = 2.0 * Double(m * n * k) / best / 1e9
        print(String(format: "[%d×%d]·[%d×%d]ᵀ one core: %.1f GFLOP/s per CPU-second, %.0f %% of %.0f, digest %016llx", m, k, k, n, gflops, 100 * gflops / corePeak, corePeak, digest(y)))
    }
    exit(0)
}
if args.first == "backend" {
    print("preferred GEMM backend: \(GEMMBackend.preferred)")
    exit(0)
}
if args.first == "pool" {
    for _ in 0..<3 {
        let t0 = now()
        for _ in 0..<10000 { parallelFor(count: 2) { _ in } }
        print("parallelFor(count: 2) empty: \((now() - t0) / 10000 * 1e6) µs")
    }
    exit(0)
}
let blas = args.first == "blas"; if blas { args.removeFirst() }
var shapes = [(64, 2048, 640), (512, 2048, 640), (512, 640, 2048), (1, 2048, 640), (512, 1536, 576), (1024,1024,1024)]
if !args.isEmpty { shapes = stride(from: 0, to: args.count, by: 3).map { (Int(args[$0])!, Int(args[$0+1])!, Int(args[$0+2])!) } }
for (m, n, k) in shapes {
    let own = GEMMBenchmark.run(m: m, n: n, k: k, backend: .own, seconds: 0.3)
    let b = blas ? GEMMBenchmark.run(m: m, n: n, k: k, backend: .openBLAS, seconds: 0.3) : 0
    print("GEMM [\(m)×\(k)]·[\(k)×\(n)]ᵀ: own \(Int(own)) GFLOP/s, OpenBLAS \(Int(b)) GFLOP/s")
}
