import ArgumentParser
import Foundation
import LNAAnalysis
import LNAFiles
import LNAHooks
import LNAPerplexity
import LNAPipeline

/// `lna experts`: which experts each language uses in a mixture-of-experts model, and what removing them costs.
struct ExpertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experts",
        abstract: "Language experts of a mixture-of-experts model: routing share, entropy classification, heatmap, and a perplexity grid removing each language's top experts.",
        discussion: """
        Reads the routing tensors (routing_counts) that every statistics file of a model with experts carries. \
        Writes OUT/experts.json (routing share per language, layer and expert; the classification) and the figures \
        routing_share and expert_classes_per_layer (.png, .svg). The classification is the NJUNLP identification \
        with experts as units: the routing probability r = routed tokens / tokens of the language in place of the \
        activation probability (docs/methods.md, "Language experts").
        With -m MODEL it also runs the deactivation grid: row "none" and, per language, its --top-experts experts \
        of every layer with the largest routing share removed from the router (blocks.L.mlp.hook_router logit −∞ \
        before the softmax); columns are the languages' texts, as in `lna ppl` (OUT/ppl.json, ppl_delta.png). Example:
          lna experts --activations acts/mixtral -m Mixtral-8x7B --top-experts 2 --limit 50 --out experts/mixtral
        """)

    @Option(name: .customLong("activations"), help: "Folder of statistics files of a model with experts (default with -s TAG: activations/TAG).")
    var activations: String?
    @OptionGroup var saveTagOption: SaveTagOption
    @OptionGroup(title: "Languages (default: all found)") var languagesOption: LanguagesOption
    @Option(name: [.customShort("r"), .customLong("top-rate")], help: "Fraction of all L·E experts selected (lowest normalised entropy − λ·peak) before language assignment.")
    var topRate: Double = 0.25
    @Option(name: [.customShort("b"), .customLong("bar")], help: "τ is the round(N·K·bar)-th smallest routing probability; a language gets a selected expert when r > τ.")
    var bar: Double = 0.9
    @Option(name: .customLong("lambda"), help: "λ: weight of the peak routing probability in the score (0: entropy alone).")
    var lambda: Double = 0
    @Option(help: "Output folder (default: experts/TAG with -s TAG, else experts).") var out: String?

    @Option(name: [.customShort("m"), .customLong("model")], help: "Run the deactivation grid on this model (the one the statistics are of).")
    var model: String?
    @Option(help: "Experts removed per layer for each language: its largest routing shares (leaves at least top-k).") var topExperts = 1
    @Option(help: "Deactivated languages, comma-separated (default: every language).") var deactivate: String?
    @OptionGroup var gridOptions: PerplexityGridOptions

    func validate() throws {
        if activations == nil && saveTagOption.saveTag == nil { throw ValidationError("give --activations DIR or -s TAG (reads activations/TAG)") }
        guard topRate.isFinite, topRate > 0, topRate <= 1 else { throw ValidationError("-r/--top-rate \(topRate): expected a fraction in (0, 1]") }
        guard bar.isFinite, bar > 0, bar < 1 else { throw ValidationError("-b/--bar \(bar): expected a quantile in (0, 1)") }
        guard lambda.isFinite else { throw ValidationError("--lambda \(lambda): expected a finite number") }
        guard topExperts >= 1 else { throw ValidationError("--top-experts \(topExperts): expected ≥ 1") }
        if let deactivate { _ = try CLI.languageList(deactivate, flag: "--deactivate") }
    }

    func run() throws {
        let input = activations ?? saveTagOption.path("activations", else: nil)!
        let out = out ?? saveTagOption.path("experts", else: "experts")!
        let outURL = URL(fileURLWithPath: out)
        let statistics = try StatisticsLoader.load(URL(fileURLWithPath: input), languages: try languagesOption.list())
        let experts = try LanguageExperts(statistics: statistics)
        let classification = try experts.classify(topRate: topRate, lambda: lambda, bar: bar)
        let top = model == nil ? nil : try experts.topExperts(count: topExperts)
        let json = experts.json(classification: classification, top: top).serialized(pretty: true) + "\n"
        try AtomicFile.write(Data(json.utf8), to: outURL.appendingPathComponent("experts.json"))
        try ExpertFigures.write(experts, classification: classification, to: outURL, order: experts.languages)
        print(Self.summary(experts, classification))
        if !gridOptions.quiet { CLI.printError("wrote \(out)/experts.json, routing_share.png/.svg, expert_classes_per_layer.png/.svg") }
        guard let model, let top else { return }
        let loaded = try CLI.loadModel(model, quiet: gridOptions.quiet)
        let (sets, dataMetadata) = try gridOptions.evaluationSets(model: loaded, languages: experts.languages)
        var metadata = ["model": loaded.name, "activations": CLI.absolutePath(input), "classes": "top \(topExperts) expert(s) per layer",
                        "deactivation": "experts removed from the router (blocks.L.mlp.hook_router logit −∞; settings.value is unused)"]
        metadata.merge(dataMetadata) { $1 }
        let settings = PerplexityGridSettings(classes: .all, value: 0, measure: try gridOptions.measure(),
                                              deactivated: deactivate.map(CLI.commaList))
        let grid = try PerplexityGrid(model: loaded, masks: top, evaluation: sets, settings: settings, layout: .router)
        try gridOptions.run(grid, out: out, metadata: metadata, value: 0)
    }

    /// Per language: tokens and, per routing layer, its most used expert and share; then the classes.
    static func summary(_ experts: LanguageExperts, _ result: IdentificationResult) -> String {
        var lines = ["\(experts.languages.count) languages, \(experts.layers) layers × \(experts.experts) experts, top-\(experts.topK)"]
        for (k, language) in experts.languages.enumerated() {
            let favourites = experts.routingLayers.map { l -> String in
                let e = (0..<experts.experts).max { experts.share(language: k, layer: l, expert: $0) < experts.share(language: k, layer: l, expert: $1) }!
                return String(format: "%d.%d %.0f%%", l, e, 100 * experts.share(language: k, layer: l, expert: e))
            }
            lines.append("\(language.padding(toLength: 8, withPad: " ", startingAt: 0)) \(experts.tokens[k]) tokens; top expert per layer: \(favourites.joined(separator: ", "))")
        }
        let classes = result.classes
        lines.append("classification (top rate \(result.topRate), τ = \(result.tau)): \(classes.total(.specific)) language-specific, \(classes.total(.related)) related, \(result.population.total) general experts")
        return lines.joined(separator: "\n")
    }
}
