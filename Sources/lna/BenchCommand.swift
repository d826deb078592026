import ArgumentParser
import Foundation
import LNAData
import LNAHooks
import LNAModels
import LNARecording
import LNATensor

/// `lna bench MODEL`: tokens/s of activation recording (no LM head), of the forward with logits at every
/// position, GFLOP/s of the MLP products inside the forward, and the process's peak resident memory — on one
/// long sequence or on many short SIB-200 sentences (packed as `lna activation` packs them, and one by one).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure recording and scoring tokens/s, MLP GFLOP/s and peak memory on fixed tokens.",
        discussion: """
            One long sequence:   lna bench gemma3-270m --tokens 512
            SIB-200 sentences:   lna bench gemma3-270m --sib200 shared/datasets/sib200 --lang eng_Latn --sentences 256
            Peak memory of one configuration (a fresh process each): lna bench smollm2-135m --only logits --json
            scripts/compare-llamacpp.sh and scripts/compare-llamacpp-sentences.sh time llama.cpp on the same tokens.
            """)
    @Argument(help: "A .gguf file, a Hugging Face directory, or a known model name.") var model: String
    @OptionGroup var precisionOption: PrecisionOption
    @Option(help: "Tokens in the single sequence (without --sib200 / --token-lists).") var tokens = 512
    @Option(help: "SIB-200 folder: time its sentences as many short sequences.") var sib200: String?
    @Option(help: "SIB-200 language folder (with --sib200).") var lang = "eng_Latn"
    @Option(help: "SIB-200 split (with --sib200): train, dev, test.") var split = "train"
    @Option(help: "How many sentences, from the start of the file (with --sib200).") var sentences = 256
    @Option(help: "A JSON file of token lists ([[ids], …]) to time as many sequences.") var tokenLists: String?
    @Option(help: "Rows per packed forward call for many sequences (as lna activation --batch-tokens).")
    var batchTokens = RecordingSettings().batchTokens
    @Option(help: "For many sequences: packed, single (one sequence per forward call) or both.")
    var packing: BenchPacking = .both
    @Option(help: "Run only these measurements (repeatable): prefill, recording, logits, nll, mlp. Default: all.")
    var only: [BenchMode] = []
    @Option(help: "Timed repetitions (the best is reported).") var repeats = 3
    @Option(help: "This machine's theoretical fp32 peak in GFLOP/s, to report against (scripts/dev/cpu-peak.sh).")
    var theoreticalPeak: Double?
    @Flag(help: "Skip measuring the own-kernel GEMM peak and the isolated MLP products.") var noPeak = false
    @Flag(help: "Kept for old command lines: recording is timed by default.") var recording = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Write the token ids as JSON (one sequence: [ids]; many: [[ids], …]) for the comparison scripts.")
    var tokensOut: String?

    func run() throws {
        guard repeats >= 1 else { throw CLIError("--repeats \(repeats): expected ≥ 1") }
        guard batchTokens >= 1 else { throw CLIError("--batch-tokens \(batchTokens): expected ≥ 1") }
        let m = try CLI.loadModel(model, quiet: json, precision: precisionOption.precision)
        let workload = try makeWorkload(m)
        if let tokensOut { try workload.writeTokenLists(to: URL(fileURLWithPath: tokensOut)) }
        let modes = only.isEmpty ? BenchMode.allCases : BenchMode.allCases.filter(only.contains)
        let packings: [BenchPacking] = workload.isSingleSequence ? [.packed]
            : packing == .both ? [.packed, .single] : [packing]
        let runner = BenchRunner(model: m, workload: workload, batchTokens: batchTokens, repeats: repeats)

        var results: [BenchResult] = []
        var mlp: [BenchMLPResult] = []
        for mode in modes {
            for p in packings {
                if mode == .mlp { mlp.append(try runner.timeMLP(packing: p)) } else { results.append(try runner.time(mode, packing: p)) }
            }
        }
        // Read before the GEMM benchmarks below allocate their own matrices.
        let resident = peakResidentBytes()
        let residentNow = ResidentBreakdown.current()
        let peak = noPeak ? nil : machinePeakGFLOPS()
        if !noPeak { mlp = mlp.map { runner.addIsolatedProducts(to: $0) } }

        let size = ModelSize(config: m.config)
        let report = BenchReport(
            model: m.name, workload: workload.label, sequences: workload.sequences.count, tokens: workload.tokenCount,
            threads: ComputePool.shared.threadCount, kernels: KernelSet.summary,
            precision: m.precision.rawValue, peakGFLOPS: peak, theoreticalPeakGFLOPS: theoreticalPeak,
            parameters: size.parameters, weightBytesF32: size.float32Bytes, peakResidentBytes: resident,
            residentAtEnd: residentNow,
            residentOverWeights: Double(resident) / Double(size.float32Bytes), results: results, mlp: mlp)
        print(json ? try CLI.json(report) : report.text(repeats: repeats))
    }

    private func makeWorkload(_ m: Model) throws -> BenchWorkload {
        if let tokenLists { return try BenchWorkload.tokenLists(file: tokenLists) }
        if let sib200 {
            let split: DatasetSplit
            do { split = try DatasetSplit.named(self.split) } catch { throw CLIError("--split \(self.split): \(error)") }
            return try BenchWorkload.sib200(path: sib200, language: lang, split: split, count: sentences,
                                            tokenizer: m.tokenizer)
        }
        return try BenchWorkload.long(count: tokens, tokenizer: m.tokenizer)
    }
}

