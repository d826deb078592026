/// Why a dataset could not be loaded. Every message is one line naming the file (and line) and what was expected.
///
/// ```swift
/// do { _ = try Dataset.load(path: "bad.tsv") } catch { print(error) }  // "bad.tsv:12: expected 2 fields …"
/// ```
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// The path does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// A row or item that does not have the expected shape. `line` is 1-based (item number for JSON arrays).
    case malformedRow(path: String, line: Int, reason: String)
    /// An item of a JSON array that does not have the expected shape. `item` is 1-based.
    case malformedItem(path: String, item: Int, reason: String)
    /// The format could not be detected, or the options do not fit the format.
    case unsupported(path: String, reason: String)
    /// A language name that is not in the table.
    case language(path: String, LanguageError)
    /// A requested language is not present in the data.
    case missingLanguage(path: String, language: String, available: [String])

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .malformedRow(path, line, reason):
            return "\(path):\(line): \(reason) (fix the row or load with skipBadRows / --skip-bad-rows)"
        case let .malformedItem(path, item, reason):
            return "\(path): item \(item): \(reason) (fix the item or load with skipBadRows / --skip-bad-rows)"
        case let .unsupported(path, reason): return "\(path): \(reason)"
        case let .language(path, error): return "\(path): \(error)"
        case let .missingLanguage(path, language, available):
            return "\(path): no data for language \(language); the data has: \(available.joined(separator: " "))"
        }
    }
}
