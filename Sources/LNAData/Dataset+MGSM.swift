import Foundation

extension Dataset {
    /// MGSM: `mgsm_<code>.tsv` files (one, or a folder of them), `question<TAB>answer`, no header, no quoting.
    static func loadMGSM(_ request: LoadRequest) throws(DataError) -> [LanguageTexts] {
        try loadInstructionFiles(request, match: DatasetFormat.isMGSMName, prefix: "mgsm_", suffix: ".tsv") {
            (path, policy) throws(DataError) in
            var examples: [InstructionExample] = []
            for (line, text) in numberedLines(try readText(path)) where !text.isEmpty {
                let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count == 2 else {
                    try policy.reject(.malformedRow(path: path, line: line,
                                                    reason: "expected question<TAB>answer (2 fields), found \(fields.count)"))
                    continue
                }
                guard !fields[0].isEmpty else {
                    try policy.reject(.malformedRow(path: path, line: line, reason: "empty question")); continue
                }
                examples.append(InstructionExample(instruction: String(fields[0]), responses: [String(fields[1])]))
            }
            return examples
        }
    }

    /// Per-language instruction files (MGSM, MSVAMP): the files whose names `match`, the language from the name
    /// between `prefix` and `suffix`, the examples from `parse` (which rejects bad rows through the policy), the
    /// questions as the texts.
    static func loadInstructionFiles(
        _ request: LoadRequest, match: (String) -> Bool, prefix: String, suffix: String,
        parse: (_ path: String, _ policy: inout BadRowPolicy) throws(DataError) -> [InstructionExample]
    ) throws(DataError) -> [LanguageTexts] {
        try perLanguageFiles(request, match: match) { name in
            String(name.dropFirst(prefix.count).dropLast(suffix.count))
        }.map { (language, path) throws(DataError) in
            var policy = BadRowPolicy(skip: request.skipBadRows)
            let examples = try parse(path, &policy)
            return LanguageTexts(language: language, texts: examples.map(\.instruction), examples: examples,
                                 skippedRows: policy.skipped)
        }
    }

    /// The files of a folder (or the one file) whose names match, with the language taken from each name.
    static func perLanguageFiles(_ request: LoadRequest, match: (String) -> Bool,
                                 languageName: (String) -> String) throws(DataError) -> [(Language, String)] {
        let url = URL(fileURLWithPath: request.path)
        let paths: [String]
        if DatasetFormat.isFolder(request.path) {
            paths = try folderEntries(request.path).filter(match).map { url.appendingPathComponent($0).path }
            if paths.isEmpty { throw .unsupported(path: request.path, reason: "the folder has no matching data files") }
        } else {
            paths = [request.path]
        }
        var result: [(Language, String)] = []
        for path in paths {
            let language = try resolveLanguage(languageName(URL(fileURLWithPath: path).lastPathComponent), path: path)
            if request.wants(language) { result.append((language, path)) }
        }
        return result
    }
}
