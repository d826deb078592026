/// One evaluation of AutoSweep.
public struct AutoSweepStep: Sendable, Equatable {
    /// `lo`/`hi`: the ends given; `widen`: a doubled upper end; `mid`: a bisection midpoint.
    public enum Kind: String, Sendable { case lo, hi, widen, mid }
    public let kind: Kind
    /// 1-based bisection (or widening) iteration (0 for the lo and hi evaluations).
    public let iteration: Int
    public let lambda: Double
    public let appear: [Int]
    public let ok: Bool
}

/// The outcome of AutoSweep: the largest λ found with no neuron shared by all languages.
public struct AutoSweepResult: Sendable {
    /// Which end of the searched bracket the answer sits on, when it does (then the true largest λ may lie beyond).
    public enum Bound: String, Sendable { case lower, upper }

    /// nil when no evaluated λ satisfied the condition.
    public let bestLambda: Double?
    /// appear at the best λ (or at the last evaluation when none was ok).
    public let appear: [Int]
    public let steps: [AutoSweepStep]
    /// The bracket given (`--lo`, `--hi`).
    public let requestedBracket: ClosedRange<Double>
    /// The bracket searched: the requested one, its upper end doubled while it was still ok.
    public let searchedBracket: ClosedRange<Double>
    /// The interval the bisection ended on: [last ok λ, first failing λ] (width ≤ eps unless iterations ran out).
    public let finalInterval: ClosedRange<Double>
    /// Set when the answer is an end of the searched bracket: `.upper` (no λ up to the top has a shared neuron, so
    /// nothing was searched) or `.lower` (every λ above `lo` has one).
    public let bound: Bound?
}

/// Bisection for the largest λ in [lo, hi] at which no selected neuron is assigned to every language
/// (appear[K] == 0), as NJUNLP's `autosweep_lambda` (METHODS §1.10).
///
/// Differences from the original, all three undone by `originalBehaviour`:
/// - the condition tests appear[K]; the original hard-codes appear[10], right only for K = 10;
/// - when hi is ok the bracket is widened upward (`widen`: hi doubled until a λ with a shared neuron is found, then
///   bisected), instead of returning hi as if it were the answer;
/// - when hi is still ok after widening (or `widen` is off) it is the answer, flagged `bound == .upper`; the original
///   keeps bisecting and returns a smaller midpoint.
///
/// ```swift
/// let sweep = AutoSweep(lo: 0, hi: 0.2, eps: 1e-3)
/// let result = try sweep.run(identifier, topRate: 0.01) { step in print(step.lambda, step.appear) }
/// result.searchedBracket   // 0.0...0.4 when λ = 0.2 had no shared neuron and 0.4 had one
/// ```
public struct AutoSweep: Sendable {
    public var lo: Double
    public var hi: Double
    public var eps: Double
    public var maxIterations: Int
    /// Reproduce the original exactly: appear[10], no widening, and bisection even when hi is ok.
    public var originalBehaviour: Bool
    /// Double hi while it is ok, at most `maxWidenings` times (ignored with `originalBehaviour`).
    public var widen: Bool
    public var maxWidenings: Int

    public init(lo: Double = 0, hi: Double = 0.2, eps: Double = 1e-3, maxIterations: Int = 64,
                originalBehaviour: Bool = false, widen: Bool = true, maxWidenings: Int = 20) {
        self.lo = lo
        self.hi = hi
        self.eps = eps
        self.maxIterations = maxIterations
        self.originalBehaviour = originalBehaviour
        self.widen = widen
        self.maxWidenings = maxWidenings
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
        var high = try evaluate(.hi, 0, hi)
        var best: AutoSweepStep? = low.ok ? low : nil
        var a = lo, b = hi
        if high.ok && widen && !originalBehaviour {
            var widenings = 0
            while high.ok && widenings < maxWidenings {
                widenings += 1
                a = b
                b = b > 0 ? b * 2 : max(eps, 0.1)   // doubling 0 would stay at 0
                high = try evaluate(.widen, widenings, b)
                if high.ok { a = b }
            }
        }
        if high.ok { best = high }
        let top = b   // upper end of the searched bracket
        func result(interval: ClosedRange<Double>) -> AutoSweepResult {
            var bound: AutoSweepResult.Bound?
            if let best {
                if best.lambda == top && high.ok { bound = .upper } else if best.lambda == lo { bound = .lower }
            }
            return AutoSweepResult(bestLambda: best?.lambda, appear: best?.appear ?? steps.last!.appear, steps: steps,
                                   requestedBracket: lo...hi, searchedBracket: lo...top, finalInterval: interval, bound: bound)
        }
        if high.ok && !originalBehaviour { return result(interval: top...top) }
        // The original bisects from lo whether or not lo is ok; so do we (a moves up only when widening found an ok λ).
        var iteration = 0
        while b - a > eps && iteration < maxIterations {
            iteration += 1
            let mid = (a + b) / 2
            let step = try evaluate(.mid, iteration, mid)
            if step.ok { best = step; a = mid } else { b = mid }
        }
        return result(interval: a...b)
    }
}
