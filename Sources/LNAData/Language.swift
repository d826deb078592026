import Foundation

/// One language as lna names it: ISO 639-1 code (the canonical key), FLORES-200 code, English and native name,
/// and the Unicode scripts its text is written in.
///
/// Every dataset and every pipeline names languages differently (`zh`, `zho_Hans`, `Chinese`); `resolve(_:)`
/// maps any of these to the one entry of `Language.all`.
///
/// ```swift
/// let zh = try Language.resolve("zho_Hans")
/// zh.code          // "zh"
/// zh.englishName   // "Chinese"
/// zh.scripts       // [.han]
/// ```
public struct Language: Sendable, Hashable, Codable, CustomStringConvertible {
    /// ISO 639-1 code, lower case (`zh`); the canonical key used throughout lna.
    public let code: String
    /// FLORES-200 code (`zho_Hans`), as used by the SIB-200 folders and NLLB.
    public let flores: String
    /// English name as the NJUNLP and MSVAMP files spell it (`Chinese`).
    public let englishName: String
    /// Name of the language in itself (`中文`).
    public let nativeName: String
    /// Unicode scripts of ordinary text, most characteristic first (Japanese: Hiragana, Katakana, Han).
    public let scripts: [Script]
    /// Other spellings `resolve` accepts (ISO 639-3 codes, alternative English names).
    public let aliases: [String]

    /// The first (most characteristic) script.
    public var script: Script { scripts[0] }

    /// ISO 639-3 code taken from the FLORES code (`zho`).
    public var iso639_3: String { String(flores.prefix { $0 != "_" }) }

    public var description: String { code }

    public init(code: String, flores: String, englishName: String, nativeName: String, scripts: [Script],
                aliases: [String] = []) {
        self.code = code
        self.flores = flores
        self.englishName = englishName
        self.nativeName = nativeName
        self.scripts = scripts
        self.aliases = aliases
    }

    /// Every name `resolve` accepts for this language.
    public var names: [String] { [code, flores, iso639_3, englishName, nativeName] + aliases }
}

extension Language {
    /// The canonical language for a code or name: ISO 639-1 (`zh`), FLORES-200 (`zho_Hans`), ISO 639-3 (`zho`),
    /// English name (`Chinese`), native name (`中文`) or an alias; case, `-`/`_` and surrounding spaces are ignored.
    /// The SIB-200 languages outside the table resolve by their FLORES code (`ace_Arab`, see `floresOnly`).
    ///
    /// ```swift
    /// try Language.resolve("Chinese").code   // "zh"
    /// try Language.resolve("Chines")         // throws: unknown language "Chines"; did you mean Chinese (zh)?
    /// ```
    public static func resolve(_ name: String) throws(LanguageError) -> Language {
        let key = normalizedKey(name)
        if let language = byKey[key] { return language }
        throw .unknown(name: name, suggestions: nearMatches(for: name))
    }

    /// Resolves each name, in order, dropping repeats.
    ///
    /// ```swift
    /// try Language.resolveAll(["en", "zho_Hans", "English"]).map(\.code)  // ["en", "zh"]
    /// ```
    public static func resolveAll(_ names: [String]) throws(LanguageError) -> [Language] {
        var seen = Set<String>(), result: [Language] = []
        for name in names {
            let language = try resolve(name)
            if seen.insert(language.code).inserted { result.append(language) }
        }
        return result
    }

    /// Up to three table entries whose names are closest (edit distance) to `name`.
    public static func nearMatches(for name: String, limit: Int = 3) -> [Language] {
        let key = normalizedKey(name)
        var best: [String: Int] = [:]
        for language in all {
            let distance = language.names.map { editDistance(key, normalizedKey($0)) }.min() ?? .max
            best[language.code] = min(best[language.code] ?? .max, distance)
        }
        let limitDistance = max(2, key.count / 2)
        return all.filter { best[$0.code]! <= limitDistance }
            .sorted { best[$0.code]! != best[$1.code]! ? best[$0.code]! < best[$1.code]! : $0.code < $1.code }
            .prefix(limit).map { $0 }
    }

    static func normalizedKey(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().replacingOccurrences(of: "-", with: "_")
    }

    private static let byKey: [String: Language] = {
        var map: [String: Language] = [:]
        for language in all {
            for name in language.names where map[normalizedKey(name)] == nil { map[normalizedKey(name)] = language }
        }
        // FLORES-only languages answer to their code alone (their ISO 639-3 prefix may name a table language).
        for language in floresOnly where map[normalizedKey(language.code)] == nil {
            map[normalizedKey(language.code)] = language
        }
        return map
    }()

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count), current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// A language name that is not in the table.
public enum LanguageError: Error, CustomStringConvertible, Equatable {
    case unknown(name: String, suggestions: [Language])

    public var description: String {
        switch self {
        case let .unknown(name, suggestions):
            let hint = suggestions.isEmpty
                ? "use an ISO 639-1 code, a FLORES-200 code or an English name (docs/data.md lists the table)"
                : "did you mean " + suggestions.map { "\($0.englishName) (\($0.code))" }.joined(separator: ", ") + "?"
            return "unknown language \"\(name)\"; \(hint)"
        }
    }
}
