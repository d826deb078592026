import Foundation
import LNAData

/// The identifier's answer for one text.
///
/// ```swift
/// let p = identifier.predict("สวัสดีครับ")
/// p.language    // "th"
/// p.confidence  // 1.0 (decided by the script)
/// ```
public struct LanguagePrediction: Sendable, Codable, Equatable {
    /// The language's lna code (ISO 639-1 where the table has one, else the FLORES-200 code), or `"unknown"`.
    public var language: String
    /// 0…1: the share of the letters in the deciding script times the naive Bayes posterior among the
    /// candidate languages (1 when the script alone decides).
    public var confidence: Double
    /// How the answer was reached: `script`, `ngram`, or why it is unknown.
    public var method: String

    public var isUnknown: Bool { language == LanguageIdentifier.unknown }
}

extension LanguageIdentifier {
    /// The language of `text` (see the type's description for the rules).
    public func predict(_ text: String) -> LanguagePrediction {
        let profile = ScriptProfile(text)
        guard profile.total >= options.minLetters, let (script, share) = profile.decision else {
            return LanguagePrediction(language: Self.unknown, confidence: 0, method: "too few letters")
        }
        let candidates = candidatesByScript[script] ?? []
        if candidates.isEmpty {
            // Not trained for this script: the table decides if only one language writes it (Thai, Hangul …).
            let writers = Language.known.filter { $0.scripts.contains(script) && $0.script == script }
            guard writers.count == 1 else {
                return LanguagePrediction(language: Self.unknown, confidence: 0,
                                          method: "script \(script.rawValue) not covered by the model")
            }
            return confident(writers[0].code, share, method: "script")
        }
        if candidates.count == 1 { return confident(profileLanguages[candidates[0]].code, share, method: "script") }
        let posterior = ngramPosterior(text, among: candidates)
        let best = posterior.indices.max { posterior[$0] < posterior[$1] }!
        return confident(profileLanguages[candidates[best]].code, share * posterior[best], method: "ngram")
    }

    /// Naive Bayes posterior over `candidates` (profile indices), with the log-likelihoods plus log-priors
    /// tempered to at most `evidenceCap` observations.
    func ngramPosterior(_ text: String, among candidates: [Int]) -> [Double] {
        let keys = CharacterNgrams.keys(text, orders: options.minOrder...max(options.minOrder, options.maxOrder))
        let all = table.logLikelihoods(keys)
        let scores = candidates.map { all[$0] + logPriors[$0] }
        let scale = keys.isEmpty ? 1 : min(1, options.evidenceCap / Double(keys.count))
        let top = scores.max()!
        let exps = scores.map { exp(($0 - top) * scale) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    private func confident(_ code: String, _ confidence: Double, method: String) -> LanguagePrediction {
        guard confidence >= options.minConfidence else {
            return LanguagePrediction(language: Self.unknown, confidence: confidence,
                                      method: "low confidence (best \(code))")
        }
        return LanguagePrediction(language: code, confidence: confidence, method: method)
    }
}
