import ArgumentParser
import Foundation
import LNAData
import LNAFiles
import LNAModels
import LNAPerplexity
import LNAPipeline

/// The texts and the running of a perplexity grid, shared by `lna ppl` (neurons switched off) and `lna experts`
/// (experts removed from the router): the evaluation texts (--data/--split/--token-file/--limit/--max-tokens),
/// the packed scoring (--batch-tokens), the measure (--compat), sharding (--shard) and progress (--quiet).
///
/// ```swift
/// @OptionGroup var gridOptions: PerplexityGridOptions
/// let (sets, metadata) = try gridOptions.evaluationSets(model: loaded, languages: ["en", "fr"])
/// try gridOptions.run(grid, out: "ppl", metadata: metadata)
/// ```
struct PerplexityGridOptions: ParsableArguments {
    @OptionGroup var dataOption: DataOption
    @Option(help: "Pre-tokenised texts instead of --data: a JSON object {language: [[token ids], …]}.") var tokenFile: String?
    @Option(help: "Split(s) of the data, joined by '+' (default: dev+test for SIB-200, dev for builtin, all otherwise).") var split: String?
    @OptionGroup var limitOption: LimitOption
    @Option(help: "Truncate texts to this many tokens (the original: 4096).") var maxTokens = 4096
    @Option(help: "Tokens per packed forward call.") var batchTokens = 512
    @Option(help: "Measure: 'njunlp' reproduces the original macro average with its top-1 bias (METHODS §1.11).") var compat: String?
    @Option(help: "Score slice i of n of the grid's cells (0-based: --shard $SLURM_ARRAY_TASK_ID/N); writes OUT/ppl.shard-i-of-n.json for `lna merge`.")
    var shard: String?
    @Flag(help: "No progress lines.") var quiet = false

    var limit: Int? { limitOption.limit }
    var data: String { dataOption.data ?? BuiltinCorpus.name }

    func validate() throws {
        guard maxTokens >= 2 else { throw ValidationError("--max-tokens \(maxTokens): expected ≥ 2 (a text needs two tokens to be scored)") }
        guard batchTokens >= 1 else { throw ValidationError("--batch-tokens \(batchTokens): expected ≥ 1") }
        if let shard { _ = try Shard(parsing: shard) }
    }

    func measure() throws -> PerplexityMeasure { try compat.map { try PerplexityMeasure(name: $0) } ?? .tokenWeighted }

    /// The tokenised, limited texts of each language, and the metadata naming where they came from.
    func evaluationSets(model loaded: Model, languages: [String]) throws -> ([EvaluationSet], [String: String]) {
        var metadata: [String: String] = [:]
        let sets: [EvaluationSet]
        if let tokenFile {
            sets = try readTokenFile(tokenFile, languages: languages)
            metadata["data"] = CLI.absolutePath(tokenFile)
        } else {
            let (texts, splitName) = try loadTexts(data, languages: languages)
            metadata["data"] = data == BuiltinCorpus.name ? data : CLI.absolutePath(data)
            metadata["split"] = splitName
            sets = texts.map { EvaluationSet(language: $0.language, texts: $0.texts.map { loaded.tokenizer.encode($0) }) }
            guard sets.contains(where: { $0.texts.contains { $0.count >= 2 } }) else {
                throw CLIError("the tokenizer of \(loaded.name) returned no tokens for \(data); is the tokenizer a stub in this build? Use --token-file")
            }
        }
        return (sets.map { $0.limited(texts: limit, maxTokens: maxTokens) }, metadata)
    }

    /// Scores the grid (resuming from OUT/ppl.checkpoint.json), then writes OUT/ppl.json with its Δ-PPL figure
    /// and prints the table, or writes this shard's cells with --shard. Returns the document (nil for a shard).
    @discardableResult
    func run(_ grid: PerplexityGrid, out: String, metadata: [String: String], value: Float) throws -> PerplexityDocument? {
        grid.scorer.batchTokens = batchTokens
        let outURL = URL(fileURLWithPath: out)
        let documentSettings = PerplexityDocument.Settings(value: Double(value), maxTokens: maxTokens, limit: limit)
        let shard = try self.shard.map { try Shard(parsing: $0) } ?? .whole
        let start = Date()
        var computedTokens = 0, computedSeconds = 0.0
        // Every row scores every column's texts once: the grid's work is rows × the tokens of all columns.
        let columnTokens = Dictionary(grid.evaluation.map { ($0.language, $0.tokenCount) }, uniquingKeysWith: { a, _ in a })
        let myCells = grid.cells[shard.slice(of: grid.cells.count)]
        var clock = ProgressClock(total: myCells.reduce(0) { $0 + (columnTokens[$1.column] ?? 0) }, unit: "tok")
        let checkpoint = outURL.appendingPathComponent(shard.fileName("ppl", extension: "checkpoint.json"))
        let quiet = self.quiet
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
            return nil
        }
        let doc = try grid.result(cells: cells).document(metadata: metadata, settings: documentSettings)
        try doc.write(to: outURL.appendingPathComponent("ppl.json"))
        try PerplexityFigures.write(doc, to: outURL)
        print(PplCommand.table(doc))
        if !quiet {
            CLI.printError("grid: \(grid.cells.count) cells, \(timing); wrote \(out)/ppl.json, ppl_delta.png, ppl_delta.svg")
        }
        return doc
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
}
