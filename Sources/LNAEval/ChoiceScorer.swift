import LNAHooks
import LNAModels

/// Log-likelihoods of several continuations of one context, as lm-evaluation-harness' `loglikelihood` requests
/// (a continuation's tokens are those of `encode(context + continuation)` after the context's own tokens), with
/// the context evaluated once: it fills a KV cache, its last row scores every continuation's first token, and
/// each continuation's remaining tokens run on top of the cached context, which is then truncated back.
///
/// ```swift
/// let scorer = ChoiceScorer(model: model)
/// let s = try scorer.score(context: "Text: …\nTopic:", continuations: [" travel", " sports"], hooks: nil)
/// s.logLikelihoods   // natural log, one per continuation
/// ```
public struct ChoiceScorer {
    public let model: Model

    public init(model: Model) { self.model = model }

    /// The log-likelihoods and the number of token positions the model evaluated.
    public struct Scores: Sendable, Equatable {
        public var logLikelihoods: [Double]
        public var evaluatedTokens: Int
    }

    public func score(context: String, continuations: [String], hooks: HookSet?) throws -> Scores {
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
        let longest = continuationIDs.map(\.count).max() ?? 0
        let cache = KVCache(config: model.config, capacity: contextIDs.count + longest)
        let last = try model.forward(TokenBatch(contextIDs), hooks: hooks, cache: cache, logits: .lastOfEachSequence)
        let v = model.config.vocabularySize
        let contextLogSumExp = last.logits.withUnsafeBufferPointer { LogSoftmax.logSumExpAndArgmax($0).0 }
        var evaluated = contextIDs.count
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
