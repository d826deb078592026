import Foundation

extension Dataset {
    /// MSVAMP: `test_<EnglishName>.json` files; despite the name they are JSON lines (a JSON array is accepted
    /// too). `m_query` is the question in the file's language, `response` the answer (string or number).
    static func loadMSVAMP(_ request: LoadRequest) throws(DataError) -> [LanguageTexts] {
        try loadInstructionFiles(request, match: DatasetFormat.isMSVAMPName, prefix: "test_", suffix: ".json") {
            (path, policy) throws(DataError) in
            var examples: [InstructionExample] = []
            for (position, object) in try jsonObjects(path, policy: &policy) {
                guard let query = object["m_query"] as? String, !query.isEmpty else {
                    try policy.reject(position.error(path, "expected a non-empty string \"m_query\"")); continue
                }
                let response: String
                switch object["response"] {
                case let text as String: response = text
                case let number as NSNumber: response = number.stringValue
                case nil: response = ""
                default: try policy.reject(position.error(path, "\"response\" is neither a string nor a number")); continue
                }
                examples.append(InstructionExample(instruction: query, responses: response.isEmpty ? [] : [response]))
            }
            return examples
        }
    }
}

/// Where a JSON object came from: a line of a JSON-lines file or an item of a JSON array.
enum JSONPosition {
    case line(Int), item(Int)

    func error(_ path: String, _ reason: String) -> DataError {
        switch self {
        case let .line(line): return .malformedRow(path: path, line: line, reason: reason)
        case let .item(item): return .malformedItem(path: path, item: item, reason: reason)
        }
    }
}

extension Dataset {
    /// The objects of a JSON-lines file, or of a JSON array when the file starts with `[`. Lines that are not
    /// JSON objects are rejected through `policy`; blank lines are skipped.
    static func jsonObjects(_ path: String, policy: inout BadRowPolicy) throws(DataError) -> [(JSONPosition, [String: Any])] {
        let text = try readText(path)
        if text.first(where: { !$0.isWhitespace }) == "[" {
            let array: [Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
                    throw DataError.unsupported(path: path, reason: "expected a JSON array")
                }
                array = parsed
            } catch {
                throw .malformedRow(path: path, line: 1, reason: "the JSON array does not parse: \(oneLine(error))")
            }
            var result: [(JSONPosition, [String: Any])] = []
            for (index, element) in array.enumerated() {
                guard let object = element as? [String: Any] else {
                    try policy.reject(.malformedItem(path: path, item: index + 1, reason: "expected a JSON object")); continue
                }
                result.append((.item(index + 1), object))
            }
            return result
        }
        var result: [(JSONPosition, [String: Any])] = []
        for (line, content) in numberedLines(text) where !content.allSatisfy(\.isWhitespace) {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(content.utf8))) as? [String: Any] else {
                try policy.reject(.malformedRow(path: path, line: line, reason: "expected one JSON object on the line"))
                continue
            }
            result.append((.line(line), object))
        }
        return result
    }

    /// A Foundation error as one line.
    static func oneLine(_ error: Error) -> String {
        "\(error)".replacingOccurrences(of: "\n", with: " ")
    }
}
