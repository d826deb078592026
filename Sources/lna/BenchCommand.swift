import ArgumentParser
import Foundation
import LNAHooks
import LNAModels
import LNATensor
import LNATokenizers

/// `lna bench MODEL`: prefill speed with and without the LM head, and the GFLOP/s achieved.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prefill tokens/s (with and without the LM head) and GFLOP/s on fixed tokens.")
    @Argument(help: "A .gguf file, a Hugging Face directory, or a known model name.") var model: String
    @Option(help: "Tokens in the sequence.") var tokens = 512
    @Option(help: "Timed repetitions (the best is reported).") var repeats = 3
    @Flag(help: "Also time recording: count act > 0 at every mlp.hook_act, no LM head.") var recording = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Write the benchmark's token ids as a JSON array to this file (for scripts/compare-llamacpp.sh).")
    var tokensOut: String?

    func run() throws {
        let m = try CLI.loadModel(model, quiet: json)
        let ids = try BenchTokens.make(count: tokens, tokenizer: m.tokenizer)
        if let tokensOut {
            try Data(CLI.json(ids).utf8).write(to: URL(fileURLWithPath: tokensOut), options: .atomic)
        }
        let flops = FlopCount(config: m.config, tokens: ids.count)
        var results: [BenchResult] = []
        results.append(try time("prefill, no LM head", flops.body) { _ = try m.forward(TokenBatch(ids), logits: .none) })
        if recording {
            let counts = UnsafeMutablePointer<Int64>.allocate(capacity: m.config.intermediateSize)
            defer { counts.deallocate() }
            let hooks = HookSet(layerCount: m.config.layerCount)
            counts.initialize(repeating: 0, count: m.config.intermediateSize)
            try hooks.observe("blocks.*.mlp.hook_act") { t in
                accumulatePositiveCounts(values: t.values, rows: t.rows, columns: t.columns, into: counts)
            }
            results.append(try time("recording (act > 0 counts)", flops.body) {
                _ = try m.forward(TokenBatch(ids), hooks: hooks, logits: .none)
            })
        }
        results.append(try time("prefill + logits of every position", flops.body + flops.head) {
            _ = try m.forward(TokenBatch(ids), logits: .stream(chunkRows: 64) { _ in })
        })
        // What perplexity grids run: the LM head fused with the log-softmax, no logits in memory.
        let nextTokens = Array(ids.dropFirst()) + [-1]
        results.append(try time("prefill + NLL of every position (fused)", flops.body + flops.head) {
            _ = try m.scoreRows(TokenBatch(ids), nextTokens: nextTokens)
        })
        let peak = machinePeakGFLOPS()
        if json {
            struct Output: Encodable { let model: String; let tokens: Int; let peakGFLOPS: Double; let results: [BenchResult] }
            print(try CLI.json(Output(model: m.name, tokens: ids.count, peakGFLOPS: peak, results: results)))
        } else {
            print("model \(m.name), \(ids.count) tokens in one sequence, best of \(repeats)")
            print(String(format: "machine fp32 GEMM peak (own kernel, 1024³): %.0f GFLOP/s", peak))
            for r in results {
                let label = r.what.padding(toLength: 40, withPad: " ", startingAt: 0)
                print(label + String(format: " %9.1f tokens/s  %7.1f GFLOP/s  %5.1f %% of peak  (%.3f s)",
                                     r.tokensPerSecond, r.gflops, 100 * r.gflops / peak, r.seconds))
            }
        }
    }

    private func time(_ what: String, _ flops: Double, _ body: () throws -> Void) throws -> BenchResult {
        try body()  // warm-up: packing, page faults, RoPE tables
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return BenchResult(what: what, seconds: best, tokensPerSecond: Double(tokens) / best, gflops: flops / best / 1e9)
    }
}

struct BenchResult: Encodable {
    let what: String
    let seconds: Double
    let tokensPerSecond: Double
    let gflops: Double
}

/// Multiply-adds ×2 of one forward over `tokens` positions of one sequence.
struct FlopCount {
    let body: Double
    let head: Double

    init(config c: ModelConfig, tokens t: Int) {
        let d = Double(c.hiddenSize), f = Double(c.intermediateSize), n = Double(t)
        let projections = d * Double(c.queryWidth) * 2 + d * Double(c.kvWidth) * 2 + 3 * d * f
        // Scores and mixing: every query attends to ≈ half the positions (causal).
        let attention = 2 * 2 * Double(c.queryWidth) * n / 2
        body = Double(c.layerCount) * (2 * projections + attention) * n
        head = 2 * d * Double(c.vocabularySize) * n
    }
}

/// The benchmark's fixed tokens: a multilingual paragraph, tokenized and repeated to the length asked.
enum BenchTokens {
    static let text = """
    The weather was warm, so we walked to the market and bought bread, cheese and fresh fruit. \
    El tiempo era cálido, así que fuimos al mercado. Le temps était doux et nous avons marché jusqu'au marché. \
    Das Wetter war warm, also gingen wir zum Markt. 天气很暖和，所以我们走路去市场买了面包和水果。 \
    天気が良かったので、私たちは市場まで歩きました。 Погода была тёплой, и мы пошли на рынок пешком. 
    """

    static func make(count: Int, tokenizer: Tokenizer) throws -> [Int] {
        let ids = tokenizer.encode(text)
        guard !ids.isEmpty, count > 0 else { throw CLIError("--tokens must be positive") }
        var out: [Int] = []
        while out.count < count { out += ids }
        return Array(out.prefix(count))
    }
}
