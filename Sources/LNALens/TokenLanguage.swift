import LNAData
import LNALangID
import LNATokenizers

/// The language of a decoded token: the word list first (the token starts the concept's word in a language —
/// the prompt's own languages win ties, so `花` in a zh prompt is Chinese, not Japanese), then the language
/// identifier on the token's text; `other` when neither decides (punctuation, a stray subword).
///
/// ```swift
/// var languages = TokenLanguage(tokenizer: tok, identifier: try .builtin(), words: .builtin)
/// languages.language(of: 5234, concept: 6, preferring: ["zh", "en"])   // "zh"
/// ```
public struct TokenLanguage {
    public static let other = "other"
    let tokenizer: Tokenizer
    let identifier: LanguageIdentifier
    let words: ParallelWordList
    private var firstTokens: [Int: [(String, Set<Int>)]] = [:]

    public init(tokenizer: Tokenizer, identifier: LanguageIdentifier, words: ParallelWordList) {
        self.tokenizer = tokenizer
        self.identifier = identifier
        self.words = words
    }

    public mutating func language(of token: Int, concept: Int?, preferring: [String]) -> String {
        if let concept {
            let sets = firstTokensOfConcept(concept)
            let ordered = preferring.compactMap { p in sets.first { $0.0 == p } } + sets.filter { !preferring.contains($0.0) }
            if let match = ordered.first(where: { $0.1.contains(token) }) { return match.0 }
        }
        let prediction = identifier.predict(tokenizer.decode([token]))
        return prediction.isUnknown ? Self.other : prediction.language
    }

    private mutating func firstTokensOfConcept(_ concept: Int) -> [(String, Set<Int>)] {
        if let known = firstTokens[concept] { return known }
        let sets = words.languages.compactMap { language in
            words.word(concept: concept, language: language).map { (language, TranslationPrompts.firstTokens(of: $0, tokenizer)) }
        }
        firstTokens[concept] = sets
        return sets
    }
}
