import Foundation
import LNAAnalysis

/// Settings of an amplification sweep (Rahmanisa et al.): scale one language's neurons by each factor.
///
/// ```swift
/// let config = AmplificationConfig(model: "gemma3-270m", language: "fr", factors: [1, 2, 5, 10])
/// ```
public struct AmplificationConfig: Codable, Sendable, Equatable {
    public var model: String
    public var language: String
    public var factors: [Float]
    /// Only neurons of no other language's mask.
    public var exclusive: Bool
    public var positions: SteeringPositions
    public var generation: GenerationSettings
    /// A factor "steers" when at least this share of outputs is in the language.
    public var threshold: Double
    public var prompts: String
    public var perplexityTexts: String

    public init(model: String, language: String, factors: [Float] = [1, 2, 5, 10, 20], exclusive: Bool = false,
                positions: SteeringPositions = .all, generation: GenerationSettings = GenerationSettings(),
                threshold: Double = 0.5, prompts: String = "", perplexityTexts: String = "") {
        self.model = model
        self.language = language
        self.factors = factors
        self.exclusive = exclusive
        self.positions = positions
        self.generation = generation
        self.threshold = threshold
        self.prompts = prompts
        self.perplexityTexts = perplexityTexts
    }
}

/// The outcome of one factor: share of outputs in the language and perplexity on its texts.
///
/// ```swift
/// point.targetShare   // 0.67
/// point.perplexity    // 41.2 (nil when no texts were scored)
/// ```
public struct AmplificationPoint: Codable, Sendable, Equatable {
    public var factor: Float
    public var editedNeurons: Int
    public var targetShare: Double
    public var perplexity: Double?
    public var outputs: [LabelledOutput]

    public init(factor: Float, editedNeurons: Int, targetShare: Double, perplexity: Double?, outputs: [LabelledOutput]) {
        self.factor = factor
        self.editedNeurons = editedNeurons
        self.targetShare = targetShare
        self.perplexity = perplexity
        self.outputs = outputs
    }
}

/// An amplification sweep: one point per factor, and the smallest factor that steers.
///
/// ```swift
/// let sweep = try AmplificationSweep.run(config: config, questions: qs, masks: masks, backend: backend) { plan in
///     try perplexity(plan)
/// }
/// sweep.smallestSteeringFactor   // 5
/// ```
public struct AmplificationSweep: Codable, Sendable, Equatable {
    public var config: AmplificationConfig
    public var points: [AmplificationPoint]

    public init(config: AmplificationConfig, points: [AmplificationPoint]) {
        self.config = config
        self.points = points
    }

    /// The smallest factor whose target share reaches `config.threshold`, if any.
    public var smallestSteeringFactor: Float? {
        points.filter { $0.targetShare >= config.threshold }.map(\.factor).min()
    }

    /// Runs every factor: generate the questions, identify the outputs, and score perplexity under the plan.
    ///
    /// - Parameter perplexity: the perplexity of the language's texts under a plan; nil skips scoring.
    public static func run(config: AmplificationConfig, questions: [String], masks: MaskSet, backend: SteeringBackend,
                           perplexity: ((SteeringPlan) throws -> Double)? = nil,
                           progress: (AmplificationPoint) -> Void = { _ in }) throws -> AmplificationSweep {
        guard !config.factors.isEmpty else { throw SteeringError.invalidOption("--factors is empty") }
        guard !questions.isEmpty else { throw SteeringError.invalidOption("no prompts for the amplification sweep") }
        let plans = try config.factors.map {
            try SteeringPlan.amplify(masks: masks, language: config.language, factor: $0, exclusive: config.exclusive,
                                     positions: config.positions)
        }
        var points: [AmplificationPoint] = []
        for (factor, plan) in zip(config.factors, plans) {
            let outputs = try backend.outputs(questions, plan: plan)
            let point = AmplificationPoint(factor: factor, editedNeurons: plan.editedNeurons,
                                           targetShare: outputs.share(of: config.language),
                                           perplexity: try perplexity?(plan), outputs: outputs)
            points.append(point)
            progress(point)
        }
        return AmplificationSweep(config: config, points: points)
    }

    public static func read(from url: URL) throws -> AmplificationSweep { try ResultFile.read(Self.self, from: url) }

    public func write(to url: URL) throws { try ResultFile.write(self, to: url) }
}
