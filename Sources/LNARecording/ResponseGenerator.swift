import Foundation
import LNAData
import LNAModels
import LNAFiles

/// Generates model answers to instruction datasets (MGSM, MSVAMP questions) and writes them in the NJUNLP
/// JSON format (`[{lang, instruction, answers: [{generated}]}]`), so the prefix/full recording can run on our
/// own models end to end.
///
/// ```swift
/// var settings = ResponseSettings()
/// settings.questionsPerLanguage = 10
/// let items = try ResponseGenerator(model: model, settings: settings).respond(to: mgsm)
/// try ResponseGenerator.writeNJUNLP(items, to: URL(fileURLWithPath: "mgsm-answers.json"))
/// ```
public struct ResponseSettings: Sendable {
    /// The prompt; `{question}` is replaced by the question. The prompt is the NJUNLP `instruction`.
    public var template: String = "{question}"
    public var questionsPerLanguage: Int = 10
    public var answersPerQuestion: Int = 1
    public var maxTokens: Int = 256
    /// 0: greedy.
    public var temperature: Float = 0
    public var topK: Int? = nil
    public var seed: UInt64 = 0
    /// Generation also stops when the decoded answer contains one of these strings (cut before it).
    public var stopStrings: [String] = []

    public init() {}
}

/// One NJUNLP item.
public struct NJUNLPItem: Sendable, Codable, Equatable {
    public struct Answer: Sendable, Codable, Equatable {
        public var generated: String
        public init(generated: String) { self.generated = generated }
    }
    /// English language name, as the NJUNLP files have it (`English`, `Chinese`...).
    public var lang: String
    public var instruction: String
    public var answers: [Answer]

    public init(lang: String, instruction: String, answers: [Answer]) {
        self.lang = lang
        self.instruction = instruction
        self.answers = answers
    }
}

/// See `ResponseSettings`.
public struct ResponseGenerator {
    public let model: Model
    public let settings: ResponseSettings

    public init(model: Model, settings: ResponseSettings) {
        self.model = model
        self.settings = settings
    }

    /// The prompt of a question.
    public func prompt(for question: String) -> String {
        settings.template.replacingOccurrences(of: "{question}", with: question)
    }

    /// Answers the first `questionsPerLanguage` instructions of every language; `onItem` sees each item.
    public func respond(to languages: [LanguageTexts], onItem: ((NJUNLPItem, Int, Int) -> Void)? = nil) throws -> [NJUNLPItem] {
        guard settings.questionsPerLanguage >= 1, settings.answersPerQuestion >= 1, settings.maxTokens >= 1 else {
            throw RecordingError.invalidSetting("-n, --answers and --max-tokens must be ≥ 1")
        }
        let tokenizer = model.tokenizer
        var stops: Set<Int> = []
        if let eos = tokenizer.eosID { stops.insert(eos) }
        var items: [NJUNLPItem] = []
        let total = languages.reduce(0) { $0 + min($1.examples.isEmpty ? $1.texts.count : $1.examples.count, settings.questionsPerLanguage) }
        for entry in languages {
            let questions = entry.examples.isEmpty ? entry.texts : entry.examples.map(\.instruction)
            for (q, question) in questions.prefix(settings.questionsPerLanguage).enumerated() {
                let instruction = prompt(for: question)
                let ids = tokenizer.encode(instruction)
                guard !ids.isEmpty else {
                    throw RecordingError.emptyInput("\(entry.language.code) question \(q + 1): the prompt encodes to no tokens (is the model's tokenizer available?)")
                }
                var answers: [NJUNLPItem.Answer] = []
                for a in 0..<settings.answersPerQuestion {
                    var sampler = Sampler(temperature: settings.temperature, topK: settings.topK,
                                          seed: settings.seed &+ UInt64(q * 1000 + a))
                    var produced: [Int] = []
                    let stopStrings = settings.stopStrings
                    let newIDs = try model.generate(prompt: ids, maxTokens: settings.maxTokens, sampler: &sampler,
                                                    stopTokens: stops) { token in
                        produced.append(token)
                        guard !stopStrings.isEmpty else { return true }
                        let text = tokenizer.decode(produced)
                        return !stopStrings.contains { text.contains($0) }
                    }
                    answers.append(.init(generated: Self.clean(tokenizer.decode(newIDs.filter { !stops.contains($0) }),
                                                               stopStrings: stopStrings)))
                }
                let item = NJUNLPItem(lang: entry.language.englishName, instruction: instruction, answers: answers)
                items.append(item)
                onItem?(item, items.count, total)
            }
        }
        return items
    }

    /// Cuts the answer before the first stop string.
    static func clean(_ text: String, stopStrings: [String]) -> String {
        var cut = text
        for stop in stopStrings where !stop.isEmpty {
            if let range = cut.range(of: stop) { cut = String(cut[..<range.lowerBound]) }
        }
        return cut
    }

    /// Writes the items as a pretty NJUNLP JSON array, atomically.
    public static func writeNJUNLP(_ items: [NJUNLPItem], to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(items)
        do { try AtomicFile.write(data, to: url) } catch {
            throw RecordingError.io(path: url.path, reason: error.reason)
        }
    }
}
