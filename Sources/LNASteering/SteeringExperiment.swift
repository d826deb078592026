import Foundation
import LNAData
import LNAFiles

/// What an experiment needs from a model, as closures so the experiments run (and are tested) without one:
/// generate an answer to a question under a plan, and name the language of a text.
///
/// ```swift
/// let backend = SteeringBackend(generate: { q, plan in try generator.generate(question: q, plan: plan).text },
///                               identify: { classify($0) })
/// ```
public struct SteeringBackend {
    public var generate: (_ question: String, _ plan: SteeringPlan) throws -> String
    public var identify: (_ text: String) -> String

    public init(generate: @escaping (_ question: String, _ plan: SteeringPlan) throws -> String,
                identify: @escaping (_ text: String) -> String) {
        self.generate = generate
        self.identify = identify
    }

    /// Answers every question under `plan` and labels each answer's language.
    public func outputs(_ questions: [String], plan: SteeringPlan) throws -> [LabelledOutput] {
        try questions.map { q in
            let text = try generate(q, plan)
            return LabelledOutput(question: q, text: text, language: identify(text))
        }
    }
}

/// One generated answer and the language identified in it.
///
/// ```swift
/// LabelledOutput(question: "How are you?", text: "Je vais bien.", language: "fr")
/// ```
public struct LabelledOutput: Codable, Sendable, Equatable {
    public var question: String
    public var text: String
    public var language: String

    public init(question: String, text: String, language: String) {
        self.question = question
        self.text = text
        self.language = language
    }
}

extension Array where Element == LabelledOutput {
    /// Share (0…1) of outputs identified as `language`; 0 when empty.
    public func share(of language: String) -> Double {
        isEmpty ? 0 : Double(filter { $0.language == language }.count) / Double(count)
    }

    /// Number of outputs per identified language.
    public var languageCounts: [String: Int] {
        reduce(into: [:]) { $0[$1.language, default: 0] += 1 }
    }
}

/// JSON reading and atomic writing shared by the experiment result files.
enum ResultFile {
    static func write<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(value) } catch {
            throw SteeringError.io("\(url.path): cannot encode: \(error)")
        }
        try AtomicFile.write(data, to: url)
    }

    static func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SteeringError.io("\(url.path): cannot read: \(ErrorSentence.sentence(for: error))")
        }
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw SteeringError.io("\(url.path): not a valid \(T.self) file: \(error)")
        }
    }
}
