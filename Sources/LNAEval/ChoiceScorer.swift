import LNAHooks
import LNAModels
import LNASteering

/// Log-likelihoods of several continuations of one context, as lm-evaluation-harness' `loglikelihood` requests
/// (a continuation's tokens are those of `encode(context + continuation)` after the context's own tokens), with
/// the context evaluated once: it fills a KV cache, its last row scores every continuation's first token, and
/// each continuation's remaining tokens run on top of the cached context, which is then truncated back.
///
/// A `sharedPrefix` of the context (the instruction and fixed shots every item of a cell shares) stays in the
/// cache from one call to the next while the plan is the same, so it is evaluated once per cell. It is always
/// evaluated alone, from an empty cache, so an item's scores do not depend on which item came before it.
///
/// ```swift
/// let scorer = ChoiceScorer(model: model)
/// let s = try scorer.score(context: "Text: …\nTopic:", continuations: [" travel", " sports"], plan: plan)
/// s.logLikelihoods   // natural log, one per continuation
/// ```
public final class ChoiceScorer {
    public let model: Model
    private var cache: KVCache?
    private var cachedPrefix: [Int] = []
    private var cachedPlan: SteeringPlan?

    public init(model: Model) { self.model = model }

    /// The log-likelihoods and the number of token positions the model evaluated for this item: the context after
    /// the shared prefix, plus the continuations' extra rows (the shared prefix, evaluated once per cell, is not
    /// counted, so the count does not depend on where a resumed run started).
    public struct Scores: Sendable, Equatable {
        public var logLikelihoods: [Double]
        public var evaluatedTokens: Int
    }

    public func score(context: String, sharedPrefix: String = "", continuations: [String], plan: SteeringPlan) throws -> Scores {
        let tokenizer = model.tokenizer
        let contextIDs = tokenizer.encode(context)
        guard !contextIDs.isEmpty else { throw EvalError.invalidInput("the context encodes to no tokens") }
        let continuationIDs = try continuations.map { continuation -> [Int] in
            let whole = tokenizer.encode(context + continuation)
            guard whole.count > contextIDs.count else {
                throw EvalError.invalidInput("the continuation '\(continuation)' adds no tokens to the context")
            }
            return Array(whole[contextIDs.count...])
        }
        let hooks = plan.interventions.isEmpty ? nil : try plan.hookSet(for: model)
        let longest = continuationIDs.map(\.count).max() ?? 0
        // The shared prefix counts only when its tokens start the context's and leave at least one token.
        var prefixIDs = sharedPrefix.isEmpty ? [] : tokenizer.encode(sharedPrefix)
        if prefixIDs.count >= contextIDs.count || Array(contextIDs.prefix(prefixIDs.count)) != prefixIDs { prefixIDs = [] }
        let needed = contextIDs.count + longest
        if cache == nil || cache!.capacity < needed || cachedPrefix != prefixIDs || cachedPlan != plan {
            cache = KVCache(config: model.config, capacity: max(needed, 2 * contextIDs.count))
            cachedPrefix = []
            cachedPlan = plan
            if !prefixIDs.isEmpty {
                _ = try model.forward(TokenBatch(prefixIDs), hooks: hooks, cache: cache!, logits: .none)
                cachedPrefix = prefixIDs
            }
        }
        let cache = cache!
        cache.truncate(to: cachedPrefix.count)
        let rest = Array(contextIDs[cachedPrefix.count...])
        let last = try model.forward(TokenBatch(rest), hooks: hooks, cache: cache, logits: .lastOfEachSequence)
        var evaluated = rest.count
        let v = model.config.vocabularySize
        let contextLogSumExp = last.logits.withUnsafeBufferPointer { LogSoftmax.logSumExpAndArgmax($0).0 }
        var result: [Double] = []
        for ids in continuationIDs {
            var ll = Double(last.logits[ids[0]]) - contextLogSumExp
            if ids.count > 1 {
                let rows = try model.forward(TokenBatch(Array(ids.dropLast())), hooks: hooks, cache: cache, logits: .all)
                evaluated += ids.count - 1
                rows.logits.withUnsafeBufferPointer { logits in
                    for j in 1..<ids.count {
                        let row = UnsafeBufferPointer(rebasing: logits[((j - 1) * v)..<(j * v)])
                        ll += Double(row[ids[j]]) - LogSoftmax.logSumExpAndArgmax(row).0
                    }
                }
                cache.truncate(to: contextIDs.count)
            }
            result.append(ll)
        }
        return Scores(logLikelihoods: result, evaluatedTokens: evaluated)
    }

    /// The harness' predictions: `acc` takes the largest log-likelihood, `acc_norm` the largest log-likelihood
    /// per character of the choice (`len(choice)` in Python: code points); the first index wins ties.
    public static func predictions(logLikelihoods: [Double], choices: [String]) -> (raw: Int, normalized: Int) {
        func argmax(_ values: [Double]) -> Int {
            var best = 0
            for (i, v) in values.enumerated() where v > values[best] { best = i }
            return best
        }
        let normalized = zip(logLikelihoods, choices).map { $0 / Double(max(1, $1.unicodeScalars.count)) }
        return (argmax(logLikelihoods), argmax(normalized))
    }
}
