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
        public var maxFeaturesPerLanguage = 4_000
        /// Additive (Lidstone) smoothing of the n-gram counts.
        public var smoothing = 0.5
        /// Fewer weighted letters than this (a CJK character counts 3) → unknown.
        public var minLetters = 3.0
        /// A lower confidence than this → unknown.
        public var minConfidence = 0.3
        /// The naive Bayes log-likelihoods are scaled to at most this many n-gram observations before the
        /// softmax, so that confidence reflects how distinct the languages are rather than the text's length.
        public var evidenceCap = 60.0
        /// Log-prior (nats) added to the languages of lna's main table (the ones with an ISO 639-1 code, such as
        /// the paper's ten): model outputs are far more often in these than in, say, Kirundi, and on a few words
        /// the n-grams alone cannot tell Swahili from Kirundi. A full sentence outweighs it.
        public var tablePrior = 6.0

        public init() {}
    }

    /// Per-language n-gram counts: the model as saved. The n-grams are a list beside their counts, not a JSON
    /// object: decoding object keys into a Swift dictionary would merge canonically equivalent n-grams.
    public struct Profile: Sendable, Codable, Equatable {
        public var language: String
        /// Number of n-grams in the training text, kept or not: probabilities are counts over this total, so
        /// keeping only the most frequent n-grams does not favour languages whose kept n-grams cover less of
        /// their text (the training texts are parallel, so the totals are alike).
        public var total: Int
        /// The kept n-grams, most frequent first.
        public var grams: [String]
        /// `counts[k]` is the count of `grams[k]` in the training text.
        public var counts: [Int]

        public init(language: String, total: Int, grams: [String], counts: [Int]) {
            self.language = language
            self.total = total
            self.grams = grams
            self.counts = counts
        }
    }

    /// The trained languages' profiles, in table order.
    public let profiles: [Profile]
    public let options: Options
    /// The trained languages.
    public var languages: [Language] { profileLanguages }

    let table: NgramTable
    let profileLanguages: [Language]
    /// Per script: the profiles of the languages that write it.
    let candidatesByScript: [Script: [Int]]
    /// Per profile: its log-prior (`Options.tablePrior` for table languages, else 0).
    let logPriors: [Double]

    /// Builds an identifier from saved profiles (see `load(from:)`).
    public init(profiles: [Profile], options: Options = Options()) throws(LanguageIDError) {
        try Self.check(options)
        var languages: [Language] = []
        for profile in profiles {
            do throws(LanguageError) { languages.append(try Language.resolve(profile.language)) } catch {
                throw .language(error)
            }
            guard profile.grams.count == profile.counts.count, profile.counts.allSatisfy({ $0 > 0 }),
                  profile.total >= profile.counts.reduce(0, &+) else {
                throw .inconsistentProfile(profile.language)
            }
        }
        self.profiles = profiles
        self.options = options
        self.profileLanguages = languages
        var byScript: [Script: [Int]] = [:]
        for (i, language) in languages.enumerated() {
            for script in language.scripts { byScript[script, default: []].append(i) }
        }
        candidatesByScript = byScript
        let tableCodes = Set(Language.all.map(\.code))
        logPriors = languages.map { tableCodes.contains($0.code) ? options.tablePrior : 0 }
        table = NgramTable(profiles: profiles, smoothing: options.smoothing)
    }

    /// Trains on texts per language (keys: any name `Language.resolve` takes).
    ///
    /// ```swift
    /// let sib = try Dataset.load(path: "sib200", languages: ["en", "fr"], split: .train)
    /// let identifier = try LanguageIdentifier.train(texts: Dictionary(uniqueKeysWithValues: sib.map { ($0.language.code, $0.texts) }))
    /// ```
    public static func train(texts: [String: [String]], options: Options = Options()) throws(LanguageIDError) -> LanguageIdentifier {
        try check(options)
        var byLanguage: [(Language, [String])] = []
        for (name, lines) in texts {
            let language: Language
            do throws(LanguageError) { language = try Language.resolve(name) } catch { throw .language(error) }
            if byLanguage.contains(where: { $0.0 == language }) { throw .duplicateLanguage(language.code) }
            byLanguage.append((language, lines))
        }
        guard !byLanguage.isEmpty else { throw .noTrainingText("any language") }
        let order = Dictionary(uniqueKeysWithValues: Language.known.enumerated().map { ($1.code, $0) })
        byLanguage.sort { (order[$0.0.code] ?? .max, $0.0.code) < (order[$1.0.code] ?? .max, $1.0.code) }
        var profiles: [Profile] = []
        for (language, lines) in byLanguage {
            let profile = Self.profile(language.code, lines, options: options)
            guard !profile.grams.isEmpty else { throw .noTrainingText(language.code) }
            profiles.append(profile)
        }
        return try LanguageIdentifier(profiles: profiles, options: options)
    }

    /// Options a model file or a caller may set out of range (a negative order would make no n-grams but a trap).
    static func check(_ options: Options) throws(LanguageIDError) {
        guard options.minOrder >= 1, options.maxOrder >= options.minOrder, options.maxOrder <= 16,
              options.smoothing > 0, options.evidenceCap > 0, options.maxFeaturesPerLanguage > 0,
              options.tablePrior.isFinite else {
            throw .badOptions("expected 1 ≤ minOrder ≤ maxOrder ≤ 16, smoothing > 0, evidenceCap > 0, maxFeaturesPerLanguage > 0, a finite tablePrior")
        }
    }

    /// The most frequent n-grams of one language's lines (ties: by scalar values, so training is deterministic).
    static func profile(_ code: String, _ lines: [String], options: Options) -> Profile {
        let orders = options.minOrder...max(options.minOrder, options.maxOrder)
        var counts: [UInt64: Int] = [:], grams: [UInt64: [Unicode.Scalar]] = [:]
        for line in lines {
            let scalars = Array(CharacterNgrams.normalize(line).unicodeScalars)
            guard scalars.count > 2 else { continue }
            for n in orders where n <= scalars.count {
                for start in 0...(scalars.count - n) {
                    if n == 1 && scalars[start] == " " { continue }
                    let gram = scalars[start..<(start + n)]
                    let key = CharacterNgrams.key(gram)
                    counts[key, default: 0] += 1
                    if grams[key] == nil { grams[key] = Array(gram) }
                }
            }
        }
        let kept = counts.map { (scalars: grams[$0.key]!.map(\.value), count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.scalars.lexicographicallyPrecedes($1.scalars) }
            .prefix(options.maxFeaturesPerLanguage)
        var text: [String] = [], values: [Int] = []
        for entry in kept {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: entry.scalars.compactMap(Unicode.Scalar.init))
            text.append(String(view))
            values.append(entry.count)
        }
        return Profile(language: code, total: counts.values.reduce(0, +), grams: text, counts: values)
    }

    /// The same model limited to `codes` (any names `Language.resolve` takes): the answer is always one of them
    /// or `unknown`. For comparisons with identifiers that know fewer languages.
    ///
    /// ```swift
    /// let tenLanguages = try LanguageIdentifier.builtin().restricted(to: ["en", "zh", "fr"])
    /// ```
    public func restricted(to codes: [String]) throws(LanguageIDError) -> LanguageIdentifier {
        var wanted = Set<String>()
        for name in codes {
            do throws(LanguageError) { wanted.insert(try Language.resolve(name).code) } catch { throw .language(error) }
        }
        let kept = zip(profiles, profileLanguages).filter { wanted.contains($0.1.code) }.map(\.0)
        guard !kept.isEmpty else { throw .noTrainingText(codes.joined(separator: ",") + " in this model") }
        return try LanguageIdentifier(profiles: kept, options: options)
    }
}

/// Why an identifier could not be trained, loaded or saved.
public enum LanguageIDError: Error, CustomStringConvertible {
    case language(LanguageError)
    case duplicateLanguage(String)
    case noTrainingText(String)
    case badModel(path: String, reason: String)
    case inconsistentProfile(String)
    case badOptions(String)
    case write(String)

    public var description: String {
        switch self {
        case let .language(error): return "\(error)"
        case let .duplicateLanguage(code): return "training texts name language \(code) twice; merge them under one key"
        case let .noTrainingText(language): return "no training text with letters for \(language); give at least one sentence"
        case let .badModel(path, reason): return "\(path): not an lna language-ID model: \(reason)"
        case let .inconsistentProfile(code): return "profile \(code): n-grams and counts differ in number, a count is not positive, or the total is below their sum"
        case let .badOptions(expected): return "model options out of range: \(expected)"
        case let .write(reason): return reason
        }
    }
}

