import Foundation
import LNAHooks
import LNAModels

/// What the logit lens reads at one layer for one prompt: the residual stream after block `layer` at the last
/// position, decoded through `Model.unembed` and softmaxed.
public struct LensReading: Sendable, Equatable {
    /// Probability mass per tracked language on its answer's first tokens.
    public var mass: [String: Double]
    /// Entropy of the decoded distribution, in nats.
    public var entropy: Double
    /// The most probable token and its probability.
    public var top: Int
    public var topProbability: Double
}

/// The logit lens (nostalgebraist 2020; Wendler et al. 2024): decode every block's output at the last position as
/// if it were the last layer. Runs with any interventions (a deactivated mask, a steering plan) applied at
/// every forward.
///
/// ```swift
/// let lens = LogitLens(model: model)
/// let pair = try TranslationPrompts(words: .builtin, source: "fr", target: "zh", shots: 5, tokenizer: model.tokenizer)
/// let readings = try lens.read(pair)   // [query][layer]
/// ```
public struct LogitLens {
    public let model: Model
    public let interventions: [Intervention]

    public init(model: Model, interventions: [Intervention] = []) {
        self.model = model
        self.interventions = interventions
    }

    /// Per query, per layer: the readings of `pair`. The shared few-shot prefix is run once into a KV cache; each
    /// query continues it. `progress` is called after every query with the number done.
    public func read(_ pair: TranslationPrompts, progress: (Int) -> Void = { _ in }) throws -> [[LensReading]] {
        let tokenizer = model.tokenizer
        let prefix = tokenizer.encode(pair.prefix)
        let queryTokens = pair.queries.map { tokenizer.encode($0.text, addSpecial: false) }
        let longest = queryTokens.map(\.count).max() ?? 0
        let cache = KVCache(config: model.config, capacity: prefix.count + longest)
        if !prefix.isEmpty { _ = try model.runWithCache(TokenBatch(prefix), sites: [], interventions: interventions,
                                                        cache: cache, logits: .none) }
        var readings: [[LensReading]] = []
        for (n, (query, tokens)) in zip(pair.queries, queryTokens).enumerated() {
            let residuals = try lastResiduals(tokens, cache: cache)
            cache.truncate(to: prefix.count)
            readings.append(try decode(residuals, tokenSets: query.firstTokens))
            progress(n + 1)
        }
        return readings
    }

    /// Per layer, the readings of one whole text (no shared prefix), with no answer tokens to measure.
    public func read(text tokens: [Int]) throws -> [LensReading] {
        try decode(try lastResiduals(tokens, cache: nil), tokenSets: [:])
    }

    /// `[layers × hidden]`: the last row of every block's output.
    func lastResiduals(_ tokens: [Int], cache: KVCache?) throws -> [Float] {
        let (_, taken) = try model.runWithCache(TokenBatch(tokens), sites: ["blocks.*.hook_resid_post"],
                                                interventions: interventions, cache: cache, logits: .none)
        return try (0..<model.config.layerCount).flatMap { layer -> [Float] in
            guard let tensor = taken[HookPoint(.residPost, layer: layer)] else {
                throw LensError.invalidInput("no residual recorded at block \(layer)")
            }
            return tensor.lastRow
        }
    }

    /// Unembeds the rows and reads each as a distribution.
    func decode(_ residuals: [Float], tokenSets: [String: Set<Int>]) throws -> [LensReading] {
        let v = model.config.vocabularySize
        let logits = try model.unembed(residuals)
        return (0..<logits.count / v).map { row in
            logits.withUnsafeBufferPointer { Self.reading(UnsafeBufferPointer(rebasing: $0[row * v..<(row + 1) * v]), tokenSets: tokenSets) }
        }
    }

    /// Softmax statistics of one logit row, in Double: `LogitLens.reading(row, tokenSets: ["fr": [1234]])`.
    public static func reading(_ logits: UnsafeBufferPointer<Float>, tokenSets: [String: Set<Int>]) -> LensReading {
        var top = 0
        for i in logits.indices where logits[i] > logits[top] { top = i }
        let maximum = Double(logits[top])
        var sum = 0.0, weighted = 0.0
        for value in logits {
            let shifted = Double(value) - maximum
            let e = exp(shifted)
            sum += e
            weighted += e * shifted
        }
        let logSum = log(sum)
        // H = −Σ p log p with p = e^{s}/Z, s = logit − max: H = log Z − Σ e^{s} s / Z.
        let entropy = logSum - weighted / sum
        var mass: [String: Double] = [:]
        for (language, tokens) in tokenSets {
            mass[language] = tokens.reduce(0.0) { $0 + exp(Double(logits[$1]) - maximum - logSum) }
        }
        return LensReading(mass: mass, entropy: entropy, top: top, topProbability: exp(-logSum))
    }
}

/// Errors of the lens: one line naming what is wrong.
public enum LensError: Error, CustomStringConvertible, Equatable {
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .invalidInput(what): return "lens: \(what)"
        }
    }
}
