import Foundation

extension Dataset {
    /// NJUNLP: one JSON array of `{lang: EnglishName, instruction, answers: [{generated}]}`. A missing
    /// `instruction` or `generated` counts as "" (the original reads them with `.get(key, "")`).
    /// `texts` are the full texts `instruction + generated` with empty strings dropped (METHODS §1.4).
    static func loadNJUNLP(_ request: LoadRequest) throws(DataError) -> [LanguageTexts] {
        let path = request.path
        let text = try readText(path)
        let array: [Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
                throw DataError.malformedRow(path: path, line: 1, reason: "expected a JSON array of {lang, instruction, answers}")
            }
            array = parsed
        } catch let error as DataError { throw error } catch {
            throw .malformedRow(path: path, line: 1, reason: "the JSON does not parse: \(oneLine(error))")
        }
        var policy = BadRowPolicy(skip: request.skipBadRows)
        var examples: [String: [InstructionExample]] = [:]
        var languages: [String: Language] = [:]
        for (index, element) in array.enumerated() {
            let item = index + 1
            guard let object = element as? [String: Any] else {
                try policy.reject(.malformedItem(path: path, item: item, reason: "expected a JSON object")); continue
            }
            guard let name = object["lang"] as? String else {
                try policy.reject(.malformedItem(path: path, item: item, reason: "expected a string \"lang\"")); continue
            }
            let language: Language
            do throws(LanguageError) { language = try Language.resolve(name) } catch {
                // Like the original's `item["lang"] == name` filter, a language nobody asked for is ignored;
                // when loading every language, an unknown name is an error.
                if request.wanted == nil {
                    try policy.reject(.malformedItem(path: path, item: item, reason: "\(error)"))
                }
                continue
            }
            guard request.wants(language) else { continue }
            guard let example = njunlpExample(object) else {
                try policy.reject(.malformedItem(path: path, item: item,
                                                 reason: "expected a string \"instruction\" and a list \"answers\" of {generated: string}"))
                continue
            }
            languages[language.code] = language
            examples[language.code, default: []].append(example)
        }
        // A rejected item cannot always be attributed to a language, so every language reports the file's count.
        return languages.values.map { language in
            let examples = examples[language.code] ?? []
            var entry = LanguageTexts(language: language, texts: [], examples: examples, skippedRows: policy.skipped)
            entry.texts = entry.fullTexts
            return entry
        }
    }

    /// One item's instruction and responses, or nil when a field has the wrong type.
    static func njunlpExample(_ object: [String: Any]) -> InstructionExample? {
        let instruction = object["instruction"] ?? ""
        guard let instruction = instruction as? String else { return nil }
        let answers = object["answers"] ?? [Any]()
        guard let answers = answers as? [Any] else { return nil }
        var responses: [String] = []
        for answer in answers {
            guard let answer = answer as? [String: Any] else { return nil }
            guard let generated = (answer["generated"] ?? "") as? String else { return nil }
            responses.append(generated)
        }
        return InstructionExample(instruction: instruction, responses: responses)
    }
}
