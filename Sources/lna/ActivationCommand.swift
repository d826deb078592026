import ArgumentParser
import Foundation
import LNAAnalysis
import LNAData
import LNAFiles
import LNAModels
import LNARecording

/// `lna activation`: per-language neuron statistics of a model over a dataset (the NJUNLP/Tang recording),
/// packed, exact, shardable and resumable.
struct ActivationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activation",
        abstract: "Record per-language neuron statistics (over_zero, total_tokens, sum_act; prefix_* for instruction data).",
        discussion: """
            Writes <out>/<lang>.safetensors per language (with --shard i/n: <lang>.shard-<i>-of-<n>.safetensors; \
            sum the shards with `lna merge`). NJUNLP files (instruction + answers, e.g. from `lna respond`) give \
            full and prefix statistics in one pass. A killed run continues with --resume and ends with exactly the \
            statistics of an uninterrupted run.
            Examples:
              lna activation --model gemma3-270m -l all -d shared/datasets/sib200 --out runs/x/activations
              lna activation --model gemma3-270m -l en -d mgsm-answers.json -s mgsm --shard 0/4 --resume
            """)

    @OptionGroup var modelOption: ModelOption
    @OptionGroup var languagesOption: LanguagesOption
    @OptionGroup var dataOption: DataOption
    @OptionGroup var saveTagOption: SaveTagOption
    @Option(help: "Dataset format when it cannot be detected: sib200, mgsm, msvamp, njunlp, text, jsonl:<field>.")
    var format: String?
    @Option(help: "Split of SIB-200 / the built-in corpus: train, dev, test, all.")
    var split: String = "train"
    @Option(help: "Hook site to count (one point per layer); blocks.*.mlp.experts.hook_act: the routed experts' neurons (layer, expert, j), counted over the tokens routed to each expert.")
    var site: String = "blocks.*.mlp.hook_act"
    @Option(name: .customLong("out"), help: "Output folder (default: activations/TAG with -s TAG, else activations).")
    var outOption: String?
    @Option(name: .customLong("max-len"), help: "Texts are truncated to this many tokens (and counted).")
    var maxLength: Int = 4096
    @Option(help: "Rows per forward call when packing texts.")
    var batchTokens: Int = 2048
    @Flag(help: "Record instruction prefixes in their own sequences (the original's separate run) instead of reading them from the full texts.")
    var twoPass = false
    @Option(help: "Process slice i of n (0-based): lna activation --shard $SLURM_ARRAY_TASK_ID/N.")
    var shard: String?
    @Flag(help: "Continue from <out>/<lang>.safetensors.partial; skip languages already finished with the same settings.")
    var resume = false
    @Option(help: "Write a checkpoint every N forward calls (0: never).")
    var checkpointEvery: Int = 16
    @Flag(help: "Do not record sum_act.")
    var noSums = false
    @Option(help: "Also keep the K largest activations of every neuron with their tokens, in <lang>.top-contexts.safetensors beside the statistics (the contexts of `lna neuron` cards).")
    var topContexts: Int = 0
    @Option(help: "Pre-tokenised input instead of -d: one sequence of space-separated token ids per line (one language).")
    var tokensFile: String?
    @Option(help: "Testing aid: stop after N forward calls, leaving a checkpoint.")
    var stopAfter: Int?
    @Flag(help: "No progress bar.")
    var quiet = false
    @OptionGroup var limitOption: LimitOption
    @Option(help: "How to keep layer weights: auto, resident (float32), bf16 (bf16 checkpoints), streamed (a layer at a time from the file). Default: $LNA_WEIGHTS or auto.")
    var weights: String?

    var model: String { modelOption.model }
    var data: String { dataOption.data ?? BuiltinCorpus.name }
    var datasetName: String? { saveTagOption.saveTag }
    var maxTexts: Int? { limitOption.limit }
    var out: String { outOption ?? saveTagOption.path("activations", else: "activations")! }
    var lang: String { languagesOption.languages ?? "all" }

    func validate() throws {
        guard languagesOption.languages != nil else {
            throw ValidationError("missing -l/--languages: the languages to record (such as en,fr), or `all`")
        }
        _ = try languagesOption.list()
        guard maxLength >= 1 else { throw ValidationError("--max-len \(maxLength): expected ≥ 1") }
        guard batchTokens >= 1 else { throw ValidationError("--batch-tokens \(batchTokens): expected ≥ 1") }
        guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every \(checkpointEvery): expected ≥ 0 (0: never)") }
        guard (0...TopContexts.maxK).contains(topContexts) else {
            throw ValidationError("--top-contexts \(topContexts): expected 0 (off) to \(TopContexts.maxK)")
        }
    }

    func run() throws {
        var settings = RecordingSettings()
        settings.site = site
        settings.maxLength = maxLength
        settings.batchTokens = batchTokens
        settings.checkpointEvery = checkpointEvery
        settings.recordsSums = !noSums
        settings.topContexts = topContexts
        if let shard { settings.shard = try Shard(parsing: shard) }
        try settings.validate()

        let m = try CLI.loadModel(model, quiet: quiet, weights: weights)
        let hashStart = Date()
        let sha = try ModelDigest.sha256(of: m.url)
        if !quiet && Date().timeIntervalSince(hashStart) > 0.5 {
            CLI.printError(String(format: "sha256 %@… (%.1f s, cached for next time)", String(sha.prefix(12)), Date().timeIntervalSince(hashStart)))
        }
        let recorder = ActivationRecorder(model: m, modelSHA256: sha, tool: "lna \(LNAVersion.string) activation")
        let jobs = try loadJobs(model: m, settings: settings)
        let outDir = URL(fileURLWithPath: out)
        var totalTokens = 0
        var totalSeconds = 0.0
        // Tokens of every language (the whole input; a shard does its share), for the ETA of the whole command.
        var clock = ProgressClock(total: jobs.reduce(0) { $0 + $1.input.tokenCount / settings.shard.count }, unit: "tok")
        for (index, job) in jobs.enumerated() {
            let output = outDir.appendingPathComponent(fileName(job.language, settings.shard))
            let bar = ProgressPrinter(enabled: !quiet)
            let before = clock
            let result = try recorder.record(job.input, language: job.language, dataset: job.dataset, settings: settings,
                                             output: output, resume: resume, extraMetadata: job.extra,
                                             stopAfterBatches: stopAfter) { progress in
                var overall = before
                overall.restore(progress.tokensDone - progress.tokensThisRun)
                overall.advance(by: progress.tokensThisRun)
                bar.update(progress, suffix: jobs.count > 1 ? "  [language \(index + 1)/\(jobs.count); all: \(overall.summaryWithoutRate)]" : "")
            }
            bar.finish()
            clock.restore(max(job.input.tokenCount / settings.shard.count - result.tokensThisRun, 0))
            clock.advance(by: result.tokensThisRun)
            totalTokens += result.tokensThisRun
            totalSeconds += result.seconds
            let stats = result.statistics
            let scope = settings.shard.count > 1 ? "shard \(settings.shard) of \(job.input.textCount) texts" : "\(job.input.textCount) texts"
            var line = "\(job.language): \(scope), \(stats.full.totalTokens) tokens"
            if let p = stats.prefix { line += ", prefix \(p.totalTokens) tokens" }
            if job.input.truncated > 0 { line += ", \(job.input.truncated) truncated at \(maxLength)" }
            if job.input.boundaryMerged > 0 { line += ", \(job.input.boundaryMerged) boundary-merged" }
            if result.alreadyComplete { line += " (already complete)" }
            else if result.batchesRestored > 0 { line += " (resumed after \(result.batchesRestored) batches)" }
            if let stop = stopAfter, result.batchesRun >= stop,
               !FileManager.default.fileExists(atPath: output.path) {
                print("\(job.language): stopped after \(result.batchesRun) batches; checkpoint \(ActivationRecorder.checkpointURL(for: output).path)")
                return
            }
            if settings.topContexts > 0 { line += ", top \(settings.topContexts) contexts in \(TopContextsFile.sidecar(of: output).lastPathComponent)" }
            print("\(line) → \(output.path)")
            fflush(nil)   // one line per language as it finishes, also when stdout is a file
        }
        if jobs.count > 1 && totalSeconds > 0 && !quiet {
            CLI.printError(String(format: "%d languages, %d tokens in %.1f s (%.0f tokens/s)", jobs.count, totalTokens,
                                  totalSeconds, Double(totalTokens) / totalSeconds))
        }
    }

    struct Job {
        var language: String
        var dataset: String
        var input: RecordingInput
        var extra: [String: String]
    }

    func fileName(_ language: String, _ shard: Shard) -> String {
        shard.fileName(language, extension: "safetensors")
    }

    func loadJobs(model: Model, settings: RecordingSettings) throws -> [Job] {
        if let tokensFile {
            guard lang != "all", !lang.contains(",") else {
                throw ValidationError("--tokens-file holds one language; give it with -l LANG")
            }
            let language = (try? Language.resolve(lang).code) ?? lang
            let sequences = try readTokenLines(tokensFile)
            let name = datasetName ?? URL(fileURLWithPath: tokensFile).deletingPathExtension().lastPathComponent
            return [Job(language: language, dataset: name,
                        input: .tokenSequences(sequences, maxLength: settings.maxLength), extra: ["mode": "token-ids"])]
        }
        let actual = try DatasetFormat.of(path: data, named: format)
        let isBuiltin = actual == nil
        let splitValue = try DatasetSplit.named(split)
        let usesSplit = actual?.hasSplits ?? true   // the built-in corpus has splits
        let languages = lang.lowercased() == "all" ? nil : lang.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        var sets = try Dataset.load(path: data, format: actual, languages: languages, split: usesSplit ? splitValue : nil)
        if let maxTexts {
            for i in sets.indices {
                sets[i].texts = Array(sets[i].texts.prefix(maxTexts))
                sets[i].examples = Array(sets[i].examples.prefix(maxTexts))
            }
        }
        let instructionData = actual == .njunlp
        let defaultName: String = {
            let base = isBuiltin ? BuiltinCorpus.name : URL(fileURLWithPath: data).deletingPathExtension().lastPathComponent
            return usesSplit && splitValue != .all ? "\(base)-\(splitValue.rawValue)" : base
        }()
        let tokenizer = model.tokenizer
        var mode = instructionData ? (twoPass ? "two-pass" : "one-pass") : "texts"
        if !instructionData && twoPass { mode = "texts" }
        return try sets.map { entry in
            let input = RecordingInput.prepare(entry, instructionData: instructionData, maxLength: settings.maxLength,
                                               twoPass: twoPass) { tokenizer.encode($0) }
            guard !input.sequences.isEmpty else {
                throw CLIError("\(data): language \(entry.language.code) has no texts that encode to tokens (\(entry.texts.count) texts; is the model's tokenizer available?)")
            }
            return Job(language: entry.language.code, dataset: datasetName ?? defaultName, input: input,
                       extra: ["mode": mode, "data_file": URL(fileURLWithPath: data).lastPathComponent])
        }
    }

    func readTokenLines(_ path: String) throws -> [[Int]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError("\(path): cannot read the tokens file")
        }
        var result: [[Int]] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: " ")
            if fields.isEmpty { continue }
            var ids: [Int] = []
            for field in fields {
                guard let id = Int(field), id >= 0 else {
                    throw CLIError("\(path):\(n + 1): \"\(field)\" is not a token id; expected space-separated non-negative integers")
                }
                ids.append(id)
            }
            result.append(ids)
        }
        return result
    }
}

/// A one-line progress bar on standard error: redrawn in place on a terminal, a line every 10 s otherwise.
final class ProgressPrinter {
    private let enabled: Bool
    private let terminal = isatty(2) == 1
    private var lastPrint = Date.distantPast
    private var last: RecordingProgress?
    private var suffix = ""

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: RecordingProgress, suffix: String = "") {
        guard enabled else { return }
        last = progress
        self.suffix = suffix
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= (terminal ? 0.2 : 10) else { return }
        lastPrint = now
        draw(progress)
    }

    func finish() {
        guard enabled, let last else { return }
        draw(last)
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func draw(_ progress: RecordingProgress) {
        let line = progress.line + suffix
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }
}
