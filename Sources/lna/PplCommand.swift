import ArgumentParser
import Foundation
import LNAAnalysis
import LNAData
import LNAFiles
import LNAModels
import LNAPerplexity
import LNAPipeline

/// `lna ppl`: the masked-perplexity grid (baseline row + one row per deactivated language × evaluated languages).
struct PplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppl",
        abstract: "Perplexity of every language with each language's neurons switched off (ppl.json + Δ-PPL heatmap).",
        discussion: """
        Rows: "none" (no deactivation) and one row per language of the masks; columns: the evaluated languages.
        Deactivating a language sets its neurons of blocks.L.mlp.hook_act to --value at every position. Cells are
        checkpointed (OUT/ppl.checkpoint.json): run the same command again to resume a killed grid.
        Default texts are held out from recording: SIB-200 dev+test, the built-in corpus's held-out part.
        """)

    @OptionGroup var modelOption: ModelOption
    @Option(help: "masks.json, masks.safetensors, an original mask file, or a run directory (default with -s TAG: masks/TAG).")
    var masks: String?
    @OptionGroup var dataOption: DataOption
    @OptionGroup var saveTagOption: SaveTagOption
    @Option(help: "Pre-tokenised texts instead of --data: a JSON object {language: [[token ids], …]}.") var tokenFile: String?
    @Option(help: "Split(s) of the data, joined by '+' (default: dev+test for SIB-200, dev for builtin, all otherwise).") var split: String?
    @OptionGroup(title: "Evaluated languages (default: the masks' languages)") var languagesOption: LanguagesOption
    @Option(help: "Deactivated languages, comma-separated (default: every language of the masks).") var deactivate: String?
    @Option(help: "Which mask neurons to switch off: specific, specific+related or all.") var classes = "all"
    @Option(help: "Value the deactivated neurons are set to.") var value: Float = 0
    @OptionGroup var limitOption: LimitOption
    @Option(help: "Truncate texts to this many tokens (the original: 4096).") var maxTokens = 4096
    @Option(help: "Tokens per packed forward call.") var batchTokens = 512
    @Option(help: "Measure: 'njunlp' reproduces the original macro average with its top-1 bias (METHODS §1.11).") var compat: String?
    @Option(help: "Output folder (default: ppl/TAG with -s TAG, else ppl).") var out: String?
    @Option(help: "Score slice i of n of the grid's cells (0-based: --shard $SLURM_ARRAY_TASK_ID/N); writes OUT/ppl.shard-i-of-n.json for `lna merge`.")
    var shard: String?
    @Flag(help: "No progress lines.") var quiet = false

    var limit: Int? { limitOption.limit }
    var data: String { dataOption.data ?? BuiltinCorpus.name }

    func validate() throws {
        if masks == nil && saveTagOption.saveTag == nil { throw ValidationError("give --masks FILE (or -s TAG to read masks/TAG)") }
        guard value.isFinite else { throw ValidationError("--value \(value): expected a finite number") }
        guard maxTokens >= 2 else { throw ValidationError("--max-tokens \(maxTokens): expected ≥ 2 (a text needs two tokens to be scored)") }
        guard batchTokens >= 1 else { throw ValidationError("--batch-tokens \(batchTokens): expected ≥ 1") }
        if let deactivate { _ = try CLI.languageList(deactivate, flag: "--deactivate") }
        if let shard { _ = try Shard(parsing: shard) }
    }

    func run() throws {
        let masks = masks ?? saveTagOption.path("masks", else: nil)!
        let out = out ?? saveTagOption.path("ppl", else: "ppl")!
        let model = modelOption.model
        let settings = PerplexityGridSettings(
            classes: try DeactivationClasses(name: classes), value: value,
            measure: try compat.map { try PerplexityMeasure(name: $0) } ?? .tokenWeighted,
            deactivated: deactivate.map(CLI.commaList))
        let maskURL = try RunDirectory.masksFile(for: URL(fileURLWithPath: masks))
        let maskSet = try CLI.canonicalLanguages(try MaskSet.read(maskURL))
        let loaded = try CLI.loadModel(model, quiet: quiet, precision: modelOption.precision)
        let evaluationLanguages = try languagesOption.list() ?? maskSet.languages
        var metadata: [String: String] = ["model": loaded.name, "masks": CLI.absolutePath(maskURL.path), "classes": settings.classes.rawValue]
        let sets: [EvaluationSet]
        if let tokenFile {
            sets = try readTokenFile(tokenFile, languages: evaluationLanguages)
            metadata["data"] = CLI.absolutePath(tokenFile)
        } else {
            let (texts, splitName) = try loadTexts(data, languages: evaluationLanguages)
            metadata["data"] = data == BuiltinCorpus.name ? data : CLI.absolutePath(data)
            metadata["split"] = splitName
            sets = texts.map { EvaluationSet(language: $0.language, texts: $0.texts.map { loaded.tokenizer.encode($0) }) }
            guard sets.contains(where: { $0.texts.contains { $0.count >= 2 } }) else {
                throw CLIError("the tokenizer of \(loaded.name) returned no tokens for \(data); is the tokenizer a stub in this build? Use --token-file")
            }
        }
        let limited = sets.map { $0.limited(texts: limit, maxTokens: maxTokens) }
        let grid = try PerplexityGrid(model: loaded, masks: maskSet, evaluation: limited, settings: settings)
        grid.scorer.batchTokens = batchTokens
        let outURL = URL(fileURLWithPath: out)
        let documentSettings = PerplexityDocument.Settings(value: Double(value), maxTokens: maxTokens, limit: limit)
        let shard = try self.shard.map { try Shard(parsing: $0) } ?? .whole
        let start = Date()
        var computedTokens = 0, computedSeconds = 0.0
        // Every row scores every column's texts once: the grid's work is rows × the tokens of all columns.
        let columnTokens = Dictionary(limited.map { ($0.language, $0.tokenCount) }, uniquingKeysWith: { a, _ in a })
        let myCells = grid.cells[shard.slice(of: grid.cells.count)]
        var clock = ProgressClock(total: myCells.reduce(0) { $0 + (columnTokens[$1.column] ?? 0) }, unit: "tok")
        let checkpoint = outURL.appendingPathComponent(shard.fileName("ppl", extension: "checkpoint.json"))
        let cells = try grid.score(shard: shard, checkpoint: checkpoint) { p in
            if p.resumed { clock.restore(p.tokens) } else {
                computedTokens += p.tokens; computedSeconds += p.seconds
                clock.advance(by: p.tokens)
            }
            guard !quiet else { return }
            CLI.printError(p.resumed ? "[\(p.done)/\(p.total)] \(p.row) → \(p.column): from checkpoint"
                : String(format: "[%d/%d] %@ → %@: %d tokens in %.1f s; grid %@", p.done, p.total, p.row, p.column,
                         p.tokens, p.seconds, clock.summary))
        }
        let timing = String(format: "%.1f s (%d tokens scored, %.0f tok/s)", Date().timeIntervalSince(start), computedTokens,
                            Double(computedTokens) / max(computedSeconds, 1e-9))
        if shard.count > 1 {
            let file = outURL.appendingPathComponent(shard.fileName("ppl", extension: "json"))
            try PerplexityGridShard(shard: shard, grid: grid, cells: cells, metadata: metadata, settings: documentSettings).write(to: file)
            print("shard \(shard): \(cells.count) of \(grid.cells.count) cells → \(file.path); join the shards with `lna merge \(out)/ppl.shard-*-of-\(shard.count).json --out \(out)/ppl.json`")
            if !quiet { CLI.printError("shard \(shard): \(timing)") }
            return
        }
        let doc = try grid.result(cells: cells).document(metadata: metadata, settings: documentSettings)
        try doc.write(to: outURL.appendingPathComponent("ppl.json"))
        try PerplexityFigures.write(doc, to: outURL)
        print(Self.table(doc))
        if !quiet {
            CLI.printError("grid: \(grid.cells.count) cells, \(timing); wrote \(out)/ppl.json, ppl_delta.png, ppl_delta.svg")
        }
    }

    /// Texts of each language in the requested (or default held-out) splits.
    func loadTexts(_ path: String, languages: [String]) throws -> ([(language: String, texts: [String])], String) {
        let format = try DatasetFormat.of(path: path, named: nil)
        let isBuiltin = format == nil
        let splitNames = split.map { $0.split(separator: "+").map(String.init) }
            ?? (isBuiltin ? ["dev"] : format == .sib200 ? ["dev", "test"] : ["all"])
        var splits: [DatasetSplit] = []
        for name in splitNames {
            let s = try DatasetSplit.named(name)
            // The built-in corpus has one held-out part for dev and test.
            if isBuiltin && s == .test && splits.contains(.dev) { continue }
            if !splits.contains(s) { splits.append(s) }
        }
        var byLanguage: [String: [String]] = [:]
        var order: [String] = []
        for s in splits {
            for entry in try Dataset.load(path: path, languages: languages, split: format?.hasSplits ?? true ? s : nil) {
                if byLanguage[entry.language.code] == nil { order.append(entry.language.code) }
                byLanguage[entry.language.code, default: []] += entry.texts
            }
        }
        return (order.map { ($0, byLanguage[$0]!) }, splits.map(\.rawValue).joined(separator: "+"))
    }

    func readTokenFile(_ path: String, languages: [String]) throws -> [EvaluationSet] {
        guard let data = FileManager.default.contents(atPath: path),
              let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CLIError("\(path): expected a JSON object {language: [[token ids], …]}")
        }
        return try languages.map { lang in
            guard let texts = root[lang] as? [[Int]] else {
                throw CLIError("\(path): key '\(lang)' is missing or not a list of token-id lists (keys: \(root.keys.sorted().joined(separator: ",")))")
            }
            return EvaluationSet(language: lang, texts: texts)
        }
    }

    static func table(_ doc: PerplexityDocument) -> String {
        // Cells "PPL (ratio×)", padded to the widest cell so columns stay aligned.
        var cells: [[String]] = []
        for r in doc.rows.indices {
            cells.append(doc.columns.indices.map { c in
                let p = doc.perplexity[r][c].map { String(format: "%.2f", $0) } ?? "–"
                return r == 0 ? p : p + (doc.ratio[r][c].map { String(format: " (%.2f×)", $0) } ?? "")
            })
        }
        let width = max(8, (cells.flatMap { $0 }.map(\.count).max() ?? 8) + 2)
        var lines = ["PPL (ratio to the none row); rows: deactivated language, columns: evaluated language"]
        lines.append("deactivated " + doc.columns.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined())
        for (r, row) in doc.rows.enumerated() {
            lines.append(row.padding(toLength: 12, withPad: " ", startingAt: 0)
                         + cells[r].map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
