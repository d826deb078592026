/// One evaluation of AutoSweep.
public struct AutoSweepStep: Sendable, Equatable {
    public enum Kind: String, Sendable { case lo, hi, mid }
    public let kind: Kind
    /// 1-based bisection iteration (0 for the lo and hi evaluations).
    public let iteration: Int
    public let lambda: Double
    public let appear: [Int]
    public let ok: Bool
}

/// The outcome of AutoSweep: the largest λ found with no neuron shared by all languages.
public struct AutoSweepResult: Sendable {
    /// nil when no evaluated λ satisfied the condition.
    public let bestLambda: Double?
    /// appear at the best λ (or at the last evaluation when none was ok).
    public let appear: [Int]
    public let steps: [AutoSweepStep]
}

/// Bisection for the largest λ in [lo, hi] at which no selected neuron is assigned to every language
/// (appear[K] == 0), as NJUNLP's `autosweep_lambda` (METHODS §1.10).
///
/// Differences from the original, both available through `originalBehaviour`:
/// - the condition tests appear[K]; the original hard-codes appear[10], right only for K = 10;
/// - when hi itself is ok it is the answer; the original keeps bisecting and returns a smaller midpoint.
///
/// ```swift
/// let sweep = AutoSweep(lo: 0, hi: 0.2, eps: 1e-3)
/// let result = try sweep.run(identifier, topRate: 0.01) { step in print(step.lambda, step.appear) }
/// ```
public struct AutoSweep: Sendable {
    public var lo: Double
    public var hi: Double
    public var eps: Double
    public var maxIterations: Int
    /// Reproduce the original exactly: appear[10] and bisection even when hi is ok.
    public var originalBehaviour: Bool

    public init(lo: Double = 0, hi: Double = 0.2, eps: Double = 1e-3, maxIterations: Int = 64, originalBehaviour: Bool = false) {
        self.lo = lo
        self.hi = hi
        self.eps = eps
        self.maxIterations = maxIterations
        self.originalBehaviour = originalBehaviour
    }

    /// The condition: no neuron in every language (appear[K] == 0), or the original's appear[10] == 0.
    public func isOK(_ appear: [Int]) -> Bool {
        let index = originalBehaviour ? 10 : appear.count - 1
        return appear.count > index && index > 0 && appear[index] == 0
    }

    public func run(_ identifier: NeuronIdentifier, topRate: Double,
                    onStep: (AutoSweepStep) -> Void = { _ in }) throws -> AutoSweepResult {
        guard lo.isFinite, hi.isFinite, lo <= hi else {
            throw AnalysisError.invalidParameter("λ range [\(lo), \(hi)] is empty; --lo must not exceed --hi")
        }
        guard eps.isFinite, eps > 0 else { throw AnalysisError.invalidParameter("--eps is \(eps), expected > 0") }
        var steps: [AutoSweepStep] = []
        func evaluate(_ kind: AutoSweepStep.Kind, _ iteration: Int, _ lambda: Double) throws -> AutoSweepStep {
            let appear = try identifier.appear(topRate: topRate, lambda: lambda)
            let step = AutoSweepStep(kind: kind, iteration: iteration, lambda: lambda, appear: appear, ok: isOK(appear))
            steps.append(step)
            onStep(step)
            return step
        }
        let low = try evaluate(.lo, 0, lo)
        let high = try evaluate(.hi, 0, hi)
        var best: AutoSweepStep? = low.ok ? low : nil
        if high.ok { best = high }
        if high.ok && !originalBehaviour {
            return AutoSweepResult(bestLambda: hi, appear: high.appear, steps: steps)
        }
        var a = lo, b = hi, last = high, iteration = 0
        while b - a > eps && iteration < maxIterations {
            iteration += 1
            let mid = (a + b) / 2
            last = try evaluate(.mid, iteration, mid)
            if last.ok { best = last; a = mid } else { b = mid }
        }
        return AutoSweepResult(bestLambda: best?.lambda, appear: best?.appear ?? last.appear, steps: steps)
    }
}
