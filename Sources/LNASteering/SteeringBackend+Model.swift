import Foundation
import LNAHooks
import LNAModels

extension SteeringPlan {
    /// Hooks carrying this plan's interventions for `model`, placed by the width of the plan's masks: MLP neurons
    /// on `mlp.hook_act`, expert neurons on their experts' `mlp.experts.e.hook_act` (`ModelConfig.neuronLayout`).
    ///
    /// ```swift
    /// let hooks = try plan.hookSet(for: model)
    /// ```
    public func hookSet(for model: Model) throws -> HookSet {
        guard layers == model.config.layerCount else {
            throw SteeringError.shapeMismatch("the plan is for \(layers) layers, the model has \(model.config.layerCount)")
        }
        let layout: NeuronLayout
        do { layout = try model.config.neuronLayout(width: width, source: "steering plan") } catch {
            throw SteeringError.shapeMismatch("\(model.name): \(error)")
        }
        let hooks = HookSet(layerCount: layers)
        try hooks.intervene(interventions(for: layout))
        return hooks
    }
}

extension SteeringBackend {
    /// The real backend: generate with `model` under each plan, identify with `identify`.
    ///
    /// ```swift
    /// let backend = SteeringBackend.model(model, settings: GenerationSettings(maxTokens: 32),
    ///                                     identify: try OutputLanguage.builtin())
    /// ```
    public static func model(_ model: Model, settings: GenerationSettings, identify: OutputLanguage) -> SteeringBackend {
        let generator = SteeredGenerator(model: model, settings: settings)
        return SteeringBackend(generate: { question, plan in try generator.generate(question: question, plan: plan).text },
                               identify: { identify($0) })
    }
}

/// Perplexity of texts under a steering plan: the macro average exp(mean over texts of each text's mean NLL),
/// as NJUNLP and Tang aggregate (METHODS §8.5).
///
/// ```swift
/// let ppl = try SteeredPerplexity.macro(model: model, texts: frenchSentences, plan: plan)
/// ```
public enum SteeredPerplexity {
    public static func macro(model: Model, texts: [String], plan: SteeringPlan) throws -> Double {
        let hooks = plan.interventions.isEmpty ? nil : try plan.hookSet(for: model)
        var nlls: [Double] = []
        for text in texts {
            let ids = model.tokenizer.encode(text)
            guard ids.count >= 2 else { continue }
            let result = try model.score(tokens: ids, hooks: hooks)
            guard result.scoredCount > 0 else { continue }
            nlls.append(result.nllSum / Double(result.scoredCount))
        }
        guard !nlls.isEmpty else {
            throw SteeringError.invalidOption("no text with at least two tokens to score perplexity on")
        }
        return exp(nlls.reduce(0, +) / Double(nlls.count))
    }
}

/// Gurgurov et al.'s six fixed questions (how are you, name, year, favourite colour, weather, where from), in
/// English: the default prompts of the forcing experiments.
///
/// ```swift
/// BuiltinQuestions.english.count   // 6
/// ```
public enum BuiltinQuestions {
    public static let english = [
        "How are you today?",
        "What is your name?",
        "What year is it?",
        "What is your favourite colour?",
        "What is the weather like today?",
        "Where are you from?",
    ]
}
