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
if args.first == "int8" {
    // int8 arithmetic (`--precision int8`) per core, as `cpu`: Int8PackedLinear (VNNI kernel, activation
    // quantisation included) on random blocks, one thread, thread CPU time, best of 5. Default: Gemma-3-270M's
    // projection shapes and types in its Q4_K_M file (Q5_0/Q8_0 for 640 inputs, Q4_K/Q6_K for 1024/2048), 512 rows
    // and 1 row; or `int8 m n k type …` with the GGUF type id (2 Q4_0, 3 Q4_1, 6 Q5_0, 8 Q8_0, 12 Q4_K, 13 Q5_K, 14 Q6_K).
    func cpuNow() -> Double { var ts = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }
    // elements per block, bytes per block, byte offsets of the fp16 scales
    let layouts: [Int: (block: Int, bytes: Int, halves: [Int])] = [
        2: (32, 18, [0]), 3: (32, 20, [0, 2]), 6: (32, 22, [0]), 8: (32, 34, [0]),
        12: (256, 144, [0, 2]), 13: (256, 176, [0, 2]), 14: (256, 210, [208]),
    ]
    let rest = args.dropFirst().compactMap { Int($0) }
    var shapes = [(512, 2048, 640, 6), (512, 1024, 640, 8), (512, 640, 1024, 12), (512, 640, 2048, 14), (512, 640, 2048, 12),
                  (1, 2048, 640, 6), (1, 640, 2048, 14)]
    if rest.count >= 4 { shapes = stride(from: 0, to: rest.count - 3, by: 4).map { (rest[$0], rest[$0 + 1], rest[$0 + 2], rest[$0 + 3]) } }
    for (m, n, k, type) in shapes {
        guard let layout = layouts[type], k % layout.block == 0 else { print("int8: type \(type) cannot have \(k) inputs"); continue }
        var g = SplitMix64(seed: 1)
        let rowBytes = k / layout.block * layout.bytes
        var raw = (0..<(n * rowBytes)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        for b in 0..<(n * k / layout.block) {
            for h in layout.halves {
                let bits = Float16(0.001 + 0.01 * Float(g.next() % 1000) / 1000).bitPattern
                raw[b * layout.bytes + h] = UInt8(bits & 0xFF)
                raw[b * layout.bytes + h + 1] = UInt8(bits >> 8)
            }
        }
        let x = (0..<(m * k)).map { _ in g.nextSignedUnitFloat() }
        var y = [Float](repeating: 0, count: m * n)
        let layer = try! raw.withUnsafeBytes { r in
            try Int8PackedLinear(ggmlType: type, outputs: n, inputs: k) { r.baseAddress! + $0 * rowBytes }
        }
        var best = 1e9
        let repeats = m == 1 ? 2000 : 5
        parallelFor(count: 2) { i in
            guard i == 0 else { return }
            for _ in 0..<5 {
                let t0 = cpuNow()
                for _ in 0..<(m == 1 ? repeats : 1) { layer.apply(x, rows: m, into: &y) }
                best = min(best, (cpuNow() - t0) / Double(m == 1 ? repeats : 1))
            }
        }
        let gops = 2.0 * Double(m * n * k) / best / 1e9
        // The plain C kernel on the first rows: the VNNI result must equal it bit for bit.
        let checked = min(m, 20)
        let plain = try! raw.withUnsafeBytes { r in
            try Int8PackedLinear(ggmlType: type, outputs: n, inputs: k, kernel: .plain) { r.baseAddress! + $0 * rowBytes }
        }
        var yPlain = [Float](repeating: 0, count: checked * n)
        plain.apply(x, rows: checked, into: &yPlain)
        let same = yPlain.map(\.bitPattern) == y[0..<(checked * n)].map(\.bitPattern)
        print(String(format: "int8 type %2d [%d×%d]·[%d×%d]ᵀ one core: %.1f GOP/s per CPU-second, %.1f µs; ", type, m, k, k, n,
                     gops, best * 1e6) + (same ? "equals plain C" : "DIFFERS FROM PLAIN C"))
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
