import LNAData
import LNATokenizers

/// Few-shot word-translation prompts of one language pair, in the form of Wendler et al. (2024):
///
/// ```text
/// Français: "eau" - 中文: "水"
/// Français: "feu" - 中文: "火"
/// Français: "fleur" - 中文: "
/// ```
/// The shots are the first `shots` concepts with a word in both languages and are shared by every query of the
/// pair (so their keys and values are computed once); the queries are the remaining concepts, the target word
/// masked. A prompt is scored on the first tokens of its answer: for every tracked language (target, source,
/// English) the first token of the word as it follows the opening quote and of the word after a space.
///
/// ```swift
/// let pair = try TranslationPrompts(words: .builtin, source: "fr", target: "zh", shots: 5, tokenizer: tok)
/// pair.prefix            // five example lines
/// pair.queries[0].text   // "Français: \"…\" - 中文: \""
/// ```
public struct TranslationPrompts: Sendable {
    public struct Query: Sendable {
        /// Index of the concept in the word list.
        public let concept: Int
        /// The query line, ending with the opening quote of the masked answer.
        public let text: String
        /// Per tracked language, the token ids a correct answer in that language can start with.
        public let firstTokens: [String: Set<Int>]
    }

    public let source: String
    public let target: String
    /// The languages whose probability mass is measured: target, source and English, without repeats.
    public let tracked: [String]
    /// The language the target is compared with: English, or the source when the target is English.
    public let rival: String
    /// The few-shot lines (each ends with a newline).
    public let prefix: String
    public let queries: [Query]
    /// Concepts left out because the target's first tokens are also the rival's (`mango` in Spanish and English):
    /// their mass could not be told apart.
    public let ambiguous: [Int]

    public init(words: ParallelWordList, source: String, target: String, shots: Int, tokenizer: Tokenizer,
                limit: Int? = nil) throws(LensError) {
        guard source != target else { throw .invalidInput("source and target are both \(source)") }
        for language in Set([source, target, "en"]) where !words.languages.contains(language) {
            throw .invalidInput("the word list has no column \(language) (it has \(words.languages.joined(separator: " ")))")
        }
        self.source = source
        self.target = target
        self.rival = target == "en" ? source : "en"
        var tracked = [target, source]
        if !tracked.contains("en") { tracked.append("en") }
        self.tracked = tracked
        let complete = (0..<words.conceptCount).filter { i in tracked.allSatisfy { words.word(concept: i, language: $0) != nil } }
        guard complete.count > shots else {
            throw .invalidInput("\(source)→\(target): \(complete.count) concepts have words in \(tracked.joined(separator: ", ")); need more than the \(shots) shots")
        }
        let sourceName = Self.label(source), targetName = Self.label(target)
        func line(_ i: Int) -> String { "\(sourceName): \"\(words.word(concept: i, language: source)!)\" - \(targetName): \"" }
        prefix = complete.prefix(shots).map { line($0) + words.word(concept: $0, language: target)! + "\"\n" }.joined()
        var queries: [Query] = [], ambiguous: [Int] = []
        for i in complete.dropFirst(shots) {
            if let limit, queries.count >= limit { break }
            var first: [String: Set<Int>] = [:]
            for language in tracked { first[language] = Self.firstTokens(of: words.word(concept: i, language: language)!, tokenizer) }
            if !first[target]!.isDisjoint(with: first[rival]!) { ambiguous.append(i); continue }
            queries.append(Query(concept: i, text: line(i), firstTokens: first))
        }
        guard !queries.isEmpty else { throw .invalidInput("\(source)→\(target): no query left after the shots") }
        self.queries = queries
        self.ambiguous = ambiguous
    }

    /// The language's own name (`Français`, `中文`), or the code for a language the table does not know.
    static func label(_ code: String) -> String { (try? Language.resolve(code).nativeName) ?? code }

    /// First token of `word` and of ` word`, without special tokens. A token that is only whitespace does not
    /// count (SentencePiece splits ` 花` into `▁` + `花`: the space would be every Chinese word's first token).
    static func firstTokens(of word: String, _ tokenizer: Tokenizer) -> Set<Int> {
        Set([word, " " + word].compactMap { variant in
            tokenizer.encode(variant, addSpecial: false).first {
                !tokenizer.decode([$0]).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
        })
    }
}
