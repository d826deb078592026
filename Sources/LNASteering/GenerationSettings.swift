import Foundation
/// How prompts are built and outputs generated in the steering experiments. The defaults follow Gurgurov et
/// al.: greedy, repetition penalty 1.1, `Q: <question>\nA:`, stop at EOS or at `\nQ:` / `\nA:`.
///
/// ```swift
/// var settings = GenerationSettings(maxTokens: 32)
/// settings.prompt(for: "How are you?")   // "Q: How are you?\nA:"
/// ```
public struct GenerationSettings: Codable, Sendable, Equatable {
    public var maxTokens: Int
    public var temperature: Float
    public var repetitionPenalty: Float
    public var seed: UInt64
    /// `{question}` is replaced by the question.
    public var template: String
    /// Generation stops as soon as the decoded output contains one of these; the output is cut before it.
    public var stopStrings: [String]
    public var stopAtEndOfSequence: Bool

    public init(maxTokens: Int = 32, temperature: Float = 0, repetitionPenalty: Float = 1.1, seed: UInt64 = 0,
                template: String = "Q: {question}\nA:", stopStrings: [String] = ["\nQ:", "\nA:"],
                stopAtEndOfSequence: Bool = true) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
        self.template = template
        self.stopStrings = stopStrings
        self.stopAtEndOfSequence = stopAtEndOfSequence
    }

    /// The prompt text of a question.
    public func prompt(for question: String) -> String {
        template.replacingOccurrences(of: "{question}", with: question)
    }

    /// The output cut before the first stop string, and whether one was found.
    public func cut(_ text: String) -> (text: String, stopped: Bool) {
        var end = text.endIndex
        for stop in stopStrings where !stop.isEmpty {
            if let range = text.range(of: stop), range.lowerBound < end { end = range.lowerBound }
        }
        return (String(text[..<end]), end != text.endIndex)
    }

    /// Checks the values; throws naming the bad one.
    public func validate() throws {
        guard maxTokens > 0 else { throw SteeringError.invalidOption("--max-tokens \(maxTokens): expected ≥ 1") }
        guard temperature >= 0, temperature.isFinite else { throw SteeringError.invalidOption("--temperature \(temperature): expected ≥ 0") }
        guard repetitionPenalty > 0, repetitionPenalty.isFinite else {
            throw SteeringError.invalidOption("--repetition-penalty \(repetitionPenalty): expected > 0")
        }
    }
}
