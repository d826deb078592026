import ArgumentParser
import Foundation
import LNAPipeline

/// `lna neuron MODEL 17.1234 --run DIR`: the card of a neuron (vocabulary projection, top contexts per language,
/// activation probabilities, score, class); `--all` writes the cards of every mask neuron for the report.
struct NeuronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neuron",
        abstract: "Print neuron cards: promoted/suppressed tokens, top contexts per language, probabilities, score, class.",
        discussion: """
            The run directory gives the statistics (RUN/activations, with the top-context sidecars of \
            `lna activation --top-contexts K`) and the masks (RUN/masks.json); the model gives the vocabulary \
            projection (down_proj column through the final norm and LM head) and decodes the contexts.
            Examples:
              lna neuron gemma3-270m 17.1234 --run runs/sib
              lna neuron gemma3-270m 17.1234 3.77 --run runs/sib --json
              lna neuron gemma3-270m --all --run runs/sib          # → runs/sib/neurons/cards.json, read by lna report
            """)

    @Argument(help: "The model the run was recorded with (.gguf, Hugging Face folder or a known name).") var model: String
    @Argument(help: "Neurons as LAYER.INDEX (e.g. 17.1234).") var neurons: [String] = []
    @Option(name: .customLong("run"), help: "The run directory (activations/ and masks.json).") var runPath: String
    @Option(help: "Statistics folder (default: RUN/activations).") var activations: String?
    @Flag(help: "Cards of every neuron of the run's masks, written to --out (default RUN/neurons/cards.json).") var all = false
    @Option(help: "Output file of --all.") var out: String?
    @Flag(help: "Print JSON (the cards.json format) instead of text.") var json = false
    @Option(help: "Top contexts per language on a card (default: all the sidecar keeps).") var contexts: Int?
    @Option(help: "Promoted and suppressed tokens per card.") var tokens: Int = 20
    @Option(help: "How to keep layer weights: auto, resident, bf16, streamed. Default: $LNA_WEIGHTS or auto.") var weights: String?

    func validate() throws {
        guard all || !neurons.isEmpty else { throw ValidationError("give neurons as LAYER.INDEX (e.g. 17.1234) or --all") }
        guard !(all && !neurons.isEmpty) else { throw ValidationError("give either neurons or --all, not both") }
        guard (1...1000).contains(tokens) else { throw ValidationError("--tokens \(tokens): expected 1…1000") }
        if let contexts, contexts < 1 { throw ValidationError("--contexts \(contexts): expected ≥ 1") }
    }

    func run() throws {
        let ids = try neurons.map { try NeuronID(parsing: $0) }
        let runDirectory = RunDirectory(URL(fileURLWithPath: runPath))
        let m = try CLI.loadModel(model, quiet: true, weights: weights)
        var builder = try NeuronCardBuilder.forRun(model: m, run: runDirectory,
                                                   activations: activations.map { URL(fileURLWithPath: $0) })
        builder.projectionSize = tokens
        builder.contextsPerLanguage = contexts
        if builder.topContexts.isEmpty {
            CLI.printError("note: no top-context sidecars next to the statistics; record with `lna activation --top-contexts K` for contexts")
        }
        if all {
            let list = builder.maskNeurons()
            guard !list.isEmpty else { throw CLIError("\(runPath): no masks or empty masks; run `lna identify` first") }
            let cards = try builder.cards(for: list)
            let target = out.map { URL(fileURLWithPath: $0) } ?? NeuronCardFile.url(in: runDirectory)
            try NeuronCardFile.write(builder.document(cards), to: target)
            print("\(cards.count) neuron cards → \(target.path)")
            return
        }
        let cards = try builder.cards(for: ids)
        if json {
            print(builder.document(cards).serialized(pretty: true))
        } else {
            print(cards.map { $0.text(contextsPerLanguage: contexts ?? 5) }.joined(separator: "\n\n"))
        }
    }
}
