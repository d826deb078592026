import Foundation

extension Dataset {
    /// SIB-200: `<root>/<flores>/{train,dev,test}.tsv`, or one `<flores>` folder. Rows are
    /// `index_id<TAB>category<TAB>text` after a header, CSV-quoted (pandas `to_csv(sep='\t')`).
    static func loadSIB200(_ request: LoadRequest) throws(DataError) -> [LanguageTexts] {
        let root = URL(fileURLWithPath: request.path)
        var folders: [(Language, URL)] = []
        if FileManager.default.fileExists(atPath: root.appendingPathComponent("train.tsv").path)
            || FileManager.default.fileExists(atPath: root.appendingPathComponent("dev.tsv").path) {
            folders = [(try resolveLanguage(root.lastPathComponent, path: request.path), root)]
        } else {
            for name in try folderEntries(request.path) {
                let folder = root.appendingPathComponent(name)
                guard DatasetFormat.isFolder(folder.path) else { continue }
                // Without a language list every folder must be known; with one, unknown folders are ignored.
                guard let language = try? Language.resolve(name) else {
                    if request.wanted == nil { _ = try resolveLanguage(name, path: folder.path) }
                    continue
                }
                folders.append((language, folder))
            }
        }
        let files: [String] = request.split == .all ? ["train", "dev", "test"] : [request.split.rawValue]
        var result: [LanguageTexts] = []
        for (language, folder) in folders where request.wants(language) {
            var policy = BadRowPolicy(skip: request.skipBadRows)
            var texts: [String] = []
            for file in files {
                let path = folder.appendingPathComponent("\(file).tsv").path
                texts += try readSIB200File(path, policy: &policy)
            }
            result.append(LanguageTexts(language: language, texts: texts, skippedRows: policy.skipped))
        }
        return result
    }

    /// The `text` column of one SIB-200 TSV file.
    static func readSIB200File(_ path: String, policy: inout BadRowPolicy) throws(DataError) -> [String] {
        try readSIB200Rows(path, policy: &policy).map(\.text)
    }

    /// The labelled rows of a language's split (`<root>/<flores>/<split>.tsv`, the language in any spelling).
    ///
    /// ```swift
    /// let rows = try Dataset.sib200Examples(root: "/work/shared/datasets/sib200", language: "fr", split: .train)
    /// rows[0].category   // "geography"
    /// ```
    public static func sib200Examples(root: String, language: String, split: DatasetSplit) throws(DataError) -> [SIB200Example] {
        let resolved = try resolveLanguage(language, path: root)
        let folder = URL(fileURLWithPath: root).appendingPathComponent(resolved.flores)
        let files: [String] = split == .all ? ["train", "dev", "test"] : [split.rawValue]
        var policy = BadRowPolicy(skip: false)
        var rows: [SIB200Example] = []
        for file in files { rows += try readSIB200Rows(folder.appendingPathComponent("\(file).tsv").path, policy: &policy) }
        return rows
    }

    /// The rows of one SIB-200 TSV file.
    static func readSIB200Rows(_ path: String, policy: inout BadRowPolicy) throws(DataError) -> [SIB200Example] {
        let bytes = try readBytes(path)
        let records: [DelimitedReader.Record]
        do throws(DelimitedReader.SyntaxError) { records = try DelimitedReader.records(in: bytes, delimiter: "\t") } catch {
            throw .malformedRow(path: path, line: error.line, reason: error.reason)
        }
        guard let header = records.first, header.fields == ["index_id", "category", "text"] || header.fields == ["", "index_id", "category", "text"] else {
            throw .malformedRow(path: path, line: 1, reason: "expected the header index_id<TAB>category<TAB>text")
        }
        let textColumn = header.fields.count - 1
        var rows: [SIB200Example] = []
        for record in records.dropFirst() {
            if let error = record.error {
                try policy.reject(.malformedRow(path: path, line: record.line, reason: error)); continue
            }
            guard record.fields.count == header.fields.count else {
                try policy.reject(.malformedRow(path: path, line: record.line,
                                                reason: "expected \(header.fields.count) tab-separated fields, found \(record.fields.count)"))
                continue
            }
            guard let indexID = Int(record.fields[textColumn - 2]) else {
                try policy.reject(.malformedRow(path: path, line: record.line,
                                                reason: "index_id \"\(record.fields[textColumn - 2])\" is not an integer"))
                continue
            }
            let text = record.fields[textColumn]
            guard !text.isEmpty else {
                try policy.reject(.malformedRow(path: path, line: record.line, reason: "empty text field")); continue
            }
            rows.append(SIB200Example(indexID: indexID, category: record.fields[textColumn - 1], text: text))
        }
        return rows
    }
}

/// One SIB-200 row: the FLORES sentence id (parallel across languages), its topic and its text.
public struct SIB200Example: Sendable, Hashable, Codable {
    public var indexID: Int
    public var category: String
    public var text: String

    public init(indexID: Int, category: String, text: String) {
        self.indexID = indexID
        self.category = category
        self.text = text
    }
}
