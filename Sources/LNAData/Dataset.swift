import Foundation

/// Loads multilingual datasets into per-language text lists.
///
/// ```swift
/// // SIB-200 dev sentences of two languages, in the order asked for:
/// let sets = try Dataset.load(path: "/work/shared/datasets/sib200", languages: ["zh", "en"], split: .dev)
/// sets.map(\.language.code)  // ["zh", "en"]
/// sets[0].texts.count        // 99
/// ```
public enum Dataset {
    /// Reads the dataset at `path` (`"builtin"`: the built-in corpus, unless a file of that name exists).
    ///
    /// - Parameters:
    ///   - format: the layout; nil detects it from the path (`DatasetFormat.detect`).
    ///   - languages: names of the languages to keep, in the order wanted (any spelling `Language.resolve` takes);
    ///     nil keeps every language in the data, in table order (then the FLORES-only languages). A requested language missing from the data is
    ///     an error.
    ///   - split: SIB-200 `train`/`dev`/`test`; nil or `.all` takes everything. Other formats have no splits.
    ///   - skipBadRows: skip and count malformed rows (`LanguageTexts.skippedRows`) instead of failing on the
    ///     first. Structural damage (unreadable file, unclosed quote, invalid JSON array) still fails.
    public static func load(path: String, format: DatasetFormat? = nil, languages: [String]? = nil,
                            split: DatasetSplit? = nil, skipBadRows: Bool = false) throws(DataError) -> [LanguageTexts] {
        if BuiltinCorpus.isNamed(by: path) {
            return try BuiltinCorpus.texts(split: split ?? .all, languages: languages)
        }
        let detected: DatasetFormat
        if let format { detected = format } else { detected = try DatasetFormat.detect(path: path) }
        let format = detected
        var wanted: [Language]? = nil
        if let languages {
            do throws(LanguageError) { wanted = try Language.resolveAll(languages) } catch {
                throw .language(path: path, error)
            }
        }
        let split = split ?? .all
        if split != .all && !format.hasSplits {
            throw .unsupported(path: path, reason: "the \(format) format has no \(split.rawValue) split; leave the split out")
        }
        let request = LoadRequest(path: path, wanted: wanted.map { Set($0.map(\.code)) }, split: split,
                                  skipBadRows: skipBadRows)
        let found: [LanguageTexts]
        switch format {
        case .sib200: found = try loadSIB200(request)
        case .mgsm: found = try loadMGSM(request)
        case .msvamp: found = try loadMSVAMP(request)
        case .njunlp: found = try loadNJUNLP(request)
        case .text:
            found = try loadPerLanguageFiles(request, extensions: ["txt"]) { (path, policy) throws(DataError) in
                try readTextLines(path, &policy)
            }
        case let .jsonLines(field):
            found = try loadPerLanguageFiles(request, extensions: ["jsonl", "json"]) { (path, policy) throws(DataError) in
                try readJSONLines(path, &policy, field: field)
            }
        }
        return try ordered(found, wanted: wanted, path: path)
    }

    /// Puts the results in the requested order (else table order) and reports requested languages that are absent.
    static func ordered(_ found: [LanguageTexts], wanted: [Language]?, path: String) throws(DataError) -> [LanguageTexts] {
        var byCode: [String: LanguageTexts] = [:]
        for entry in found {
            if var existing = byCode[entry.language.code] {
                existing.texts += entry.texts
                existing.examples += entry.examples
                existing.skippedRows += entry.skippedRows
                byCode[entry.language.code] = existing
            } else {
                byCode[entry.language.code] = entry
            }
        }
        let order = wanted ?? Language.known
        if let wanted {
            for language in wanted where byCode[language.code] == nil {
                let available = Language.known.filter { byCode[$0.code] != nil }.map(\.code)
                throw .missingLanguage(path: path, language: language.code, available: available)
            }
        }
        return order.compactMap { byCode[$0.code] }
    }
}

/// What one importer is asked for.
struct LoadRequest {
    let path: String
    /// ISO codes to keep, nil for all.
    let wanted: Set<String>?
    let split: DatasetSplit
    let skipBadRows: Bool

    func wants(_ language: Language) -> Bool { wanted?.contains(language.code) ?? true }
}

/// Counts skipped rows, or throws on the first bad row when skipping is off.
struct BadRowPolicy {
    let skip: Bool
    private(set) var skipped = 0

    init(skip: Bool) { self.skip = skip }

    mutating func reject(_ error: DataError) throws(DataError) {
        guard skip else { throw error }
        skipped += 1
    }
}

extension Dataset {
    /// The bytes of a file, or a one-line error.
    static func readBytes(_ path: String) throws(DataError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "no such file or not readable")
        }
        return [UInt8](data)
    }

    /// A whole file as UTF-8 text; invalid UTF-8 is reported with its line.
    static func readText(_ path: String) throws(DataError) -> String {
        let bytes = try readBytes(path)
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var line = 1
        for lineBytes in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if String(validating: lineBytes, as: UTF8.self) == nil { break }
            line += 1
        }
        throw .malformedRow(path: path, line: line, reason: "invalid UTF-8")
    }

    /// Lines of a text file with their 1-based numbers (a final newline does not make an extra empty line).
    static func numberedLines(_ text: String) -> [(line: Int, text: Substring)] {
        // Split on LF bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        if lines.last == "" { lines.removeLast() }
        return lines.enumerated().map { ($0.offset + 1, $0.element.hasSuffix("\r") ? $0.element.dropLast() : $0.element) }
    }

    /// Sorted entries of a folder.
    static func folderEntries(_ path: String) throws(DataError) -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw .unreadable(path: path, reason: "cannot list the folder")
        }
    }

    static func resolveLanguage(_ name: String, path: String) throws(DataError) -> Language {
        do throws(LanguageError) { return try Language.resolve(name) } catch { throw .language(path: path, error) }
    }
}