/// What one timed run does.
enum BenchMode: String, CaseIterable, Codable, ExpressibleByArgument {
    /// The forward without the LM head, no hooks.
    case prefill
    /// The forward without the LM head with `lna activation`'s counters (act > 0 counts and sums) on every
    /// `mlp.hook_act`.
    case recording
    /// The forward with logits at every position, streamed in chunks of 32 rows (`LogitsRequest.stream`).
    case logits
    /// What perplexity grids run: the LM head fused with the log-softmax (`Model.scoreRows`), no logits in memory.
    case nll
    /// The forward without the LM head, with the MLP products timed from the hooks around them.
    case mlp

    var label: String {
        switch self {
        case .prefill: "prefill, no LM head"
        case .recording: "recording (mlp.hook_act counters)"
        case .logits: "logits at every position"
        case .nll: "NLL of every position (fused head)"
        case .mlp: "MLP products"
        }
    }
}

/// How many sequences go into one forward call.
enum BenchPacking: String, CaseIterable, Codable, ExpressibleByArgument {
    /// As `lna activation`: greedy up to `--batch-tokens` rows per call (a single sequence is one call).
    case packed
    /// One sequence per forward call.
    case single
    /// Both (the command line's default for many sequences).
    case both
}

/// Runs and times the forward calls of one workload.
struct BenchRunner {
    let model: Model
    let workload: BenchWorkload
    let batchTokens: Int
    let repeats: Int

    /// The sequence index ranges of each forward call.
    func calls(_ packing: BenchPacking) -> [Range<Int>] {
        packing == .single ? workload.sequences.indices.map { $0..<($0 + 1) }
            : workload.packedBatches(batchTokens: batchTokens)
    }

