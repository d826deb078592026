import Foundation
import LNAData
import LNAHooks
import LNALangID
import LNAModels

/// `lna lens` as a library call: the logit lens over translation prompts of several language pairs (or over free
/// texts), summarised with bootstrap intervals into a `LensDocument`.
///
/// ```swift
/// let experiment = LensExperiment(model: model, words: .builtin, identifier: try .builtin())
/// let doc = try experiment.run(pairs: [("fr", "en"), ("en", "fr")], shots: 5, limit: nil, seed: 1) { _ in [] }
/// doc.pairs[0].overtakeLayer
/// ```
public struct LensExperiment {
    public let model: Model
    public let words: ParallelWordList
    public let identifier: LanguageIdentifier
    /// Prompts per pair kept in `LensPair.examples`.
    public var exampleCount = 3

    public init(model: Model, words: ParallelWordList, identifier: LanguageIdentifier) {
        self.model = model
        self.words = words
        self.identifier = identifier
    }

    /// Progress of a run: the pair being read and its queries done.
    public struct Progress {
        public let pair: Int, pairs: Int, source: String, target: String, done: Int, total: Int
    }

    /// Reads every pair; `interventions(target)` gives the edits applied while reading a pair (its target language
    /// lets a steering plan say "toward the target").
    public func run(pairs: [(source: String, target: String)], shots: Int, limit: Int?, seed: UInt64,
                    interventions: (String) throws -> [Intervention],
                    progress: (Progress) -> Void = { _ in }) throws -> [LensPair] {
        var languages = TokenLanguage(tokenizer: model.tokenizer, identifier: identifier, words: words)
        var results: [LensPair] = []
        for (n, pair) in pairs.enumerated() {
            let prompts = try TranslationPrompts(words: words, source: pair.source, target: pair.target, shots: shots,
                                                 tokenizer: model.tokenizer, limit: limit)
            let lens = LogitLens(model: model, interventions: try interventions(pair.target))
            let readings = try lens.read(prompts) { done in
                progress(Progress(pair: n + 1, pairs: pairs.count, source: pair.source, target: pair.target,
                                  done: done, total: prompts.queries.count))
            }
            let preferred = [prompts.target, prompts.rival] + prompts.tracked
            let top1 = zip(prompts.queries, readings).map { query, layers in
                layers.map { languages.language(of: $0.top, concept: query.concept, preferring: preferred) }
            }
            let examples = zip(prompts.queries, readings).prefix(exampleCount).map { query, layers in
                LensExample(prompt: prompts.prefix + query.text,
                            answer: words.word(concept: query.concept, language: prompts.target) ?? "",
                            top1: layers.map { model.tokenizer.decode([$0.top]) }, top1Probability: layers.map(\.topProbability))
            }
            results.append(LensPair(source: pair.source, target: pair.target, rival: prompts.rival,
                                    ambiguous: prompts.ambiguous.count, readings: readings, top1Languages: top1,
                                    examples: examples, seed: seed &+ UInt64(n)))
        }
        return results
    }

    /// The lens over free texts of one language (`language` may be `unknown`): entropy and top-1 language per layer.
    public func run(texts: [String], language: String, seed: UInt64, interventions: [Intervention]) throws -> LensPair {
        var languages = TokenLanguage(tokenizer: model.tokenizer, identifier: identifier, words: words)
        let lens = LogitLens(model: model, interventions: interventions)
        var readings: [[LensReading]] = []
        for text in texts {
            let tokens = model.tokenizer.encode(text)
            guard !tokens.isEmpty else { continue }
            readings.append(try lens.read(text: tokens))
        }
        guard !readings.isEmpty else { throw LensError.invalidInput("no text gave any token") }
        let top1 = readings.map { $0.map { languages.language(of: $0.top, concept: nil, preferring: []) } }
        let examples = zip(texts, readings).prefix(exampleCount).map { text, layers in
            LensExample(prompt: text, answer: "", top1: layers.map { model.tokenizer.decode([$0.top]) },
                        top1Probability: layers.map(\.topProbability))
        }
        return LensPair(source: language, target: language, rival: language, ambiguous: 0, readings: readings,
                        top1Languages: top1, examples: examples, seed: seed)
    }
}
