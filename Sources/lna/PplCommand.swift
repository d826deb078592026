import ArgumentParser
import Foundation
import LNAAnalysis
import LNAPerplexity
import LNAPipeline

/// `lna ppl`: the masked-perplexity grid (baseline row + one row per deactivated language × evaluated languages).
struct PplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppl",
        abstract: "Perplexity of every language with each language's neurons switched off (ppl.json + Δ-PPL heatmap).",
        discussion: """
        Rows: "none" (no deactivation) and one row per language of the masks; columns: the evaluated languages.
        Deactivating a language sets its neurons of blocks.L.mlp.hook_act (expert neurons: blocks.L.mlp.experts.E.hook_act) to --value at every position. Cells are
        checkpointed (OUT/ppl.checkpoint.json): run the same command again to resume a killed grid.
        Default texts are held out from recording: SIB-200 dev+test, the built-in corpus's held-out part.
        """)

    @OptionGroup var modelOption: ModelOption
    @Option(help: "masks.json, masks.safetensors, an original mask file, or a run directory (default with -s TAG: masks/TAG).")
    var masks: String?
    @OptionGroup var saveTagOption: SaveTagOption
    @OptionGroup(title: "Evaluated languages (default: the masks' languages)") var languagesOption: LanguagesOption
    @Option(help: "Deactivated languages, comma-separated (default: every language of the masks).") var deactivate: String?
    @Option(help: "Which mask neurons to switch off: specific, specific+related or all.") var classes = "all"
    @Option(help: "Value the deactivated neurons are set to.") var value: Float = 0
    @Option(help: "Output folder (default: ppl/TAG with -s TAG, else ppl).") var out: String?
    @OptionGroup var gridOptions: PerplexityGridOptions

    func validate() throws {
        if masks == nil && saveTagOption.saveTag == nil { throw ValidationError("give --masks FILE (or -s TAG to read masks/TAG)") }
        guard value.isFinite else { throw ValidationError("--value \(value): expected a finite number") }
        if let deactivate { _ = try CLI.languageList(deactivate, flag: "--deactivate") }
    }

    func run() throws {
        let masks = masks ?? saveTagOption.path("masks", else: nil)!
        let out = out ?? saveTagOption.path("ppl", else: "ppl")!
        let settings = PerplexityGridSettings(
            classes: try DeactivationClasses(name: classes), value: value, measure: try gridOptions.measure(),
            deactivated: deactivate.map(CLI.commaList))
        let maskURL = try RunDirectory.masksFile(for: URL(fileURLWithPath: masks))
        let maskSet = try CLI.canonicalLanguages(try MaskSet.read(maskURL))
        let loaded = try CLI.loadModel(modelOption.model, quiet: gridOptions.quiet, precision: modelOption.precision)
        let (sets, dataMetadata) = try gridOptions.evaluationSets(model: loaded, languages: try languagesOption.list() ?? maskSet.languages)
        var metadata: [String: String] = ["model": loaded.name, "masks": CLI.absolutePath(maskURL.path), "classes": settings.classes.rawValue]
        metadata.merge(dataMetadata) { $1 }
        let grid = try PerplexityGrid(model: loaded, masks: maskSet, evaluation: sets, settings: settings)
        try gridOptions.run(grid, out: out, metadata: metadata, value: value)
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