    func time(_ mode: BenchMode, packing: BenchPacking) throws -> BenchResult {
        let c = model.config
        let hooks = HookSet(layerCount: c.layerCount)
        let counter = NeuronCounter(layers: c.layerCount, width: c.intermediateSize, recordsPrefix: false,
                                    recordsSums: true)
        if mode == .recording { try counter.attach(to: hooks, site: "blocks.*.mlp.hook_act") }
        let calls = calls(packing)
        let call = { (range: Range<Int>) throws in
            let sequences = self.workload.sequences[range]
            switch mode {
            case .prefill, .mlp: _ = try model.forward(TokenBatch(Array(sequences)), logits: .none)
            case .recording:
                counter.begin(sequences.map { RecordingSequence(tokens: $0) })
                _ = try model.forward(TokenBatch(Array(sequences)), hooks: hooks, logits: .none)
            case .logits: _ = try model.forward(TokenBatch(Array(sequences)), logits: .stream(chunkRows: 32) { _ in })
            case .nll:
                let nextTokens = sequences.flatMap { Array($0.dropFirst()) + [-1] }
                _ = try model.scoreRows(TokenBatch(Array(sequences)), nextTokens: nextTokens)
            }
        }
        let seconds = try best { for r in calls { try call(r) } } warmUp: { try call(calls[0]) }
        let flops = FlopCount(config: c, sequenceLengths: workload.sequences.map { $0.count })
        let total: Double = mode == .logits || mode == .nll ? flops.body + flops.head : flops.body
        let tokensPerSecond = Double(workload.tokenCount) / seconds
        return BenchResult(mode: mode, packing: packing, what: mode.label, forwardCalls: calls.count,
                           seconds: seconds, tokensPerSecond: tokensPerSecond, gflops: total / seconds / 1e9)
    }

    /// The forward without LM head with the MLP products timed inside it; best repetition of each part.
    func timeMLP(packing: BenchPacking) throws -> BenchMLPResult {
        let hooks = HookSet(layerCount: model.config.layerCount)
        let timer = try MLPProductTimer(hooks: hooks)
        let calls = calls(packing)
        let call = { (range: Range<Int>) throws in
            _ = try model.forward(TokenBatch(Array(self.workload.sequences[range])), hooks: hooks, logits: .none)
        }
        try call(calls[0])
        var forward = Double.infinity, gateUp = Double.infinity, down = Double.infinity
        var gateUpCPU = Double.infinity, downCPU = Double.infinity
        for _ in 0..<repeats {
            timer.reset()
            let start = MLPProductTimer.now()
            for r in calls { try call(r) }
            forward = min(forward, MLPProductTimer.now() - start)
            gateUp = min(gateUp, timer.gateUpSeconds)
            down = min(down, timer.downSeconds)
            gateUpCPU = min(gateUpCPU, timer.gateUpCPUSeconds)
            downCPU = min(downCPU, timer.downCPUSeconds)
        }
        let flops = FlopCount(config: model.config, sequenceLengths: workload.sequences.map { $0.count })
        let rows = calls.map { r in workload.sequences[r].reduce(0) { $0 + $1.count } }
        return BenchMLPResult(
            packing: packing, forwardCalls: calls.count, meanRowsPerCall: Double(rows.reduce(0, +)) / Double(rows.count),
            forwardSeconds: forward, gateUpSeconds: gateUp, gateUpGFLOPS: flops.mlpGateUp / gateUp / 1e9,
            downSeconds: down, downGFLOPS: flops.mlpDown / down / 1e9,
            gateUpGFLOPSPerCPUSecond: flops.mlpGateUp / gateUpCPU / 1e9, downGFLOPSPerCPUSecond: flops.mlpDown / downCPU / 1e9,
            mlpShareOfForward: (gateUp + down) / forward, isolatedRows: nil, isolatedGateUpGFLOPS: nil,
            isolatedDownGFLOPS: nil)
    }

    /// Adds `GEMMBenchmark` figures for the same products on random weights at the mean rows per call.
    func addIsolatedProducts(to result: BenchMLPResult) -> BenchMLPResult {
        let c = model.config
        let rows = max(1, Int(result.meanRowsPerCall.rounded()))
        var r = result
        r.isolatedRows = rows
        r.isolatedGateUpGFLOPS = GEMMBenchmark.run(m: rows, n: 2 * c.intermediateSize, k: c.hiddenSize, backend: .own)
        r.isolatedDownGFLOPS = GEMMBenchmark.run(m: rows, n: c.hiddenSize, k: c.intermediateSize, backend: .own)
        return r
    }

    /// The fastest of `repeats` runs of `body`, after `warmUp` (weight packing, page faults, RoPE tables).
    private func best(_ body: () throws -> Void, warmUp: () throws -> Void) throws -> Double {
        try warmUp()
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = MLPProductTimer.now()
            try body()
            best = min(best, MLPProductTimer.now() - start)
        }
        return best
    }
}
