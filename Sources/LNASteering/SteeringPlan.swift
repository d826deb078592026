import LNAAnalysis
import LNAHooks

/// A steering run as plain data: the request and the per-layer interventions it resolves to. Codable, so
/// `lna steer --json` prints it and a saved plan can be repeated.
///
/// Per layer ℓ, deactivation comes first (D = union of the deactivated languages' masks), then activation
/// (A = the target's mask), as in Gurgurov et al. (METHODS §3.5): a neuron in both sets ends at s_d + boost.
///
/// ```swift
/// let plan = try SteeringPlan.build(masks: masks, means: means,
///                                   request: SteeringRequest(deactivate: ["en"], activate: "fr"))
/// let hooks = HookSet(layerCount: model.config.layerCount)
/// try hooks.intervene(plan.interventions)
/// ```
public struct SteeringPlan: Codable, Sendable, Equatable {
    public var request: SteeringRequest
    /// Amplification factor when the plan scales a language's neurons instead (`SteeringPlan.amplify`).
    public var amplification: Float?
    public var layers: Int
    public var width: Int
    /// In application order: for each layer, deactivation then activation.
    public var interventions: [Intervention]

    public init(request: SteeringRequest, amplification: Float? = nil, layers: Int, width: Int,
                interventions: [Intervention]) {
        self.request = request
        self.amplification = amplification
        self.layers = layers
        self.width = width
        self.interventions = interventions
    }

    /// A plan that changes nothing (the baseline of the experiments).
    public static func none(layers: Int, width: Int) -> SteeringPlan {
        SteeringPlan(request: SteeringRequest(), layers: layers, width: width, interventions: [])
    }

    /// Number of (layer, neuron) edits per position, summed over interventions.
    public var editedNeurons: Int {
        interventions.reduce(0) { total, edit in
            if case let .indices(list) = edit.neurons { return total + list.count }
            return total + width
        }
    }

    /// Resolves a request against masks and (for activation) mean activations.
    ///
    /// - Parameter means: needed when `request.activate` is set; diffmean also needs other languages.
    public static func build(masks: MaskSet, means: MeanActivations?, request: SteeringRequest) throws -> SteeringPlan {
        let deactivated = try request.deactivate.map { try maskIndex(masks, $0) }
        var boost: (indices: Int, mu: [Float], baseline: [Float]?)? = nil
        if let target = request.activate {
            guard let means else {
                throw SteeringError.missingMeans("activating \(target) needs mean activations (--stats DIR with sum_act)")
            }
            guard means.layers == masks.layers, means.width == masks.width else {
                throw SteeringError.shapeMismatch("masks are \(masks.layers) × \(masks.width), statistics \(means.layers) × \(means.width)")
            }
            guard request.alpha.isFinite else { throw SteeringError.invalidOption("alpha \(request.alpha) is not finite") }
            let mu = means.values[try means.index(of: target)]
            let baseline = request.method == .diffmean ? try means.meanOfOthers(excluding: target) : nil
            boost = (try maskIndex(masks, target), mu, baseline)
        }
        let deactivation = request.deactivation.operation
        var edits: [Intervention] = []
        for layer in 0..<masks.layers {
            let hook = "blocks.\(layer).\(request.site)"
            let positions = request.positions.selection
            let off = Set(deactivated.flatMap { masks.lists[$0][layer] }).sorted()
            if !off.isEmpty {
                edits.append(Intervention(hook: hook, neurons: .indices(off), positions: positions, operation: deactivation))
            }
            if let boost, !masks.lists[boost.indices][layer].isEmpty {
                let on = masks.lists[boost.indices][layer]
                let mu = on.map { boost.mu[layer * masks.width + $0] }
                let operation: Intervention.Operation
                switch request.method {
                case .additive: operation = .addEach(mu, coefficient: request.alpha)
                case .replacement: operation = .setEach(mu)
                case .diffmean:
                    let others = on.map { boost.baseline![layer * masks.width + $0] }
                    operation = .addEach(zip(mu, others).map { $0 - $1 }, coefficient: request.alpha)
                }
                edits.append(Intervention(hook: hook, neurons: .indices(on), positions: positions, operation: operation))
            }
        }
        return SteeringPlan(request: request, layers: masks.layers, width: masks.width, interventions: edits)
    }

    /// Scales one language's neurons by `factor` at every layer (Rahmanisa et al.'s amplification).
    ///
    /// - Parameter exclusive: keep only neurons that belong to no other language's mask.
    ///
    /// ```swift
    /// let plan = try SteeringPlan.amplify(masks: masks, language: "fr", factor: 5)
    /// ```
    public static func amplify(masks: MaskSet, language: String, factor: Float, exclusive: Bool = false,
                               positions: SteeringPositions = .all, site: String = "mlp.hook_act") throws -> SteeringPlan {
        guard factor.isFinite else { throw SteeringError.invalidOption("amplification factor \(factor) is not finite") }
        let k = try maskIndex(masks, language)
        let counts = masks.languageCounts
        var edits: [Intervention] = []
        for layer in 0..<masks.layers {
            var neurons = masks.lists[k][layer]
            if exclusive { neurons = neurons.filter { counts[layer * masks.width + $0] == 1 } }
            guard !neurons.isEmpty, factor != 1 else { continue }
            edits.append(Intervention(hook: "blocks.\(layer).\(site)", neurons: .indices(neurons),
                                      positions: positions.selection, operation: .scale(factor)))
        }
        let request = SteeringRequest(activate: language, positions: positions, site: site)
        return SteeringPlan(request: request, amplification: factor, layers: masks.layers, width: masks.width,
                            interventions: edits)
    }

    /// The index of a language in the masks (exact code, else any spelling `Language.resolve` accepts).
    static func maskIndex(_ masks: MaskSet, _ language: String) throws -> Int {
        if let k = masks.languages.firstIndex(of: language) { return k }
        if let code = LanguageCodes.code(language), let k = masks.languages.firstIndex(of: code) { return k }
        throw SteeringError.unknownLanguage("'\(language)' has no mask (masks have: \(masks.languages.joined(separator: ",")))")
    }
}

extension DeactivationKind {
    /// The hook operation this deactivation performs.
    public var operation: Intervention.Operation {
        switch self {
        case .zero: return .zero
        case let .value(v): return .set(v)
        case let .scale(f): return .scale(f)
        case .invert: return .invert
        }
    }
}

extension SteeringPositions {
    /// The hook position selection.
    public var selection: PositionSelection {
        switch self {
        case .all: return .all
        case .prompt: return .prompt
        case .generated: return .generated
        }
    }
}
