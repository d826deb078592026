import Foundation

/// Concepts with their word in several languages: the input of translation prompts (`lna lens`). Row *i* is one
/// concept; a missing word (empty TSV cell, absent JSON key) leaves that concept out of the pairs needing it.
///
/// Files (docs/lens.md, "Word lists"):
/// - TSV: `#` comment lines, then a header of language names (`en  fr  zh`, any name `Language.resolve` knows),
///   then one concept per line;
/// - JSON: a list of objects `[{"en": "flower", "fr": "fleur", "zh": "花"}, …]`.
///
/// ```swift
/// let words = ParallelWordList.builtin
/// words.languages                     // ["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw"]
/// words.word(concept: 6, language: "fr")   // "fleur"
/// ```
public struct ParallelWordList: Sendable, Equatable {
    /// ISO codes of the columns.
    public let languages: [String]
    /// `rows[i][j]`: concept i in `languages[j]`; nil when the list has no word for it.
    public let rows: [[String?]]

    public init(languages: [String], rows: [[String?]]) {
        self.languages = languages
        self.rows = rows
    }

    public var conceptCount: Int { rows.count }

    /// The word of concept `i` in `language` (an ISO code of `languages`), or nil.
    public func word(concept i: Int, language: String) -> String? {
        guard let column = languages.firstIndex(of: language), rows.indices.contains(i) else { return nil }
        return rows[i][column]
    }

    /// The list shipped with lna: 216 concrete concepts in the paper's ten languages (CC0-1.0).
    public static let builtin: ParallelWordList = {
        // The text is a literal of this module, checked by the tests: a parse failure is a build defect.
        do { return try parseTSV(Array(builtinTSV.utf8), path: "builtin") } catch { fatalError("built-in word list: \(error)") }
    }()

    /// The name the CLI accepts for the built-in list.
    public static let builtinName = "builtin"

    /// Reads a TSV or JSON word list (JSON when the file starts with `[`).
    public static func load(path: String) throws(DataError) -> ParallelWordList {
        if path == builtinName, !FileManager.default.fileExists(atPath: path) { return builtin }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "no such file or not readable")
        }
        let bytes = [UInt8](data)
        if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "[") {
            return try parseJSON(data, path: path)
        }
        return try parseTSV(bytes, path: path)
    }

    static func parseTSV(_ bytes: [UInt8], path: String) throws(DataError) -> ParallelWordList {
        let records: [DelimitedReader.Record]
        do { records = try DelimitedReader.records(in: bytes, delimiter: "\t", quote: "\u{0}") } catch {
            throw .malformedRow(path: path, line: error.line, reason: error.reason)
        }
        let content = records.filter { !($0.fields.first?.hasPrefix("#") ?? false) }
        guard let header = content.first else {
            throw .unsupported(path: path, reason: "no header line of language names")
        }
        let languages = try codes(header.fields, path: path)
        var rows: [[String?]] = []
        for record in content.dropFirst() {
            guard record.fields.count <= languages.count else {
                throw .malformedRow(path: path, line: record.line,
                                    reason: "\(record.fields.count) fields, expected at most \(languages.count) (one per header language)")
            }
            let padded = record.fields + Array(repeating: "", count: languages.count - record.fields.count)
            rows.append(padded.map { cell in
                let word = cell.trimmingCharacters(in: .whitespaces)
                return word.isEmpty ? nil : word
            })
        }
        guard !rows.isEmpty else { throw .unsupported(path: path, reason: "no concepts after the header line") }
        return ParallelWordList(languages: languages, rows: rows)
    }

    static func parseJSON(_ data: Data, path: String) throws(DataError) -> ParallelWordList {
        guard let items = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else {
            throw .unsupported(path: path, reason: "expected a JSON list of objects {language: word}")
        }
        var objects: [[String: String]] = []
        var languages: [String] = []
        for (n, item) in items.enumerated() {
            guard let object = item as? [String: Any] else {
                throw .malformedItem(path: path, item: n + 1, reason: "expected an object {language: word}")
            }
            var words: [String: String] = [:]
            for key in object.keys.sorted() {
                guard let word = object[key] as? String else {
                    throw .malformedItem(path: path, item: n + 1, reason: "the value of '\(key)' is not a string")
                }
                let code = try codes([key], path: path)[0]
                words[code] = word.trimmingCharacters(in: .whitespaces)
                if !languages.contains(code) { languages.append(code) }
            }
            objects.append(words)
        }
        guard !objects.isEmpty else { throw .unsupported(path: path, reason: "the list is empty") }
        let rows = objects.map { words in languages.map { words[$0].flatMap { $0.isEmpty ? nil : $0 } } }
        return ParallelWordList(languages: languages, rows: rows)
    }

    private static func codes(_ names: [String], path: String) throws(DataError) -> [String] {
        var codes: [String] = []
        for name in names {
            let code: String
            do { code = try Language.resolve(name.trimmingCharacters(in: .whitespaces)).code } catch {
                throw .language(path: path, error)
            }
            guard !codes.contains(code) else {
                throw .unsupported(path: path, reason: "language \(code) appears twice in the header")
            }
            codes.append(code)
        }
        return codes
    }
}
