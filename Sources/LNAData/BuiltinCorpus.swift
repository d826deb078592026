// The built-in demo corpus: short everyday sentences written for lna by the lna team (not taken from any
// dataset), parallel across the paper's ten languages. Released under CC0-1.0 (public domain dedication); see
// docs/corpus.md. The sentences live in BuiltinCorpus+<code>.swift as string literals, so the binary needs no
// resource bundle.
import Foundation

/// A small parallel corpus that ships inside the binary: the same everyday sentences (food, weather, family,
/// travel, work, school, health, shopping, time, feelings, nature, city …) in en zh es fr de ja ru bn th sw.
///
/// Line *i* is the same sentence in every language. Lines come in blocks of 25 by topic: food (1–25), weather,
/// family, travel, work, school, health, shopping, time, feelings, nature, city and home (276–300). The first 80 % of the lines are the train split, the rest
/// the held-out split (`.dev` and `.test` both name it).
///
/// ```swift
/// BuiltinCorpus.languages.map(\.code)          // ["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw"]
/// try BuiltinCorpus.sentences(for: "fr").first  // "Le petit déjeuner est prêt, alors viens à table, s'il te plaît."
/// BuiltinCorpus.texts(split: .train)           // [LanguageTexts], 80 % of each language
/// ```
public enum BuiltinCorpus {
    /// The name `Dataset.load` and the CLI accept for this corpus.
    public static let name = "builtin"

    /// True when `path` means this corpus: `"builtin"`, unless a file or folder of that name exists.
    ///
    /// ```swift
    /// BuiltinCorpus.isNamed(by: "builtin")  // true in a folder without a file called "builtin"
    /// ```
    public static func isNamed(by path: String) -> Bool {
        path == name && !FileManager.default.fileExists(atPath: path)
    }

    /// The corpus languages, in the paper's README order.
    public static let languages: [Language] = Language.paperLanguages

    /// Share of the lines in the train split.
    public static let trainFraction = 0.8

    /// Sentences per language.
    public static var count: Int { english.count }

    /// Number of lines in the train split (the rest are held out).
    public static var trainCount: Int { Int((Double(count) * trainFraction).rounded(.down)) }

    /// All sentences of a language (any name `Language.resolve` takes).
    public static func sentences(for name: String) throws(DataError) -> [String] {
        let language: Language
        do throws(LanguageError) { language = try Language.resolve(name) } catch {
            throw .language(path: Self.name, error)
        }
        guard let lines = table[language.code] else {
            throw .missingLanguage(path: Self.name, language: language.code, available: languages.map(\.code))
        }
        return lines
    }

    /// The sentences of a language in one split: `.train` the first 80 %, `.dev`/`.test` the last 20 %.
    public static func sentences(for name: String, split: DatasetSplit) throws(DataError) -> [String] {
        let lines = try sentences(for: name)
        switch split {
        case .all: return lines
        case .train: return Array(lines.prefix(trainCount))
        case .dev, .test: return Array(lines.dropFirst(trainCount))
        }
    }

    /// One `LanguageTexts` per corpus language (or per requested language, in the order given).
    public static func texts(split: DatasetSplit = .all, languages names: [String]? = nil) throws(DataError) -> [LanguageTexts] {
        let wanted: [Language]
        if let names {
            do throws(LanguageError) { wanted = try Language.resolveAll(names) } catch {
                throw .language(path: name, error)
            }
        } else {
            wanted = languages
        }
        var result: [LanguageTexts] = []
        for language in wanted {
            result.append(LanguageTexts(language: language, texts: try sentences(for: language.code, split: split)))
        }
        return result
    }

    static let table: [String: [String]] = [
        "en": english, "zh": chinese, "es": spanish, "fr": french, "de": german,
        "ja": japanese, "ru": russian, "bn": bengali, "th": thai, "sw": swahili,
    ]
}
