import ArgumentParser
import Foundation
import LNAData
import LNAFiles
import LNAModels
import LNARecording
import LNATensor

/// `lna precision`: what a reduced arithmetic precision changes against float32 on a dataset — sign flips at the
/// recording site, activation probabilities, identified masks and Σ NLL — as a table and a JSON report.
struct PrecisionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision",
        abstract: "Measure what a reduced precision (--precision bf16|int8) changes against float32: sign flips, activation probabilities, masks, NLL.",
        discussion: """
            Runs the model twice over each language's texts (float32 and the precision given), packed as \
            `lna activation` packs them, and reports: the share of (token, neuron) signs at the site that flip, \
            max/mean |Δp| of each language's activation probabilities, the Jaccard overlap of the masks identified \
            from both with the same settings (-r, -b; two or more languages), and the Σ NLL of the texts (each model \
            with its own LM head: bf16 arithmetic under bf16, float32 under int8). Point `lna activation --precision-report FILE` at the JSON to record it in the statistics.
            Example:
              lna precision -m gemma3-270m --precision bf16 -l en,fr,de,zh,ar -d shared/datasets/sib200 --limit 40 --out bf16-report.json
            """)

    @OptionGroup var modelOption: ModelOption
    @OptionGroup var languagesOption: LanguagesOption
    @OptionGroup var dataOption: DataOption
    @OptionGroup var limitOption: LimitOption
    @Option(help: "Split of SIB-200 / the built-in corpus: train, dev, test, all.")
    var split: String = "train"
    @Option(help: "Hook site compared (one point per layer).")
    var site: String = "blocks.*.mlp.hook_act"
    @Option(name: .customLong("max-len"), help: "Texts are truncated to this many tokens.")
    var maxLength: Int = 4096
    @Option(help: "Rows per forward call when packing texts.")
    var batchTokens: Int = 512
    @Option(name: [.customShort("r"), .customLong("top-rate")], help: "Identification top rate of the compared masks.")
    var topRate: Double = 0.01
    @Option(name: [.customShort("b"), .customLong("bar")], help: "Identification activation bar of the compared masks.")
    var bar: Double = 0.95
    @Option(name: .customLong("out"), help: "Write the report as JSON to this file.")
    var out: String?
    @Flag(help: "Print the report as JSON instead of the table.")
    var json = false

    func validate() throws {
        guard modelOption.precision != .float32 else {
            throw ValidationError("--precision: give the reduced precision to measure (bf16 or int8); float32 is the reference")
        }
        guard maxLength >= 1, batchTokens >= 1 else { throw ValidationError("--max-len and --batch-tokens must be ≥ 1") }
        guard topRate.isFinite, topRate > 0, topRate <= 1 else { throw ValidationError("-r/--top-rate \(topRate): expected a fraction in (0, 1]") }
        guard bar.isFinite, bar > 0, bar < 1 else { throw ValidationError("-b/--bar \(bar): expected a quantile in (0, 1)") }
    }

    func run() throws {
        var settings = RecordingSettings()
        settings.site = site
        settings.maxLength = maxLength
        settings.batchTokens = batchTokens
        settings.recordsSums = false
        try settings.validate()
        let reduced = try CLI.loadModel(modelOption.model, quiet: json, precision: modelOption.precision)
        let reference = try CLI.loadModel(modelOption.model, quiet: true)
        let data = dataOption.data ?? BuiltinCorpus.name
        let format = try DatasetFormat.of(path: data, named: nil)
        var sets = try Dataset.load(path: data, format: format, languages: try languagesOption.list(),
                                    split: (format?.hasSplits ?? true) ? try DatasetSplit.named(split) : nil)
        if let limit = limitOption.limit {
            for i in sets.indices { sets[i].texts = Array(sets[i].texts.prefix(limit)) }
        }
        let texts = sets.map { entry in
            (language: entry.language.code,
             input: RecordingInput.prepare(entry, instructionData: false, maxLength: maxLength) { reduced.tokenizer.encode($0) })
        }
        let name = format == nil ? BuiltinCorpus.name : URL(fileURLWithPath: data).lastPathComponent
        let report = try PrecisionReport.measure(reference: reference, reduced: reduced, texts: texts, dataset: name,
                                                 settings: settings, topRate: topRate, bar: bar) { language in
            if !json { CLI.printError("measuring \(language)…") }
        }
        let document = try CLI.json(report, pretty: true)
        if let out {
            try AtomicFile.write(document + "\n", to: URL(fileURLWithPath: out))
        }
        print(json ? document : report.table + (out.map { "\nreport → \(CLI.absolutePath($0))" } ?? ""))
    }
}
