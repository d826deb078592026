import ArgumentParser
import LNAEval
import Foundation
import LNAData
import LNAModels
import LNAFiles

/// `lna run`: the whole pipeline on one model and one corpus, ending in an HTML report.
///
/// Each stage is one of lna's own commands, run in-process with the arguments it prints, so every result can be
/// reproduced (or redone with other settings) stage by stage; `--slurm` hands the same stages to `SlurmPipeline`. Stages whose outputs exist are skipped; the
/// recording and perplexity stages resume from their checkpoints, so a killed run continues where it stopped.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The whole pipeline: record activations, AutoSweep + identify, figures, perplexity grid, language experts (mixtures of experts), report.",
        discussion: """
        Defaults: Gemma-3-270M, the built-in parallel corpus (train split for recording, held-out split for \
        perplexity) and the paper's ten languages. With -d pointing at a SIB-200 folder it records on train and \
        evaluates on dev+test. With --slurm the same stages become chained Slurm jobs (recording and both grids as \
        job arrays), written to OUT/slurm/ and submitted when sbatch is on PATH (docs/scaling-out.md). On a mixture \
        of experts without a dense MLP (Mixtral) the neurons are the routed experts' (blocks.*.mlp.experts.hook_act), \
        and every model with experts also gets `lna experts` (OUT/experts/).
        """)

    @Option(name: [.customShort("m"), .long], help: "A .gguf file, a Hugging Face directory, or a known model name.")
    var model = "gemma3-270m"
    @Option(name: [.customShort("d"), .customLong("data")], help: "`builtin` or a SIB-200 folder.")
    var data = "builtin"
    @Option(name: [.customShort("l"), .customLong("languages")], help: "Languages, comma-separated.")
    var languages = "en,zh,es,fr,de,ja,ru,bn,th,sw"
    @Option(help: "Run directory (default: runs/<model>-<data>).") var out: String?
    @Option(name: [.customShort("r"), .customLong("top-rate")], help: "Share of neurons kept (NJUNLP -r).")
    var topRate = 0.01
    @Option(name: [.customShort("b"), .customLong("bar")], help: "Activation bar (NJUNLP -b).") var bar = 0.95
    @OptionGroup(title: "AutoSweep") var sweepOptions: SweepOptions
    @Option(name: [.customLong("limit"), .customLong("ppl-limit")], help: "Texts per language in the perplexity grid (default: all held-out texts).")
    var pplLimit: Int?
    @Flag(inversion: .prefixedNo, help: "Run the steering grid (English prompts, every language as target).")
    var steering = true
    @Option(help: "Prompts per source language in the steering grid.") var steeringPrompts = 6
    @Option(help: "Also evaluate a task under deactivation of each language's specific neurons (repeatable): sib200-topic, mgsm, msvamp, translate.")
    var eval: [String] = []
    @Option(help: "Items per language in the evaluation grids.") var evalLimit = 20
    @Option(help: "Few-shot examples per evaluation prompt (the same for every item); default per task: 0 for sib200-topic, 1 for translate, 3 for mgsm and msvamp.")
    var evalShots: Int?
    @Option(help: "Rows per forward call of the recording (lna activation --batch-tokens): a recording shard is a run of whole calls.")
    var batchTokens = 2048
    @OptionGroup(title: "Slurm (write and submit the run as chained jobs instead of running it here)") var slurm: SlurmOptions

    func validate() throws {
        _ = try CLI.languageList(languages, flag: "-l/--languages")
        guard topRate.isFinite, topRate > 0, topRate <= 1 else { throw ValidationError("-r/--top-rate \(topRate): expected a fraction in (0, 1]") }
        guard bar.isFinite, bar > 0, bar < 1 else { throw ValidationError("-b/--bar \(bar): expected a quantile in (0, 1)") }
        if let pplLimit, pplLimit < 1 { throw ValidationError("--limit \(pplLimit): expected ≥ 1") }
        guard batchTokens >= 1 else { throw ValidationError("--batch-tokens \(batchTokens): expected ≥ 1") }
        guard steeringPrompts >= 1 else { throw ValidationError("--steering-prompts \(steeringPrompts): expected ≥ 1") }
        guard evalLimit >= 1 else { throw ValidationError("--eval-limit \(evalLimit): expected ≥ 1") }
        if let evalShots, evalShots < 0 { throw ValidationError("--eval-shots \(evalShots): expected ≥ 0") }
        for task in eval { _ = try EvalTaskKind(name: task) }
        try slurm.validate()
    }

    func run() throws {
        // Absolute: with --slurm the stages run later, from job scripts.
        let runDirectory = URL(fileURLWithPath: CLI.absolutePath(out ?? defaultDirectory()))
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        try ensureModel()
        try writeSettings(runDirectory)
        let stages = try plan(runDirectory)
        if slurm.enabled {
            try SlurmPipeline(options: slurm, runDirectory: runDirectory).write(stages)
            return
        }
        let start = Date()
        for (index, stage) in stages.enumerated() {
            if stage.isDone() {
                CLI.printError("[\(index + 1)/\(stages.count)] \(stage.name): done already")
                continue
            }
            CLI.printError("[\(index + 1)/\(stages.count)] \(stage.name): lna \(stage.arguments.joined(separator: " "))")
            let stageStart = Date()
            var command = try LNA.parseAsRoot(stage.arguments)
            try command.run()
            CLI.printError(String(format: "[%d/%d] %@: %.1f s", index + 1, stages.count, stage.name, Date().timeIntervalSince(stageStart)))
        }
        print(String(format: "done in %.0f s. Report: %@", Date().timeIntervalSince(start),
                     runDirectory.appendingPathComponent("report.html").path))
    }

    /// One step of the pipeline: a command line of lna and the file that shows it finished (nil: always run).
    struct Stage {
        /// What the stage does, for `--slurm`, which shards some kinds of stage into job arrays.
        enum Kind: Equatable { case record, identify, figures, perplexity, experts, steering, evaluation(String), report }
        let kind: Kind
        let name: String
        let arguments: [String]
        let output: URL?
        func isDone() -> Bool { output.map { FileManager.default.fileExists(atPath: $0.path) } ?? false }
    }

    /// Fetches a known model that is missing (the same as `lna models fetch NAME`).
    func ensureModel() throws {
        guard (try? ModelLocator.resolve(model)) == nil, ModelLocator.known.contains(where: { $0.name == model }) else { return }
        CLI.printError("[setup] fetching \(model)")
        var fetch = try LNA.parseAsRoot(["models", "fetch", model])
        try fetch.run()
    }

    /// run.json: what this run is, for the report and for a later `lna run` in the same directory. A directory
    /// made with other settings is refused rather than mixed.
    func writeSettings(_ dir: URL) throws {
        let settings: [String: String] = [
            "name": dir.lastPathComponent, "model": model, "data": data, "languages": languages,
            "top_rate": String(topRate), "bar": String(bar), "method": "njunlp (AutoSweep λ)",
            "lambda_bracket": "[\(sweepOptions.lo), \(sweepOptions.hi)] eps \(sweepOptions.eps)\(sweepOptions.noWiden ? ", fixed" : ", widened while ok")", "steering": steering ? "yes" : "no",
            "ppl_limit": pplLimit.map(String.init) ?? "all", "lna_version": LNAVersion.string,
            "batch_tokens": String(batchTokens),
        ]
        let url = dir.appendingPathComponent("run.json")
        if let data = FileManager.default.contents(atPath: url.path),
           let old = try? JSONSerialization.jsonObject(with: data) as? [String: String] {
            // Settings that change a stage's output; a changed one would silently mix results.
            let keys = ["model", "data", "languages", "top_rate", "ppl_limit", "bar", "lambda_bracket", "batch_tokens"]
            // Keys missing from an older run.json were the defaults of their time: not a change.
            if let changed = keys.first(where: { old[$0] != nil && old[$0] != settings[$0] }) {
                throw CLIError("\(url.path) was made with \(changed) = \(old[changed] ?? "?"), not \(settings[changed] ?? "?"); use another --out or delete the directory")
            }
        }
        let json = try JSONSerialization.data(withJSONObject: settings, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(json, to: url)
    }

    func defaultDirectory() -> String {
        let dataName = data == "builtin" ? "builtin" : URL(fileURLWithPath: data).lastPathComponent
        return "runs/\(model.replacingOccurrences(of: "/", with: "_"))-\(dataName)"
    }

    /// The neuron site a run records: the MLP's `mlp.hook_act`, or the routed experts' neurons in a mixture of
    /// experts without a dense MLP (Mixtral). Qwen2-MoE records its shared expert (every statistics file of a
    /// model with experts carries the routing counts `lna experts` reads either way).
    static func recordedSite(_ config: ModelConfig) -> String {
        if case let .experts(e) = config.block.mlp, !e.sharedExpert, e.denseLayers.isEmpty { return "blocks.*.mlp.experts.hook_act" }
        return "blocks.*.mlp.hook_act"
    }

    func plan(_ dir: URL) throws -> [Stage] {
        let path = dir.path
        let languageList = languages.split(separator: ",").map(String.init)
        let activations = dir.appendingPathComponent("activations")
        let lastActivation = activations.appendingPathComponent("\(languageList.last ?? "en").safetensors")
        let config = try ModelInfo.config(of: model)
        var stages = [
            Stage(kind: .record, name: "record activations", arguments: ["activation", "-m", model, "-l", languages, "-d", data,
                                                          "--site", Self.recordedSite(config),
                                                          "--split", "train", "--batch-tokens", String(batchTokens), "--out", activations.path, "--resume"],
                  output: lastActivation),
            Stage(kind: .identify, name: "AutoSweep λ and identify", arguments: ["autosweep", "--activations", activations.path,
                                                                "-r", String(topRate), "-b", String(bar)] + sweepOptions.arguments + ["--out", path],
                  output: dir.appendingPathComponent("masks.json")),
            // Cheap, and a killed figures stage would leave a folder that looks finished: always redraw.
            Stage(kind: .figures, name: "figures", arguments: ["figures", path], output: nil),
        ]
        var ppl = ["ppl", "--model", model, "--masks", dir.appendingPathComponent("masks.json").path, "-d", data,
                   "--out", dir.appendingPathComponent("ppl").path]
        if let pplLimit { ppl += ["--limit", String(pplLimit)] }
        stages.append(Stage(kind: .perplexity, name: "perplexity grid", arguments: ppl,
                            output: dir.appendingPathComponent("ppl/ppl.json")))
        if config.expertCount > 0 {
            // Language experts from the routing counts, and the grid removing each language's top expert per layer.
            var experts = ["experts", "--activations", activations.path, "-l", languages, "-m", model, "-d", data,
                           "--top-experts", "1", "--out", dir.appendingPathComponent("experts").path]
            if let pplLimit { experts += ["--limit", String(pplLimit)] }
            stages.append(Stage(kind: .experts, name: "language experts and expert-removal grid", arguments: experts,
                                output: dir.appendingPathComponent("experts/ppl.json")))
        }
        if steering {
            stages.append(Stage(
                kind: .steering, name: "steering grid (English prompts)",
                arguments: ["steer-grid", "--model", model, "--masks", dir.appendingPathComponent("masks.json").path,
                            "--stats", activations.path, "--languages", languages, "--sources", "en",
                            "--prompts-per-language", String(steeringPrompts), "--out", path],
                output: dir.appendingPathComponent("steering/grid.json")))
        }
        for task in eval {
            let kind = try EvalTaskKind(name: task)
            // Translation columns are the non-English languages (en→X).
            let columns = kind == .translate ? languageList.filter { $0 != "en" } : languageList
            var arguments = ["eval", "-m", model, "--task", kind.rawValue, "-l", columns.joined(separator: ","),
                             "--masks", dir.appendingPathComponent("masks.json").path, "--deactivate", "all",
                             "--classes", "specific", "--shots", String(evalShots ?? Self.defaultShots(kind)), "--fixed-shots",
                             "--limit", String(evalLimit), "--out", dir.appendingPathComponent("eval-\(kind.rawValue)").path]
            if kind.datasetFolder == "sib200", data != "builtin" { arguments += ["-d", data] }
            stages.append(Stage(kind: .evaluation(kind.rawValue), name: "evaluation (\(kind.rawValue))", arguments: arguments,
                                output: dir.appendingPathComponent("eval-\(kind.rawValue)/eval.json")))
        }
        // The report is cheap and reflects every stage: always rebuild it.
        stages.append(Stage(kind: .report, name: "report", arguments: ["report", path], output: nil))
        return stages
    }

    /// Shots when `--eval-shots` is not given. SIB-200 topics are 0-shot: with 3 fixed shots Gemma-3-270M answers
    /// the last shot's label for 49 of 50 items (docs/eval.md), and the instruction alone names the labels.
    static func defaultShots(_ task: EvalTaskKind) -> Int {
        switch task {
        case .sib200Topic: 0
        case .translate: 1
        case .mgsm, .msvamp: 3
        }
    }
}
