import ArgumentParser
import Foundation
import LNAAnalysis
import LNAData
import LNAEval
import LNAModels
import LNAHooks
import LNALangID
import LNALens
import LNAPerplexity
import LNAPipeline
import LNASteering

/// `lna lens`: latent language by logit lens over translation prompts (or any texts), optionally under a
/// deactivated mask or a steering plan.
struct LensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lens",
        abstract: "Logit lens: in which language does each layer 'think'? (lens.json + per-pair figures).",
        discussion: """
        For every language pair, few-shot translation prompts are built from a parallel word list \
        (Français: "fleur" - 中文: "花", the last target word masked). The residual stream after every block is \
        decoded at the last position through the model's final norm and LM head; per layer lna reports the \
        probability on the first tokens of the target word, the English word and the source word, the entropy, \
        and the language of the top-1 token, with bootstrap 95 % intervals over prompts.
        Pairs: each --languages language into and out of English (--directions), or --pairs fr-zh,de-ja (English \
        is then a third language, as in Wendler et al.). --texts FILE reads one text per line instead and reports \
        entropy and top-1 languages. See docs/lens.md.
        Example: lna lens -m gemma3-270m --languages fr,zh --out lens
                 lna lens -m gemma3-270m --masks runs/g/masks.json --deactivate en --classes specific --out lens-no-en
        """)

    @OptionGroup var modelOption: ModelOption
    @Option(help: "Parallel word list: 'builtin' or a TSV/JSON file (docs/lens.md).") var words = ParallelWordList.builtinName
    @Option(help: "One text per line instead of translation prompts.") var texts: String?
    @OptionGroup(title: "Non-English languages of the pairs (default: every word-list language)") var languagesOption: LanguagesOption
    @Option(help: "to-en (X→en), from-en (en→X) or both.") var directions = "both"
    @Option(help: "Explicit pairs instead of --languages/--directions, comma-separated SRC-TGT (fr-zh,de-ja).") var pairs: String?
    @Option(help: "Few-shot examples per prompt.") var shots = 5
    @Option(help: "Prompts per pair at most (default: every concept after the shots).") var limit: Int?
    @Option(help: "Masks for --deactivate and --steer: masks.json, masks.safetensors or a run directory.") var masks: String?
    @Option(help: "Languages whose neurons are set to --value while reading, comma-separated.") var deactivate: String?
    @Option(help: "Which mask neurons --deactivate switches off: specific, specific+related or all.") var classes = "all"
    @Option(help: "Value the deactivated neurons are set to.") var value: Float = 0
    @Option(help: "A steering plan: a plan file (lna steer --plan-out), a JSON list of interventions, or a spec as in lna eval (en-1,{lang}+mean; {lang} is the pair's target).")
    var steer: String?
    @Option(help: "Folder of statistics with sum_act, for steering specs that activate a language.") var stats: String?
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 1
    @Option(help: "Output folder.") var out = "lens"
    @Flag(help: "No progress lines.") var quiet = false

    func validate() throws {
        guard ["to-en", "from-en", "both"].contains(directions) else { throw ValidationError("--directions \(directions): expected to-en, from-en or both") }
        guard shots >= 0, shots <= 50 else { throw ValidationError("--shots \(shots): expected 0…50") }
        if let limit, limit < 1 { throw ValidationError("--limit \(limit): expected ≥ 1") }
        guard value.isFinite else { throw ValidationError("--value \(value): expected a finite number") }
        if (deactivate != nil || (steer != nil && !FileManager.default.fileExists(atPath: steer!))) && masks == nil {
            throw ValidationError("--deactivate and a --steer spec need --masks")
        }
        if deactivate != nil && steer != nil { throw ValidationError("give --deactivate or --steer, not both") }
    }

    func run() throws {
        let model = try CLI.loadModel(modelOption.model, quiet: quiet, precision: modelOption.precision)
        let wordList = try ParallelWordList.load(path: words)
        let experiment = LensExperiment(model: model, words: wordList, identifier: try LanguageIdentifier.builtin())
        let (planFor, description) = try interventions(config: model.config)
        let pairs: [LensPair]
        if let texts {
            let lines = try SteeringInputOptions.lines(of: texts)
            pairs = [try experiment.run(texts: lines, language: LanguageIdentifier.unknown, seed: seed, interventions: try planFor("unknown"))]
        } else {
            pairs = try experiment.run(pairs: try languagePairs(wordList), shots: shots, limit: limit, seed: seed,
                                       interventions: planFor) { p in
                guard !quiet, p.done == p.total || p.done % 50 == 0 else { return }
                CLI.printError("[\(p.pair)/\(p.pairs)] \(p.source)→\(p.target): \(p.done)/\(p.total) prompts")
            }
        }
        let doc = LensDocument(model: model.name, layerCount: model.config.layerCount,
                               input: texts.map { "texts: \(CLI.absolutePath($0))" } ?? (words == ParallelWordList.builtinName ? words : CLI.absolutePath(words)),
                               shots: texts == nil ? shots : 0, intervention: description, seed: seed, pairs: pairs)
        let outURL = URL(fileURLWithPath: out)
        try doc.write(to: outURL.appendingPathComponent("lens.json"))
        let figures = try LensFigures.write(doc, to: outURL)
        print(LensFigures.table(doc))
        if !quiet { CLI.printError("wrote \(out)/lens.json and \(figures.count) figure files") }
    }

    /// X→en and/or en→X for every requested non-English language of the list.
    func languagePairs(_ list: ParallelWordList) throws -> [(source: String, target: String)] {
        guard list.languages.contains("en") else { throw CLIError("\(words): the word list has no English column") }
        if let pairs {
            return try CLI.commaList(pairs).map { spec in
                let parts = spec.split(separator: "-").map(String.init)
                guard parts.count == 2 else { throw ValidationError("--pairs '\(spec)': expected SRC-TGT, e.g. fr-zh") }
                return (try Language.resolve(parts[0]).code, try Language.resolve(parts[1]).code)
            }
        }
        let others = try languagesOption.list()?.map { try Language.resolve($0).code } ?? list.languages.filter { $0 != "en" }
        var pairs: [(source: String, target: String)] = []
        for language in others where language != "en" {
            if directions != "from-en" { pairs.append((language, "en")) }
            if directions != "to-en" { pairs.append(("en", language)) }
        }
        guard !pairs.isEmpty else { throw ValidationError("no language pair to read (-l/--languages \(languagesOption.languages ?? ""))") }
        return pairs
    }

    /// The edits per target language, and a description for lens.json (nil: no intervention). Masks and plans
    /// of expert neurons are placed on their experts (`SteeringPlan.interventions(for:)`).
    func interventions(config: ModelConfig) throws -> ((String) throws -> [Intervention], String?) {
        if let steer, FileManager.default.fileExists(atPath: steer) {
            // A plan of `lna steer --plan-out`, or a bare list of interventions (docs/file-formats.md).
            let data = try Data(contentsOf: URL(fileURLWithPath: steer))
            if let plan = try? JSONDecoder().decode(SteeringPlan.self, from: data) {
                let layout = try CLI.layout(of: config, layers: plan.layers, width: plan.width, source: steer)
                return ({ _ in plan.interventions(for: layout) }, "steering plan \(CLI.absolutePath(steer))")
            }
            let list: [Intervention]
            do { list = try JSONDecoder().decode([Intervention].self, from: data) } catch {
                throw CLIError("\(steer): neither a steering plan (lna steer --plan-out) nor a list of interventions: \(error)")
            }
            return ({ _ in list }, "interventions \(CLI.absolutePath(steer))")
        }
        guard deactivate != nil || steer != nil, let masks else { return ({ _ in [] }, nil) }
        let maskSet = try CLI.masksFitting(config, path: masks)
        let layout = try CLI.layout(of: config, layers: maskSet.layers, width: maskSet.width, source: masks)
        if let deactivate {
            let codes = try CLI.commaList(deactivate).map { try Language.resolve($0).code }
            let lists = try DeactivationClasses(name: classes)
            // One plan: the union of the languages' neurons, as `lna ppl` builds each row.
            let plan = try codes.flatMap { code in
                try EvalRow.deactivations(of: [code], classes: lists, value: value, masks: maskSet, columns: ["lens"])[0]
                    .plans["lens"]!.interventions(for: layout)
            }
            return ({ _ in plan }, "deactivate \(codes.joined(separator: ",")) (\(classes)) at value \(value), masks \(CLI.absolutePath(masks))")
        }
        let means = try stats.map { try MeanActivations(statistics: StatisticsLoader.load(URL(fileURLWithPath: $0))) }
        let spec = steer!
        return ({ target in
            try EvalRow.steering(spec, masks: maskSet, means: means, columns: [target]).plans[target]!.interventions(for: layout)
        }, "steer \(spec), masks \(CLI.absolutePath(masks))")
    }
}
