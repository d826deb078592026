import Foundation
import LNAAnalysis

/// Settings of progressive deactivation: switch off the languages of `order` one more at each step.
///
/// ```swift
/// let config = FallbackConfig(model: "gemma3-270m", order: ["en", "fr", "es", "de"])
/// ```
public struct FallbackConfig: Codable, Sendable, Equatable {
    public var model: String
    public var order: [String]
    public var deactivation: DeactivationKind
    public var positions: SteeringPositions
    public var generation: GenerationSettings
    public var prompts: String

    public init(model: String, order: [String], deactivation: DeactivationKind = .value(-1),
                positions: SteeringPositions = .all, generation: GenerationSettings = GenerationSettings(),
                prompts: String = "") {
        self.model = model
        self.order = order
        self.deactivation = deactivation
        self.positions = positions
        self.generation = generation
        self.prompts = prompts
    }
}

/// One step: the languages switched off so far and the languages the outputs came out in.
///
/// ```swift
/// step.deactivated          // ["en", "fr"]
/// step.distribution         // ["es": 4, "en": 1, "unknown": 1]
/// step.mostCommon           // "es"
/// ```
public struct FallbackStep: Codable, Sendable, Equatable {
    public var deactivated: [String]
    public var outputs: [LabelledOutput]

    public init(deactivated: [String], outputs: [LabelledOutput]) {
        self.deactivated = deactivated
        self.outputs = outputs
    }

    public var distribution: [String: Int] { outputs.languageCounts }

    /// The most frequent output language (ties: alphabetical), nil without outputs.
    public var mostCommon: String? {
        distribution.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
    }
}

/// Progressive deactivation ("fallback"): step 0 is the unchanged model, step i deactivates `order[0..<i]`.
///
/// ```swift
/// let result = try FallbackExperiment.run(config: config, questions: qs, masks: masks, backend: backend)
/// result.steps.map(\.mostCommon)
/// ```
public struct FallbackExperiment: Codable, Sendable, Equatable {
    public var config: FallbackConfig
    public var steps: [FallbackStep]

    public init(config: FallbackConfig, steps: [FallbackStep]) {
        self.config = config
        self.steps = steps
    }

    /// Every output language seen, most frequent overall first.
    public var languagesSeen: [String] {
        let totals = steps.flatMap(\.outputs).languageCounts
        return totals.keys.sorted { totals[$0]! != totals[$1]! ? totals[$0]! > totals[$1]! : $0 < $1 }
    }

    public static func run(config: FallbackConfig, questions: [String], masks: MaskSet, backend: SteeringBackend,
                           progress: (FallbackStep) -> Void = { _ in }) throws -> FallbackExperiment {
        guard !config.order.isEmpty else { throw SteeringError.invalidOption("--order is empty") }
        guard !questions.isEmpty else { throw SteeringError.invalidOption("no prompts for the fallback experiment") }
        let plans = try (0...config.order.count).map { n in
            try SteeringPlan.build(masks: masks, means: nil, request: SteeringRequest(
                deactivate: Array(config.order.prefix(n)), deactivation: config.deactivation, positions: config.positions))
        }
        var steps: [FallbackStep] = []
        for (n, plan) in plans.enumerated() {
            let step = FallbackStep(deactivated: Array(config.order.prefix(n)),
                                    outputs: try backend.outputs(questions, plan: plan))
            steps.append(step)
            progress(step)
        }
        return FallbackExperiment(config: config, steps: steps)
    }

    public static func read(from url: URL) throws -> FallbackExperiment { try ResultFile.read(Self.self, from: url) }

    public func write(to url: URL) throws { try ResultFile.write(self, to: url) }
}
