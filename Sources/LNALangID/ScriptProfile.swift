import LNAData

/// The script evidence of a text: letter counts per script, weighted so that one CJK character (Han, kana,
/// Hangul syllable), which carries about a word, counts like three alphabetic letters.
///
/// ```swift
/// let profile = ScriptProfile("東京へ行きます")
/// profile.decisiveScript  // .hiragana  (kana present among CJK text → Japanese)
/// ```
public struct ScriptProfile: Sendable, Equatable {
    /// Weighted letter counts per script.
    public let weights: [Script: Double]
    /// Sum of `weights`.
    public let total: Double

    public init(_ text: String) {
        var weights: [Script: Double] = [:]
        for (script, count) in Script.histogram(text) {
            weights[script] = Double(count) * ScriptProfile.weight(script)
        }
        self.weights = weights
        self.total = weights.values.reduce(0, +)
    }

    static func weight(_ script: Script) -> Double {
        switch script {
        case .han, .hiragana, .katakana, .hangul: return 3
        default: return 1
        }
    }

    /// The script that decides the candidate languages, and the share of the letters it accounts for.
    ///
    /// Han, Hiragana and Katakana are pooled (Japanese mixes them); when the pool is the largest group and at
    /// least 5 % of it is kana, the script is `.hiragana` (Japanese); otherwise the largest single script.
    public var decisiveScript: Script? { decision?.script }

    /// `decisiveScript` with the fraction of the weighted letters it covers.
    public var decision: (script: Script, share: Double)? {
        guard total > 0 else { return nil }
        let kana = (weights[.hiragana] ?? 0) + (weights[.katakana] ?? 0)
        let cjk = kana + (weights[.han] ?? 0)
        let best = weights.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!
        if cjk >= best.value {
            if kana > 0 && kana >= 0.05 * cjk { return (.hiragana, cjk / total) }
            if weights[.han] ?? 0 > 0 { return (.han, cjk / total) }
        }
        return (best.key, best.value / total)
    }
}
