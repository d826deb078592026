import ArgumentParser
import Foundation
import LNAReport
import LNASteering

/// `lna fallback`: deactivate languages one more at a time and report the output languages after each step.
struct FallbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fallback",
        abstract: "Progressive deactivation: switch off languages in order, report the output-language distribution.",
        discussion: """
        Step 0 is the unchanged model; step i deactivates the first i languages of --order (union of their masks). \
        Writes OUT/steering/fallback.json and fallback.png/.svg.
        Example: lna fallback --model gemma3-270m --masks runs/g/masks.json --order en,fr,es,de,ru,zh --out runs/g
        """)

    @OptionGroup var inputs: SteeringInputOptions
    @Option(help: "Languages to deactivate, in order, comma-separated (Gurgurov: en,fr,es,it,pt,ru,de,ar,zh,ko,ja).")
    var order: String
    @Option(help: "zero | value:S | scale:F | invert (also negative, mask).") var deactivation: DeactivationKind = .value(-1)
    @Option(help: "all | prompt | generated.") var positions: SteeringPositions = .all
    @Option(help: "Prompts: a dataset path or a .txt file (default: six fixed English questions).") var prompts: String?
    @Option(help: "Language of the prompts in a multilingual dataset.") var promptLanguage = "en"
    @Option(help: "Prompts used.") var promptCount = 6
    @OptionGroup var generation: SteeringGenerationOptions
    @Option(help: "Run directory; results go to OUT/steering/.") var out: String
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        let (byLanguage, promptSource) = try SteeringInputOptions.questions(path: prompts, promptLanguage: promptLanguage, for: ["q"])
        let questions = Array((byLanguage["q"] ?? []).prefix(promptCount))
        let model = try CLI.loadModel(inputs.model, quiet: json, precision: inputs.modelOption.precision)
        let config = FallbackConfig(model: model.name, order: SteeringInputOptions.list(order), deactivation: deactivation,
                                    positions: positions, generation: try generation.settings(), prompts: promptSource)
        let backend = SteeringBackend.model(model, settings: config.generation, identify: try inputs.identifier())
        let result = try FallbackExperiment.run(config: config, questions: questions, masks: try inputs.loadMasks(),
                                                backend: backend) { step in
            CLI.printError("−[\(step.deactivated.joined(separator: ","))]: " + Self.describe(step))
        }
        let directory = URL(fileURLWithPath: out).appendingPathComponent("steering")
        try result.write(to: directory.appendingPathComponent("fallback.json"))
        try Figure(SteeringFigures.fallback(result)).write(to: directory, name: "fallback")
        if json {
            print(try CLI.json(result, pretty: true))
        } else {
            for step in result.steps {
                print("deactivated [\(step.deactivated.joined(separator: ","))]: \(Self.describe(step))")
            }
        }
    }

    static func describe(_ step: FallbackStep) -> String {
        step.distribution.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ") + " (most common: \(step.mostCommon ?? "–"))"
    }
}
