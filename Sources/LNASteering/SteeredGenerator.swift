import LNAModels

/// One generated answer: the prompt, the text (cut at a stop string) and why generation ended.
///
/// ```swift
/// let out = try generator.generate(question: "How are you?", plan: plan)
/// print(out.text)
/// ```
public struct GenerationOutput: Codable, Sendable, Equatable {
    public var prompt: String
    public var text: String
    public var tokens: Int
    /// `eos`, `stop-string` or `max-tokens`.
    public var stoppedBy: String

    public init(prompt: String, text: String, tokens: Int, stoppedBy: String) {
        self.prompt = prompt
        self.text = text
        self.tokens = tokens
        self.stoppedBy = stoppedBy
    }
}

/// Generates answers with a steering plan applied at every forward pass (prompt and each new token).
///
/// ```swift
/// let generator = SteeredGenerator(model: model, settings: GenerationSettings(maxTokens: 32))
/// let out = try generator.generate(question: "Where are you from?", plan: plan)
/// ```
public struct SteeredGenerator {
    public let model: Model
    public var settings: GenerationSettings

    public init(model: Model, settings: GenerationSettings = GenerationSettings()) {
        self.model = model
        self.settings = settings
    }

    /// Generates the answer to `question` (put into the template).
    public func generate(question: String, plan: SteeringPlan) throws -> GenerationOutput {
        try generate(prompt: settings.prompt(for: question), plan: plan)
    }

    /// Generates a continuation of a raw prompt text.
    public func generate(prompt: String, plan: SteeringPlan) throws -> GenerationOutput {
        try settings.validate()
        let hooks = plan.interventions.isEmpty ? nil : try plan.hookSet(for: model)
        let ids = model.tokenizer.encode(prompt)
        guard !ids.isEmpty else {
            throw SteeringError.invalidOption("the prompt encodes to no tokens (is the tokenizer a stub?)")
        }
        var sampler = Sampler(temperature: settings.temperature, repetitionPenalty: settings.repetitionPenalty,
                              seed: settings.seed)
        let eos: Set<Int> = settings.stopAtEndOfSequence ? Set([model.tokenizer.eosID].compactMap { $0 }) : []
        var generated: [Int] = []
        var hitStop = false
        let tokenizer = model.tokenizer
        let stops = settings
        let newTokens = try model.generate(prompt: ids, maxTokens: settings.maxTokens, sampler: &sampler, hooks: hooks,
                                      stopTokens: eos) { token in
            generated.append(token)
            if stops.cut(tokenizer.decode(generated)).stopped { hitStop = true; return false }
            return true
        }
        var body = newTokens
        let endedOnEOS = body.last.map { eos.contains($0) } ?? false
        if endedOnEOS { body.removeLast() }
        let (text, _) = settings.cut(tokenizer.decode(body))
        let reason = endedOnEOS ? "eos" : hitStop ? "stop-string" : "max-tokens"
        return GenerationOutput(prompt: prompt, text: text, tokens: newTokens.count, stoppedBy: reason)
    }
}
