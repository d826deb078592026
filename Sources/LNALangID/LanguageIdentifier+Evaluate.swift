import LNAData

/// Accuracy of an identifier on labelled texts: per language, overall, and the confusion counts.
///
/// ```swift
/// let report = identifier.evaluate(["en": ["Good morning."], "fr": ["Bonjour."]])
/// report.accuracy                    // overall (micro) accuracy
/// report.perLanguage["fr"]?.accuracy
/// report.confusion["fr"]?["unknown"]   // French texts predicted unknown
/// ```
public struct LanguageIDEvaluation: Sendable, Codable, Equatable {
    public struct Score: Sendable, Codable, Equatable {
        public var correct: Int
        public var total: Int
        public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

        public init(correct: Int, total: Int) {
            self.correct = correct
            self.total = total
        }
    }

    /// Languages in evaluation order.
    public var languages: [String]
    public var perLanguage: [String: Score]
    /// `confusion[truth][predicted]` = count (predicted may be `unknown`).
    public var confusion: [String: [String: Int]]

    public var correct: Int { perLanguage.values.map(\.correct).reduce(0, +) }
    public var total: Int { perLanguage.values.map(\.total).reduce(0, +) }
    /// Micro-averaged accuracy over all texts.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    /// Mean of the per-language accuracies.
    public var macroAccuracy: Double {
        languages.isEmpty ? 0 : languages.map { perLanguage[$0]!.accuracy }.reduce(0, +) / Double(languages.count)
    }

    enum CodingKeys: String, CodingKey { case languages, perLanguage, confusion }
}

extension LanguageIdentifier {
    /// Predicts every text and compares with its key (any name `Language.resolve` takes; unknown names are
    /// compared literally). Languages are reported in table order.
    public func evaluate(_ texts: [String: [String]]) -> LanguageIDEvaluation {
        let order = Dictionary(uniqueKeysWithValues: Language.all.enumerated().map { ($1.code, $0) })
        let labelled = texts.map { ((try? Language.resolve($0.key).code) ?? $0.key, $0.value) }
            .sorted { (order[$0.0] ?? .max, $0.0) < (order[$1.0] ?? .max, $1.0) }
        var result = LanguageIDEvaluation(languages: [], perLanguage: [:], confusion: [:])
        for (truth, lines) in labelled {
            var score = result.perLanguage[truth] ?? .init(correct: 0, total: 0)
            var row = result.confusion[truth] ?? [:]
            for line in lines {
                let predicted = predict(line).language
                score.total += 1
                if predicted == truth { score.correct += 1 }
                row[predicted, default: 0] += 1
            }
            if result.perLanguage[truth] == nil { result.languages.append(truth) }
            result.perLanguage[truth] = score
            result.confusion[truth] = row
        }
        return result
    }
}
