import ArgumentParser
import Foundation
import LNAAnalysis
import LNAData
import LNALangID
import LNAModels
import LNASteering
import LNAFiles

/// `lna steer`: generate with one language's neurons deactivated and/or another's boosted (Gurgurov et al.'s
/// language arithmetics, METHODS §3.5), at `mlp.hook_act` on every forward pass.
struct SteerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steer",
        abstract: "Generate with language neurons deactivated and/or activated (language arithmetics).",
        discussion: """
        Per layer, the neurons of the --deactivate languages (union of their masks) are set first, then those of \
        --activate are boosted with the mean activation μ = sum_act / total_tokens of the --stats folder:
          additive     a += α·μ_tgt
          replacement  a  = μ_tgt
          diffmean     a += α·(μ_tgt − mean of μ over the other languages)
        Example: lna steer --model gemma3-270m --masks runs/g/masks.json --stats runs/g/activations \\
                 --prompt "How are you?" --deactivate en --activate fr
        """)

    @OptionGroup var inputs: SteeringInputOptions
    @Option(help: "One question (put into --template).") var prompt: String?
    @Option(help: "A file of questions, one per line (the text before a TAB, so MGSM .tsv files work).") var prompts: String?
    @Option(help: "Languages to deactivate, comma-separated.") var deactivate: String?
    @Option(help: "zero | value:S | scale:F | invert (also: negative = value:-1, mask = scale:-0.1).")
    var deactivation: DeactivationKind = .value(-1)
    @Option(help: "Language to activate.") var activate: String?
    @Option(help: "additive | replacement | diffmean.") var method: ActivationMethod = .additive
    @Option(help: "Activation strength α.") var alpha: Float = 1
    @Option(help: "all | prompt | generated.") var positions: SteeringPositions = .all
    @OptionGroup var generation: SteeringGenerationOptions
    @Option(help: "Also write the plan (the interventions, as JSON) to this file.") var planOut: String?
    @Flag(help: "Print {plan, outputs:[{question, text, language, stoppedBy, tokens}]} as JSON.") var json = false

    func validate() throws {
        if (prompt == nil) == (prompts == nil) { throw ValidationError("give exactly one of --prompt TEXT or --prompts FILE") }
    }

    func run() throws {
        let questions = try prompt.map { [$0] } ?? SteeringInputOptions.lines(of: prompts!)
        let masks = try inputs.loadMasks()
        let means = activate == nil ? nil : try inputs.loadMeans()
        let request = SteeringRequest(deactivate: SteeringInputOptions.list(deactivate), deactivation: deactivation,
                                      activate: activate, method: method, alpha: alpha, positions: positions)
        let plan = try SteeringPlan.build(masks: masks, means: means, request: request)
        if let planOut { try writeJSON(plan, to: planOut) }
        let model = try CLI.loadModel(inputs.model, quiet: json, precision: inputs.modelOption.precision)
        let generator = SteeredGenerator(model: model, settings: try generation.settings())
        let identify = try inputs.identifier()
        struct Record: Encodable { let question: String; let text: String; let language: String; let stoppedBy: String; let tokens: Int }
        var records: [Record] = []
        for question in questions {
            let out = try generator.generate(question: question, plan: plan)
            let record = Record(question: question, text: out.text, language: identify(out.text),
                                stoppedBy: out.stoppedBy, tokens: out.tokens)
            records.append(record)
            if !json { print("[\(record.language)] \(out.prompt)\(out.text)") }
        }
        if json {
            struct Output: Encodable { let plan: SteeringPlan; let outputs: [Record] }
            print(try CLI.json(Output(plan: plan, outputs: records), pretty: true))
        }
    }

    private func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        do { try AtomicFile.write(Data(try CLI.json(value, pretty: true).utf8), to: URL(fileURLWithPath: path)) } catch {
            throw CLIError("\(path): cannot write the plan: \(error)")
        }
    }
}

