import Foundation

extension Dataset {
    /// Plain text or JSON lines: one file (its language from `languages` when exactly one is given, else from
    /// the file name) or a folder of `<language>.<ext>` files (`en.txt`, `eng_Latn.txt`, `cmn_hans.txt` → the part
    /// before `_` when the whole name is unknown).
    static func loadPerLanguageFiles(_ request: LoadRequest, extensions: [String],
                                     read: (String, inout BadRowPolicy) throws(DataError) -> [String]) throws(DataError) -> [LanguageTexts] {
        let url = URL(fileURLWithPath: request.path)
        var files: [(Language, String)] = []
        if DatasetFormat.isFolder(request.path) {
            for name in try folderEntries(request.path) where extensions.contains(URL(fileURLWithPath: name).pathExtension) {
                let path = url.appendingPathComponent(name).path
                // With a language list, files of unknown languages are simply not wanted.
                guard let language = request.wanted == nil ? try languageOfFile(name, path: path)
                        : try? languageOfFile(name, path: path), request.wants(language) else { continue }
                if let other = files.first(where: { $0.0 == language }) {
                    throw .unsupported(path: request.path, reason: "two files for language \(language.code): \(URL(fileURLWithPath: other.1).lastPathComponent) and \(name); load one file at a time")
                }
                files.append((language, path))
            }
        } else if let wanted = request.wanted, wanted.count == 1, let language = try? Language.resolve(wanted.first!) {
            files = [(language, request.path)]
        } else {
            let language = try languageOfFile(url.lastPathComponent, path: request.path)
            if request.wants(language) { files = [(language, request.path)] }
        }
        var result: [LanguageTexts] = []
        for (language, path) in files {
            var policy = BadRowPolicy(skip: request.skipBadRows)
            let texts = try read(path, &policy)
            result.append(LanguageTexts(language: language, texts: texts, skippedRows: policy.skipped))
        }
        return result
    }

    /// The language named by a file name: the whole stem, else the part before the first `_`.
    static func languageOfFile(_ name: String, path: String) throws(DataError) -> Language {
        let stem = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
        if let language = try? Language.resolve(stem) { return language }
        if let head = stem.split(separator: "_").first, let language = try? Language.resolve(String(head)) {
            return language
        }
        throw .unsupported(path: path, reason: "cannot tell the language from the file name \"\(name)\" (\(LanguageError.unknown(name: stem, suggestions: Language.nearMatches(for: stem)))); pass the language")
    }

    /// Non-blank lines of a text file, with surrounding whitespace (indentation, `\r`) removed.
    static func readTextLines(_ path: String, _ policy: inout BadRowPolicy) throws(DataError) -> [String] {
        numberedLines(try readText(path)).map { $0.text.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The string `field` of every JSON-lines object.
    static func readJSONLines(_ path: String, _ policy: inout BadRowPolicy, field: String) throws(DataError) -> [String] {
        var texts: [String] = []
        for (position, object) in try jsonObjects(path, policy: &policy) {
            guard let text = object[field] as? String else {
                try policy.reject(position.error(path, "expected a string field \"\(field)\"")); continue
            }
            if !text.isEmpty { texts.append(text) }
        }
        return texts
    }
}
