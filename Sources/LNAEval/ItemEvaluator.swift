import LNAModels
import LNASteering

/// Evaluates one item under one plan: log-likelihood of each label (sib200-topic), or greedy generation read
/// by the task's rules (mgsm, msvamp: numeric answer; translate: chrF, chrF++, output language).
///
/// ```swift
/// let evaluator = ItemEvaluator(model: model, settings: settings, identify: try OutputLanguage.builtin())
/// let record = try evaluator.evaluate(item, plan: .none(layers: 18, width: 2048))
/// ```
public struct ItemEvaluator {
    public let model: Model
    public let settings: EvalTaskSettings
    public let identify: OutputLanguage
    let scorer: ChoiceScorer
    static let chrF = ChrF(), chrFPlusPlus = ChrF(wordOrder: 2)

    public init(model: Model, settings: EvalTaskSettings, identify: OutputLanguage) {
        self.model = model
        self.settings = settings
        self.identify = identify
        scorer = ChoiceScorer(model: model)
    }

    public func evaluate(_ item: EvalItem, plan: SteeringPlan) throws -> EvalRecord {
        if settings.task.isLogLikelihood { return try classify(item, plan: plan) }
        return try generate(item, plan: plan)
    }

    func classify(_ item: EvalItem, plan: SteeringPlan) throws -> EvalRecord {
        // The harness' target delimiter: each label continues the prompt after one space.
        let scores = try scorer.score(context: item.prompt, sharedPrefix: item.sharedPrefix,
                                      continuations: item.choices.map { " " + $0 }, plan: plan)
        let (raw, normalized) = ChoiceScorer.predictions(logLikelihoods: scores.logLikelihoods, choices: item.choices)
        var record = EvalRecord(id: item.id, prediction: item.choices[raw], gold: item.gold,
                                correct: item.choices[raw] == item.gold, tokens: scores.evaluatedTokens)
        record.correctNormalized = item.choices[normalized] == item.gold
        record.logLikelihoods = scores.logLikelihoods
        return record
    }

    func generate(_ item: EvalItem, plan: SteeringPlan) throws -> EvalRecord {
        // Greedy without a repetition penalty, as the harness generates (do_sample false, temperature 0).
        let generation = GenerationSettings(maxTokens: settings.maxTokens, temperature: 0, repetitionPenalty: 1,
                                            template: "{question}", stopStrings: settings.stopStrings)
        let out = try SteeredGenerator(model: model, settings: generation).generate(prompt: item.prompt, plan: plan)
        let promptTokens = model.tokenizer.encode(item.prompt).count
        var record: EvalRecord
        if settings.task == .translate {
            let hypothesis = out.text.trimmingWhitespace
            record = EvalRecord(id: item.id, prediction: hypothesis, gold: item.gold, correct: nil, tokens: promptTokens + out.tokens)
            let stats = Self.chrF.statistics(hypothesis: hypothesis, references: [item.gold])
            let statsPlusPlus = Self.chrFPlusPlus.statistics(hypothesis: hypothesis, references: [item.gold])
            record.chrF = Self.chrF.fScore(stats)
            record.chrFPlusPlus = Self.chrFPlusPlus.fScore(statsPlusPlus)
            record.chrFStatistics = stats
            record.chrFPlusPlusStatistics = statsPlusPlus
            let language = identify(hypothesis)
            record.outputLanguage = language
            record.outputLanguageMatches = item.outputLanguage.map { $0 == language }
        } else {
            let (answer, rule) = AnswerExtraction.extract(out.text, chainOfThought: settings.chainOfThought)
            record = EvalRecord(id: item.id, prediction: answer ?? "", gold: item.gold,
                                correct: AnswerExtraction.isCorrect(prediction: answer, gold: item.gold),
                                tokens: promptTokens + out.tokens)
            record.extraction = rule
        }
        record.output = out.text
        record.stoppedBy = out.stoppedBy
        return record
    }
}