/// Model, masks, statistics and language identifier: the inputs every steering command shares.
struct SteeringInputOptions: ParsableArguments {
    @OptionGroup var modelOption: ModelOption
    var model: String { modelOption.model }
    @Option(help: "Masks: masks.json, masks.safetensors or an original .pth file.") var masks: String
    @Option(help: "Folder of per-language statistics files with sum_act (from `lna activation`); needed to activate.")
    var stats: String?
    @Option(help: "Language identifier for the outputs, from `lna langid train` (default: the built-in 205-language model).")
    var langid: String?

    func loadMasks() throws -> MaskSet { try MaskSet.read(URL(fileURLWithPath: masks)) }

    func loadMeans() throws -> MeanActivations {
        guard let stats else { throw ValidationError("activating a language needs --stats DIR (statistics files with sum_act)") }
        return try MeanActivations(statistics: StatisticsLoader.load(URL(fileURLWithPath: stats)))
    }

    func identifier() throws -> OutputLanguage {
        guard let langid else { return try OutputLanguage.builtin() }
        return OutputLanguage(identifier: try LanguageIdentifier.load(from: URL(fileURLWithPath: langid)))
    }

    /// `en,fr , de` → ["en", "fr", "de"].
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The non-empty lines of a file; the part before a TAB (MGSM's question column).
    static func lines(of path: String) throws -> [String] {
        // FileHandle also reads pipes (`--prompts <(…)`), which FileManager.contents(atPath:) does not.
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("\(path): no such file or not readable") }
        let data = handle.readDataToEndOfFile()
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { String($0.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).first ?? "") }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { throw CLIError("\(path): no prompts (one per line expected)") }
        return lines
    }

    /// Questions per language: `--prompts` (a dataset path, or a text file) for each language, the prompts of
    /// `--prompt-language` for every language, or Gurgurov's six English questions when no path is given.
    static func questions(path: String?, promptLanguage: String?, for languages: [String]) throws -> ([String: [String]], String) {
        guard let path else {
            return (Dictionary(uniqueKeysWithValues: languages.map { ($0, BuiltinQuestions.english) }), "builtin English questions")
        }
        if path.hasSuffix(".txt") {
            let lines = try lines(of: path)
            return (Dictionary(uniqueKeysWithValues: languages.map { ($0, lines) }), path)
        }
        if let promptLanguage {
            let texts = try Dataset.load(path: path, languages: [promptLanguage])
            let list = texts.first?.texts ?? []
            return (Dictionary(uniqueKeysWithValues: languages.map { ($0, list) }), "\(path) (\(promptLanguage))")
        }
        var result: [String: [String]] = [:]
        for (language, texts) in zip(languages, try Dataset.load(path: path, languages: languages)) { result[language] = texts.texts }
        return (result, path)
    }
}

/// Sampling options shared by the steering commands (Gurgurov's defaults: greedy, penalty 1.1).
struct SteeringGenerationOptions: ParsableArguments {
    @Option(help: "New tokens at most.") var maxTokens = 32
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0
    @Option(help: "Repetition penalty (1 = none).") var repetitionPenalty: Float = 1.1
    @Option(help: "Seed of the sampler (temperature > 0).") var seed: UInt64 = 0
    @Option(help: "Prompt template; {question} is replaced, \\n is a newline.") var template = "Q: {question}\\nA:"
    @Option(help: "Stop strings, comma-separated (\\n is a newline); empty for none.") var stop = "\\nQ:,\\nA:"

    func settings() throws -> GenerationSettings {
        let unescape = { (s: String) in s.replacingOccurrences(of: "\\n", with: "\n") }
        let settings = GenerationSettings(maxTokens: maxTokens, temperature: temperature, repetitionPenalty: repetitionPenalty,
                                          seed: seed, template: unescape(template),
                                          stopStrings: stop.split(separator: ",").map { unescape(String($0)) })
        try settings.validate()
        return settings
    }
}

extension DeactivationKind: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
    public var defaultValueDescription: String { description }
}

extension ActivationMethod: ExpressibleByArgument {}
extension SteeringPositions: ExpressibleByArgument {}
