import ArgumentParser
import Foundation
import LNAAnalysis
import LNAData
import LNAEval
import LNAModels
import LNAPerplexity
import LNAPipeline
import LNASteering

/// `lna eval`: task accuracy (SIB-200 topics, MGSM, MSVAMP) and translation chrF under deactivation or steering,
/// as a grid of interventions × languages with bootstrap intervals (eval.json, eval.png/.svg).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Task accuracy and translation chrF per language, with language neurons deactivated or steered.",
        discussion: """
        Tasks: sib200-topic (7 topics, log-likelihood of each label: acc and acc_norm), mgsm and msvamp (greedy, \
        numeric answer, --cot for "Step-by-Step Answer:"), translate (SIB-200/FLORES, --direction en-x or x-en: \
        chrF, chrF++ and the share of outputs in the target language). Rows: "none" (the unmodified model), then \
        one row per --deactivate language and --classes value (as `lna ppl`), then one per --steer plan \
        (en-1,fr+mean; {lang} stands for the column's language). Items are checkpointed in \
        OUT/eval.checkpoint.json: run the same command again to resume.
        Example: lna eval -m gemma3-270m --task sib200-topic -l en,fr,zh --masks runs/g/masks.json \\
                 --deactivate en,fr,zh --classes specific --shots 3 --limit 50 --out runs/g/eval-topic
        """)

    @OptionGroup var modelOption: ModelOption
    @Option(help: "sib200-topic | mgsm | msvamp | translate.") var task: String
    @OptionGroup(title: "Column languages (default, and `all`: the paper's ten, en,zh,es,fr,de,ja,ru,bn,th,sw)")
    var languagesOption: LanguagesOption
    // Its own -d/--data rather than DataOption: a task reads its dataset folder, never the built-in corpus.
    @Option(name: [.customShort("d"), .customLong("data")],
            help: "The task's dataset folder: SIB-200, MGSM or MSVAMP (default: the task's folder in $LNA_SHARED_DIR/datasets, else ../shared/datasets; not `builtin`).")
    var data: String?
    @Option(help: "masks.json, masks.safetensors, an original mask file, or a run directory (for --deactivate and --steer).")
    var masks: String?
    @Option(help: "Languages whose neurons are switched off, one row each (comma-separated; 'all' = every column language).")
    var deactivate: String?
    @Option(help: "Which mask neurons to switch off, comma-separated for several rows per language: specific, specific+related, all.")
    var classes = "all"
    @Option(help: "Value the deactivated neurons are set to.") var value: Float = 0
    @Option(help: "A steering plan per row (repeatable): L-V deactivates L with −V, L+mean activates L; {lang} = the column.")
    var steer: [String] = []
    @Option(help: "Folder of statistics files with sum_act (from `lna activation`), for activating in --steer.") var stats: String?
    @Option(help: "Few-shot examples per prompt.") var shots = 0
    @Flag(help: "One draw of shots per language for all its items (their shared prefix is then evaluated once per cell).")
    var fixedShots = false
    @OptionGroup(title: "Items per language") var limitOption: LimitOption
    @Option(help: "SIB-200 evaluation split: dev, test or dev+test.") var split = "dev+test"
    @Option(help: "Seed of the few-shot draw and of the bootstrap.") var seed: UInt64 = 1234
    @Flag(help: "mgsm/msvamp: chain of thought (\"Step-by-Step Answer:\", strict \"The answer is\" extraction first).") var cot = false
    @Option(help: "translate: en-x (English into the column language) or x-en.") var direction = "en-x"
    @Option(help: "New tokens at most (generative tasks; default 24 direct, 192 with --cot, 128 translate).") var maxTokens: Int?
    @Option(help: "Output folder.") var out = "eval"
    @Flag(help: "No progress lines.") var quiet = false

    static let paperLanguages = "en,zh,es,fr,de,ja,ru,bn,th,sw"

    func validate() throws {
        guard value.isFinite else { throw ValidationError("--value \(value): expected a finite number") }
        if let deactivate, deactivate.lowercased() != "all" { _ = try CLI.languageList(deactivate, flag: "--deactivate") }
        if data == BuiltinCorpus.name { throw ValidationError("-d/--data builtin: lna eval reads a task's dataset folder (SIB-200, MGSM or MSVAMP)") }
    }

    func run() throws {
        let limit = limitOption.limit
        guard let direction = TranslationDirection(rawValue: direction) else { throw ValidationError("--direction must be en-x or x-en") }
        let settings = EvalTaskSettings(task: try EvalTaskKind(name: task), shots: shots, fixedShots: fixedShots, seed: seed, split: split, limit: limit,
                                        chainOfThought: cot, direction: direction, maxTokens: maxTokens)
        try settings.validate()
        let columns = try (languagesOption.list() ?? CLI.commaList(Self.paperLanguages)).map { try Language.resolve($0).code }
        let dataPath = data ?? Self.sharedDatasets().appendingPathComponent(settings.task.datasetFolder).path
        var items: [String: [EvalItem]] = [:]
        for column in columns { items[column] = try TaskItems.make(settings, data: dataPath, language: column) }
        let loaded = try CLI.loadModel(modelOption.model, quiet: quiet, precision: modelOption.precision)
        let rows = try makeRows(columns: columns, config: loaded.config)
        let evaluator = ItemEvaluator(model: loaded, settings: settings, identify: try OutputLanguage.builtin())
        let grid = EvalGrid(evaluator: evaluator, rows: rows, items: items, columns: columns)
        let outURL = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
        var lastPrint = Date.distantPast
        var result = try grid.run(checkpoint: outURL.appendingPathComponent("eval.checkpoint.json")) { p in
            guard !quiet, Date().timeIntervalSince(lastPrint) > 5 || p.done == p.total else { return }
            lastPrint = Date()
            CLI.printError(Self.progressLine(p))
        }
        result.metadata = ["data": dataPath, "masks": masks ?? "", "classes": classes, "value": String(value)]
        try result.write(to: outURL.appendingPathComponent("eval.json"))
        try EvalFigures.write(result, to: outURL)
        print(EvalFigures.table(result))
        if !quiet {
            CLI.printError(String(format: "%d items × %d rows, %d token positions in %.1f s (%.0f tok/s); wrote %@/eval.json, eval.png, eval.svg",
                                  items.values.reduce(0) { $0 + $1.count }, rows.count, result.computedTokens, result.seconds,
                                  result.seconds > 0 ? Double(result.computedTokens) / result.seconds : 0, out))
        }
    }

    /// "[120/21000 items, 4.1k/800k tok] none → en: 35 tok/s, ETA 6:20:05 (16 from checkpoint)": items and prompt
    /// tokens done of all, the evaluated tokens per second of this process, the time left counted in tokens.
    static func progressLine(_ p: EvalGrid.Progress) -> String {
        let eta = p.eta.map { ", ETA " + ProgressClock.clock($0) } ?? ""
        return String(format: "[%d/%d items, %@/%@ tok] %@ → %@: %.1f tok/s%@%@", p.done, p.total,
                      Self.count(p.promptTokensDone), Self.count(p.promptTokensTotal), p.row, p.column, p.tokensPerSecond,
                      eta, p.resumedItems > 0 ? " (\(p.resumedItems) from checkpoint)" : "")
    }

    static func count(_ n: Int) -> String { n < 10_000 ? String(n) : String(format: "%.0fk", Double(n) / 1000) }

    /// Baseline, then deactivation rows (language × class), then steering rows. Masks of MLP neurons or, on a
    /// mixture of experts, of expert neurons (placed on their experts by `SteeringPlan.hookSet(for:)`).
    func makeRows(columns: [String], config: ModelConfig) throws -> [EvalRow] {
        let baseline = EvalRow.baseline(columns: columns, layers: config.layerCount, width: config.intermediateSize)
        guard deactivate != nil || !steer.isEmpty else { return [baseline] }
        guard let masks else { throw ValidationError("--deactivate and --steer need --masks") }
        let maskSet = try CLI.masksFitting(config, path: masks)
        var rows = [baseline]
        if let deactivate {
            let languages = deactivate.lowercased() == "all" ? columns : try CLI.commaList(deactivate).map { try Language.resolve($0).code }
            for name in CLI.commaList(classes) {
                rows += try EvalRow.deactivations(of: languages, classes: try DeactivationClasses(name: name), value: value,
                                                  masks: maskSet, columns: columns)
            }
        }
        let means = try stats.map { try MeanActivations(statistics: StatisticsLoader.load(URL(fileURLWithPath: $0))) }
        for spec in steer { rows.append(try EvalRow.steering(spec, masks: maskSet, means: means, columns: columns)) }
        return rows
    }

    /// `$LNA_SHARED_DIR/datasets`, else `../shared/datasets` from the working directory.
    static func sharedDatasets() -> URL {
        let shared = ProcessInfo.processInfo.environment["LNA_SHARED_DIR"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "../shared")
        return shared.appendingPathComponent("datasets")
    }
}
