import Foundation

/// The file layouts `Dataset.load` reads.
///
/// ```swift
/// let format = try DatasetFormat.detect(path: "shared/datasets/sib200")  // .sib200
/// ```
public enum DatasetFormat: Sendable, Hashable, CustomStringConvertible {
    /// SIB-200 / FLORES: a folder of FLORES-code folders (or one such folder) with train/dev/test.tsv,
    /// header `index_id<TAB>category<TAB>text`, CSV quoting.
    case sib200
    /// MGSM: `mgsm_<code>.tsv` (or a folder of them), `question<TAB>answer`, no header, no quoting.
    case mgsm
    /// MSVAMP: `test_<EnglishName>.json` (or a folder of them), JSON lines or a JSON array of
    /// `{m_query, response}`.
    case msvamp
    /// NJUNLP: one JSON array of `{lang: EnglishName, instruction, answers: [{generated}]}`.
    case njunlp
    /// Plain text, one text per line (blank lines skipped); a `.txt` file or a folder of `<language>.txt`.
    case text
    /// JSON lines, the text taken from `field`; a `.jsonl` file or a folder of `<language>.jsonl`.
    case jsonLines(field: String)

    /// Whether the format has train/dev/test splits (only SIB-200; the built-in corpus has its own).
    public var hasSplits: Bool { self == .sib200 }

    public var description: String {
        switch self {
        case .sib200: return "sib200"
        case .mgsm: return "mgsm"
        case .msvamp: return "msvamp"
        case .njunlp: return "njunlp"
        case .text: return "text"
        case let .jsonLines(field): return "jsonl:\(field)"
        }
    }

    /// Parses a CLI name: `sib200`, `mgsm`, `msvamp`, `njunlp`, `text`, `jsonl:<field>` (or `jsonl` + `field`).
    ///
    /// ```swift
    /// try DatasetFormat.named("jsonl:text")  // .jsonLines(field: "text")
    /// ```
    public static func named(_ name: String, field: String? = nil) throws(DataError) -> DatasetFormat {
        let lower = name.lowercased()
        switch lower {
        case "sib200", "sib-200", "flores": return .sib200
        case "mgsm": return .mgsm
        case "msvamp": return .msvamp
        case "njunlp": return .njunlp
        case "text", "txt": return .text
        case "jsonl", "jsonlines":
            return .jsonLines(field: field ?? "text")
        default:
            if lower.hasPrefix("jsonl:") { return .jsonLines(field: String(name.dropFirst(6))) }
            throw .unsupported(path: name, reason: "unknown format; use sib200, mgsm, msvamp, njunlp, text or jsonl:<field>")
        }
    }

    /// The format of a DATA argument as the commands take it: nil for the built-in corpus, else the format `name`
    /// names, else the one detected from the path.
    ///
    /// ```swift
    /// try DatasetFormat.of(path: "builtin", named: nil)                     // nil
    /// try DatasetFormat.of(path: "shared/datasets/mgsm", named: nil)        // .mgsm
    /// ```
    public static func of(path: String, named name: String?, field: String? = nil) throws(DataError) -> DatasetFormat? {
        if BuiltinCorpus.isNamed(by: path) { return nil }
        if let name { return try named(name, field: field) }
        return try detect(path: path, field: field)
    }

    /// Guesses the format from the path: a folder of FLORES-code folders (or a folder with train.tsv) → SIB-200,
    /// `mgsm_*.tsv` → MGSM, `test_<English>.json` → MSVAMP, a `.json` list with `instruction`/`answers` → NJUNLP,
    /// `.txt` → text, `.jsonl` → JSON lines with `field` (default `text`). Folders are judged by their files.
    public static func detect(path: String, field: String? = nil) throws(DataError) -> DatasetFormat {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(path: path, reason: "no such file or folder")
        }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            if names.contains("train.tsv") || names.contains("dev.tsv") { return .sib200 }
            if names.contains(where: { isFolder(url.appendingPathComponent($0).path)
                && FileManager.default.fileExists(atPath: url.appendingPathComponent($0).appendingPathComponent("train.tsv").path) }) {
                return .sib200
            }
            if names.contains(where: isMGSMName) { return .mgsm }
            if names.contains(where: isMSVAMPName) { return .msvamp }
            if names.contains(where: { $0.hasSuffix(".jsonl") }) { return .jsonLines(field: field ?? "text") }
            if names.contains(where: { $0.hasSuffix(".txt") }) { return .text }
            throw .unsupported(path: path, reason: "cannot tell the dataset format of this folder; pass a format")
        }
        let name = url.lastPathComponent
        if isMGSMName(name) { return .mgsm }
        if isMSVAMPName(name) { return .msvamp }
        if name.hasSuffix(".jsonl") { return .jsonLines(field: field ?? "text") }
        if name.hasSuffix(".txt") { return .text }
        if name.hasSuffix(".json") {
            if field != nil { return .jsonLines(field: field!) }
            // An NJUNLP file is a JSON array whose items have `instruction` and `answers`.
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw .unreadable(path: path, reason: "cannot open")
            }
            let head = String(decoding: handle.readData(ofLength: 65536), as: UTF8.self)
            try? handle.close()
            let trimmed = head.drop { $0.isWhitespace }
            if trimmed.first == "[" && head.contains("\"instruction\"") && head.contains("\"answers\"") { return .njunlp }
            if head.contains("\"m_query\"") { return .msvamp }
            throw .unsupported(path: path, reason: "a .json file that is neither NJUNLP (list of {lang, instruction, answers}) nor MSVAMP (m_query); pass a format")
        }
        throw .unsupported(path: path, reason: "cannot tell the dataset format from the file name; pass a format")
    }

    static func isMGSMName(_ name: String) -> Bool { name.hasPrefix("mgsm_") && name.hasSuffix(".tsv") }
    static func isMSVAMPName(_ name: String) -> Bool { name.hasPrefix("test_") && name.hasSuffix(".json") }
    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Which part of a dataset to load. Only SIB-200 (train/dev/test) and the built-in corpus (train/held-out) have
/// splits; `.all` takes everything (SIB-200: train, dev, test concatenated in that order).
///
/// ```swift
/// try DatasetSplit.named("dev")  // .dev
/// ```
public enum DatasetSplit: String, Sendable, Hashable, Codable, CaseIterable {
    case train, dev, test, all

    /// Parses `train`, `dev` (or `valid`, `heldout`), `test`, `all`.
    public static func named(_ name: String) throws(DataError) -> DatasetSplit {
        switch name.lowercased() {
        case "train": return .train
        case "dev", "valid", "validation", "heldout", "held-out": return .dev
        case "test": return .test
        case "all": return .all
        default: throw .unsupported(path: name, reason: "unknown split; use train, dev, test or all")
        }
    }
}
