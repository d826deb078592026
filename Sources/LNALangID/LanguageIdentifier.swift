import Foundation
import LNAData

/// Identifies the language of a text: Unicode scripts decide where they are unambiguous (Thai, Bengali, Hangul,
/// kana → Japanese, …); a character n-gram naive Bayes model decides among the trained languages that share a
/// script (Latin: en es fr de sw …; Han: zh vs ja). Too little text, no letters or low confidence → `unknown`.
///
/// ```swift
/// let identifier = try LanguageIdentifier.train(texts: ["en": englishLines, "fr": frenchLines])
/// identifier.predict("Où est la gare ?").language     // "fr"
/// try identifier.save(to: URL(fileURLWithPath: "langid.json"))
/// ```
public struct LanguageIdentifier: Sendable {
    /// The label of a text that cannot be identified.
    public static let unknown = "unknown"

    /// What training and prediction are tuned by. The defaults are what the tests measure.
    public struct Options: Sendable, Codable, Equatable {
        /// Character n-gram orders.
        public var minOrder = 1, maxOrder = 4
        /// N-grams kept per language (the most frequent); bounds the model size.
        public var maxFeaturesPerLanguage = 30_000
        /// Additive (Lidstone) smoothing of the n-gram counts.
        public var smoothing = 0.5
        /// Fewer weighted letters than this (a CJK character counts 3) → unknown.
        public var minLetters = 3.0
        /// A lower confidence than this → unknown.
        public var minConfidence = 0.5
        /// The naive Bayes log-likelihoods are scaled to at most this many n-gram observations before the
        /// softmax, so that confidence reflects how distinct the languages are rather than the text's length.
        public var evidenceCap = 20.0

        public init() {}
    }

    /// Per-language n-gram counts: the model as saved.
    public struct Profile: Sendable, Codable, Equatable {
        public var language: String
        public var total: Int
        public var counts: [String: Int]
    }

    /// The trained languages' profiles, in table order.
    public let profiles: [Profile]
    public let options: Options
    /// The trained languages.
    public var languages: [Language] { profileLanguages }

    // Derived tables: per n-gram the log-probability under each profile; the log-probability of an unseen n-gram.
    let logProbabilities: [String: [Double]]
    let unseenLogProbability: [Double]
    let profileLanguages: [Language]

    /// Builds an identifier from saved profiles (see `load(from:)`).
    public init(profiles: [Profile], options: Options = Options()) throws(LanguageIDError) {
        var languages: [Language] = []
        for profile in profiles {
            do throws(LanguageError) { languages.append(try Language.resolve(profile.language)) } catch {
                throw .language(error)
            }
        }
        self.profiles = profiles
        self.options = options
        self.profileLanguages = languages
        var vocabulary = Set<String>()
        for profile in profiles { vocabulary.formUnion(profile.counts.keys) }
        let alpha = options.smoothing
        let denominators = profiles.map { log(Double($0.total) + alpha * Double(max(vocabulary.count, 1))) }
        unseenLogProbability = denominators.map { log(alpha) - $0 }
        var table: [String: [Double]] = [:]
        table.reserveCapacity(vocabulary.count)
        for gram in vocabulary {
            table[gram] = profiles.indices.map { i in
                log(Double(profiles[i].counts[gram] ?? 0) + alpha) - denominators[i]
            }
        }
        logProbabilities = table
    }

    /// Trains on texts per language (keys: any name `Language.resolve` takes).
    ///
    /// ```swift
    /// let sib = try Dataset.load(path: "sib200", languages: ["en", "fr"], split: .train)
    /// let identifier = try LanguageIdentifier.train(texts: Dictionary(uniqueKeysWithValues: sib.map { ($0.language.code, $0.texts) }))
    /// ```
    public static func train(texts: [String: [String]], options: Options = Options()) throws(LanguageIDError) -> LanguageIdentifier {
        var byLanguage: [(Language, [String])] = []
        for (name, lines) in texts {
            let language: Language
            do throws(LanguageError) { language = try Language.resolve(name) } catch { throw .language(error) }
            if byLanguage.contains(where: { $0.0 == language }) { throw .duplicateLanguage(language.code) }
            byLanguage.append((language, lines))
        }
        guard !byLanguage.isEmpty else { throw .noTrainingText("any language") }
        let order = Dictionary(uniqueKeysWithValues: Language.all.enumerated().map { ($1.code, $0) })
        byLanguage.sort { order[$0.0.code]! < order[$1.0.code]! }
        let orders = options.minOrder...max(options.minOrder, options.maxOrder)
        var profiles: [Profile] = []
        for (language, lines) in byLanguage {
            var counts: [String: Int] = [:]
            for line in lines {
                for gram in CharacterNgrams.extract(line, orders: orders) { counts[gram, default: 0] += 1 }
            }
            guard !counts.isEmpty else { throw .noTrainingText(language.code) }
            let kept = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(options.maxFeaturesPerLanguage)
            let keptCounts = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
            profiles.append(Profile(language: language.code, total: keptCounts.values.reduce(0, +), counts: keptCounts))
        }
        return try LanguageIdentifier(profiles: profiles, options: options)
    }
}

/// Why an identifier could not be trained, loaded or saved.
public enum LanguageIDError: Error, CustomStringConvertible {
    case language(LanguageError)
    case duplicateLanguage(String)
    case noTrainingText(String)
    case badModel(path: String, reason: String)
    case write(String)

    public var description: String {
        switch self {
        case let .language(error): return "\(error)"
        case let .duplicateLanguage(code): return "training texts name language \(code) twice; merge them under one key"
        case let .noTrainingText(language): return "no training text with letters for \(language); give at least one sentence"
        case let .badModel(path, reason): return "\(path): not an lna language-ID model: \(reason)"
        case let .write(reason): return reason
        }
    }
}

extension LanguageIdentifier {
    /// An identifier trained on the train split (first 80 %) of the built-in corpus: the ten paper languages,
    /// no files needed.
    ///
    /// ```swift
    /// try LanguageIdentifier.builtin().predict("Habari ya asubuhi").language  // "sw"
    /// ```
    public static func builtin(options: Options = Options()) throws(LanguageIDError) -> LanguageIdentifier {
        var texts: [String: [String]] = [:]
        for language in BuiltinCorpus.languages {
            texts[language.code] = (try? BuiltinCorpus.sentences(for: language.code, split: .train)) ?? []
        }
        return try train(texts: texts, options: options)
    }
}
