import Foundation

/// Which identification method scores the neurons.
public enum IdentificationMethod: String, Sendable, CaseIterable {
    /// Zhang et al. (NJUNLP): normalised entropy minus λ times the scaled peak probability, no pre-filter.
    case njunlp
    /// Tang et al. (LAPE): entropy in nats, neurons not above the filter threshold in any language excluded.
    case lape
}

/// The outcome of one identification run.
public struct IdentificationResult: Sendable {
    public let method: IdentificationMethod
    public let topRate: Double
    public let lambda: Double
    public let bar: Double
    /// The activation bar: the ⌊N·K·bar⌉-th smallest of all probabilities (assignment needs p > τ).
    public let tau: Float
    /// LAPE only: the pre-filter threshold.
    public let filterThreshold: Float?
    /// k = round(N · top_rate): neurons selected before assignment.
    public let selectedCount: Int
    /// Selected flat neuron indices in (score, index) order.
    public let selected: [Int]
    public let masks: MaskSet
    public let classes: NeuronClasses
    public let population: AllLanguagePopulation

    public var appear: [Int] { classes.appear }
    /// Selected neurons assigned to no language (silently dropped by the originals).
    public var droppedCount: Int { selected.count - appear.reduce(0, +) }
}

/// Identifies language neurons from activation probabilities. Everything independent of λ and the top rate
/// (entropies, τ, the LAPE filter) is computed once, so AutoSweep re-runs only the λ term and the selection.
///
/// ```swift
/// let identifier = try NeuronIdentifier(probabilities: p, method: .njunlp, bar: 0.95)
/// let result = try identifier.identify(topRate: 0.01, lambda: 0.1)
/// print(result.appear, result.masks.sizes)
/// ```
public struct NeuronIdentifier: Sendable {
    public let probabilities: ActivationProbabilities
    public let method: IdentificationMethod
    public let bar: Double
    public let tau: Float
    public let filterThreshold: Float?
    private let entropyScores: EntropyScores?
    private let lapeScores: [Float]?
    /// Seconds spent per preparation stage (for `--timing`).
    public private(set) var timings: [(stage: String, seconds: Double)] = []

    /// - Parameters:
    ///   - bar: quantile of all L·H·K probabilities that defines τ (strict `p > τ` assigns a language).
    ///   - filterRate: LAPE only; quantile of the pre-filter (Tang uses the same 0.95 as the bar).
    public init(probabilities: ActivationProbabilities, method: IdentificationMethod = .njunlp,
                bar: Double = 0.95, filterRate: Double? = nil) throws {
        self.probabilities = probabilities
        self.method = method
        self.bar = bar
        var clock = StageClock()
        self.tau = try Self.quantile(probabilities.values, rate: bar, name: "bar (-b)")
        clock.lap("threshold τ (kth value of \(probabilities.values.count) probabilities)", into: &timings)
        switch method {
        case .njunlp:
            entropyScores = EntropyScores(probabilities: probabilities)
            lapeScores = nil
            filterThreshold = nil
            clock.lap("normalised entropy of \(probabilities.neuronCount) neurons", into: &timings)
        case .lape:
            let rate = filterRate ?? bar
            let threshold = rate == bar ? tau : try Self.quantile(probabilities.values, rate: rate, name: "filter rate")
            filterThreshold = threshold
            lapeScores = LAPEScores.scores(probabilities: probabilities, filterThreshold: threshold)
            entropyScores = nil
            clock.lap("LAPE of \(probabilities.neuronCount) neurons", into: &timings)
        }
    }

    /// The 1-based `round(count · rate)`-th smallest value, as `torch.kthvalue` in the originals.
    public static func quantile(_ values: [Float], rate: Double, name: String) throws -> Float {
        guard rate.isFinite, rate > 0, rate <= 1 else {
            throw AnalysisError.invalidParameter("\(name) is \(rate), expected a fraction in (0, 1]")
        }
        let m = pythonRound(Double(values.count) * rate)
        guard m >= 1, m <= values.count else {
            throw AnalysisError.invalidParameter("\(name) \(rate) gives rank \(m) of \(values.count) probabilities; choose a larger value")
        }
        var scratch = values
        return kthSmallest(&scratch, m)
    }

    /// Neuron scores at this λ (lower = more selective). λ is ignored by LAPE.
    public func scores(lambda: Double) -> [Float] {
        if let entropyScores { return entropyScores.scores(lambda: lambda) }
        return lapeScores ?? []
    }

    /// k = round(N · top_rate), checked.
    public func selectionSize(topRate: Double) throws -> Int {
        guard topRate.isFinite, topRate > 0, topRate <= 1 else {
            throw AnalysisError.invalidParameter("top rate (-r) is \(topRate), expected a fraction in (0, 1]")
        }
        return pythonRound(Double(probabilities.neuronCount) * topRate)
    }

    /// Selected neurons (flat indices, score order) at this top rate and λ.
    public func select(topRate: Double, lambda: Double) throws -> [Int] {
        guard lambda.isFinite else { throw AnalysisError.invalidParameter("lambda (-l) is \(lambda), expected a finite number") }
        return smallestPositions(scores(lambda: lambda), count: try selectionSize(topRate: topRate))
    }

    /// The masks of the selected neurons: language k gets (ℓ, j) when p[ℓ, j, k] > τ (strict).
    public func masks(selected: [Int]) throws -> MaskSet {
        let p = probabilities, k = p.languageCount
        var lists = [[[Int]]](repeating: [[Int]](repeating: [], count: p.layers), count: k)
        for neuron in selected.sorted() {
            for lang in 0..<k where p.values[neuron * k + lang] > tau {
                lists[lang][neuron / p.width].append(neuron % p.width)
            }
        }
        return try MaskSet(languages: p.languages, layers: p.layers, width: p.width, lists: lists)
    }

    /// The appear histogram only (what AutoSweep needs), without building classes.
    public func appear(topRate: Double, lambda: Double) throws -> [Int] {
        let k = probabilities.languageCount
        var histogram = [Int](repeating: 0, count: k + 1)
        for neuron in try select(topRate: topRate, lambda: lambda) {
            var c = 0
            for lang in 0..<k where probabilities.values[neuron * k + lang] > tau { c += 1 }
            if c > 0 { histogram[c] += 1 }
        }
        return histogram
    }

    /// A full identification: selection, masks, classes and the all-language population.
    public func identify(topRate: Double, lambda: Double = 0) throws -> IdentificationResult {
        let selected = try select(topRate: topRate, lambda: lambda)
        let masks = try masks(selected: selected)
        return IdentificationResult(
            method: method, topRate: topRate, lambda: method == .njunlp ? lambda : 0, bar: bar, tau: tau,
            filterThreshold: filterThreshold, selectedCount: selected.count, selected: selected, masks: masks,
            classes: NeuronClasses(masks: masks), population: AllLanguagePopulation(probabilities: probabilities, tau: tau))
    }
}

/// Measures consecutive stages with a monotonic clock.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func lap(_ stage: String, into timings: inout [(stage: String, seconds: Double)]) {
        let now = DispatchTime.now().uptimeNanoseconds
        timings.append((stage, Double(now - last) / 1e9))
        last = now
    }
}
