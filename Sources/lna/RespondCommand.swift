import ArgumentParser
import Foundation
import LNAData
import LNAModels
import LNARecording

/// `lna respond`: the model's own answers to MGSM/MSVAMP questions, written as NJUNLP JSON.
struct RespondCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond",
        abstract: "Generate answers to instruction datasets (MGSM, MSVAMP) and write the NJUNLP JSON format.",
        discussion: """
            The output feeds `lna activation -d FILE`, which then records full and prefix statistics in one pass.
            Example: lna respond --model gemma3-270m -d shared/datasets/mgsm -n 10 --out mgsm-answers.json
            """)

    @OptionGroup var modelOption: ModelOption
    @Option(name: [.customShort("d"), .customLong("data")], help: "Questions: an MGSM or MSVAMP file or folder (any dataset with texts).")
    var data: String
    @OptionGroup(title: "Languages (default: all)") var languagesOption: LanguagesOption
    @Option(help: "Dataset format when it cannot be detected.")
    var format: String?
    @Option(name: .customShort("n"), help: "Questions per language (the first N).")
    var count: Int = 10
    @Option(help: "Answers per question.")
    var answers: Int = 1
    @Option(help: "Prompt template; {question} is replaced by the question.")
    var template: String = "{question}"
    @Option(help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0
    @Option(help: "Top-k sampling (with --temperature > 0).")
    var topK: Int?
    @Option(help: "Seed of the sampler.")
    var seed: UInt64 = 0
    @Option(help: "New tokens per answer at most.")
    var maxTokens: Int = 256
    @Option(help: "Stop an answer at this string (repeatable; the string is cut off).")
    var stop: [String] = []
    @Option(help: "The NJUNLP JSON file to write.")
    var out: String
    @Flag(help: "No progress lines.")
    var quiet = false

    func validate() throws {
        guard template.contains("{question}") else { throw ValidationError("--template must contain {question}") }
        guard count >= 1 else { throw ValidationError("-n \(count): expected ≥ 1 question per language") }
        guard answers >= 1 else { throw ValidationError("--answers \(answers): expected ≥ 1") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens \(maxTokens): expected ≥ 1") }
        guard temperature.isFinite, temperature >= 0 else { throw ValidationError("--temperature \(temperature): expected a finite number ≥ 0") }
        if let topK, topK < 1 { throw ValidationError("--top-k \(topK): expected ≥ 1") }
        _ = try languagesOption.list()
    }

    func run() throws {
        let m = try CLI.loadModel(modelOption.model, quiet: quiet, precision: modelOption.precision)
        let detected: DatasetFormat? = try format.map { try DatasetFormat.named($0) }
        let languages = try languagesOption.list()
        let sets = try Dataset.load(path: data, format: detected, languages: languages)
        var settings = ResponseSettings()
        settings.template = template
        settings.questionsPerLanguage = count
        settings.answersPerQuestion = answers
        settings.temperature = temperature
        settings.topK = topK
        settings.seed = seed
        settings.maxTokens = maxTokens
        settings.stopStrings = stop
        let start = Date()
        let items = try ResponseGenerator(model: m, settings: settings).respond(to: sets) { item, done, total in
            if !quiet {
                let preview = item.answers.first?.generated.prefix(60).replacingOccurrences(of: "\n", with: " ") ?? ""
                CLI.printError(String(format: "[%d/%d] %@ %.0f s: %@", done, total, item.lang, Date().timeIntervalSince(start), preview))
            }
        }
        try ResponseGenerator.writeNJUNLP(items, to: URL(fileURLWithPath: out))
        print("\(items.count) questions, \(items.reduce(0) { $0 + $1.answers.count }) answers in \(sets.count) languages → \(out)")
    }
}
