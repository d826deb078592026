import ArgumentParser
import Foundation
import LNAData
import LNAReport
import LNASteering

/// `lna amplify`: scale one language's neurons by several factors; report the share of outputs in that language
/// and the perplexity on its texts (Rahmanisa et al.).
struct AmplifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amplify",
        abstract: "Amplification sweep: scale a language's neurons by each factor; output-language share and PPL.",
        discussion: """
        Writes OUT/steering/amplification-LANG.json and amplification-LANG.png/.svg (share) and \
        amplification-LANG-ppl.png/.svg (perplexity).
        Example: lna amplify --model gemma3-270m --masks runs/g/masks.json --language fr --factors 1,2,5,10 --out runs/g
        """)

    @OptionGroup var inputs: SteeringInputOptions
    @Option(help: "The language whose neurons are scaled.") var language: String
    @Option(help: "Factors, comma-separated.") var factors = "1,2,5,10,20"
    @Flag(help: "Only neurons in no other language's mask.") var exclusive = false
    @Option(help: "all | prompt | generated.") var positions: SteeringPositions = .all
    @Option(help: "Prompts: a dataset path or a .txt file (default: six fixed English questions).") var prompts: String?
    @Option(help: "Language of the prompts in a multilingual dataset.") var promptLanguage = "en"
    @Option(help: "Prompts used.") var promptCount = 6
    @Option(help: "Texts of --language to score perplexity on: a dataset path, or `builtin` (its held-out split); `none` skips.")
    var pplData = "builtin"
    @Option(help: "Texts scored.") var pplTexts = 20
    @Option(help: "Share of outputs in the language from which a factor counts as steering.") var threshold = 0.5
    @OptionGroup var generation: SteeringGenerationOptions
    @Option(help: "Run directory; results go to OUT/steering/.") var out: String
    @Flag(help: "Print the sweep as JSON.") var json = false

    func run() throws {
        let values = try SteeringInputOptions.list(factors).map { text -> Float in
            guard let v = Float(text), v.isFinite else { throw ValidationError("--factors: '\(text)' is not a number") }
            return v
        }
        let (byLanguage, promptSource) = try SteeringInputOptions.questions(path: prompts, promptLanguage: promptLanguage, for: ["q"])
        let questions = Array((byLanguage["q"] ?? []).prefix(promptCount))
        let model = try CLI.loadModel(inputs.model, quiet: json, precision: inputs.modelOption.precision)
        let config = AmplificationConfig(model: model.name, language: language, factors: values, exclusive: exclusive,
                                         positions: positions, generation: try generation.settings(), threshold: threshold,
                                         prompts: promptSource, perplexityTexts: pplData == "none" ? "" : pplData)
        var score: ((SteeringPlan) throws -> Double)? = nil
        if pplData != "none" {
            let split: DatasetSplit? = pplData == "builtin" ? .dev : nil
            let texts = Array((try Dataset.load(path: pplData, languages: [language], split: split).first?.texts ?? []).prefix(pplTexts))
            score = { plan in try SteeredPerplexity.macro(model: model, texts: texts, plan: plan) }
        }
        let backend = SteeringBackend.model(model, settings: config.generation, identify: try inputs.identifier())
        let sweep = try AmplificationSweep.run(config: config, questions: questions, masks: try inputs.loadMasks(),
                                               backend: backend, perplexity: score) { point in
            CLI.printError(String(format: "factor %g: %.0f %% in %@, PPL %@", point.factor, point.targetShare * 100, language,
                                  point.perplexity.map { String(format: "%.2f", $0) } ?? "–"))
        }
        let directory = URL(fileURLWithPath: out).appendingPathComponent("steering")
        try sweep.write(to: directory.appendingPathComponent("amplification-\(language).json"))
        try Figure(SteeringFigures.amplificationShare(sweep)).write(to: directory, name: "amplification-\(language)")
        if let ppl = SteeringFigures.amplificationPerplexity(sweep) {
            try Figure(ppl).write(to: directory, name: "amplification-\(language)-ppl")
        }
        if json {
            print(try CLI.json(sweep, pretty: true))
        } else {
            for p in sweep.points {
                print(String(format: "factor %6g  in %@ %5.1f %%  PPL %@", p.factor, language, p.targetShare * 100,
                             p.perplexity.map { String(format: "%.3f", $0) } ?? "–"))
            }
            print("smallest steering factor: \(sweep.smallestSteeringFactor.map { "\($0)" } ?? "none (below \(threshold))")")
        }
    }
}
