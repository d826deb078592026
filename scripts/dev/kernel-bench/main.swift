import Foundation
import LNATensor
var args = Array(CommandLine.arguments.dropFirst())
func now() -> Double { { var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }() }
if args.first == "attn" {
    for (t, hq, hkv, d) in [(512, 9, 3, 64), (2048, 9, 3, 64), (512, 4, 1, 256), (2048, 14, 2, 64)] {
        var g = SplitMix64(seed: 1)
        let q = (0..<(t*hq*d)).map { _ in g.nextSignedUnitFloat() }
        let k = (0..<(t*hkv*d)).map { _ in g.nextSignedUnitFloat() }
        var out = [Float](repeating: 0, count: q.count)
        let pos = Array(0..<t)
        var best = 1e9
        for _ in 0..<5 {
            let t0 = now()
            try! causalAttention(q: q, k: k, v: k, queries: t, keys: t, queryHeads: hq, keyValueHeads: hkv, headDimension: d, queryPositions: pos, keyPositions: pos, scale: 0.125, output: &out)
            best = min(best, now() - t0)
        }
        let flops = 2.0 * Double(t) * Double(t) / 2 * Double(d) * 2 * Double(hq)
        print("attention T=S=\(t) Hq=\(hq) Hkv=\(hkv) D=\(d): \(best * 1000) ms, \(flops / best / 1e9) GFLOP/s (causal half)")
    }
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
        let layer = try! PackedLinear(weight: w, outputs: n, inputs: k, backend: .own)
        var best = 1e9
        parallelFor(count: 2) { i in
            guard i == 0 else { return }
            for _ in 0..<5 {
                let t0 = cpuNow()
                layer.apply(x, rows: m, into: &y)
                best = min(best, cpuNow() - t0)
            }
        }
        let gflops = 2.0 * Double(m * n * k) / best / 1e9
        print(String(format: "[%d×%d]·[%d×%d]ᵀ one core: %.1f GFLOP/s per CPU-second, %.0f %% of %.0f", m, k, k, n, gflops, 100 * gflops / corePeak, corePeak))
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
