import LNAData

/// Accuracy of an identifier on labelled texts: per language, overall, macro-F1, and the confusion counts.
///
/// ```swift
/// let report = identifier.evaluate(["en": ["Good morning."], "fr": ["Bonjour."]])
/// report.accuracy                    // overall (micro) accuracy
/// report.macroF1                     // mean F1 over the evaluated languages
/// report.perLanguage["fr"]?.accuracy   // = recall of fr
/// report.f1("fr")                    // precision, recall and F1 of fr
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

    /// Precision, recall and F1 of one language. Precision counts every text predicted as `code`, including
    /// texts of languages outside the evaluation.
    public struct F1Score: Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
    }

    /// The precision, recall and F1 of `code` (zeros when it has no texts and no predictions).
    public func f1(_ code: String) -> F1Score {
        let truePositives = Double(perLanguage[code]?.correct ?? 0)
        let predicted = Double(confusion.values.map { $0[code] ?? 0 }.reduce(0, +))
        let actual = Double(perLanguage[code]?.total ?? 0)
        let precision = predicted == 0 ? 0 : truePositives / predicted
        let recall = actual == 0 ? 0 : truePositives / actual
        let f1 = predicted + actual == 0 ? 0 : 2 * truePositives / (predicted + actual)
        return F1Score(precision: precision, recall: recall, f1: f1)
    }

    /// Mean F1 over the evaluated languages (each language's texts are the positives; `unknown` answers count
    /// as misses).
    public var macroF1: Double {
        languages.isEmpty ? 0 : languages.map { f1($0).f1 }.reduce(0, +) / Double(languages.count)
    }

    enum CodingKeys: String, CodingKey { case languages, perLanguage, confusion }
}

extension LanguageIdentifier {
    /// Predicts every text and compares with its key (any name `Language.resolve` takes; unknown names are
    /// compared literally). Languages are reported in table order.
    public func evaluate(_ texts: [String: [String]]) -> LanguageIDEvaluation {
        let order = Dictionary(uniqueKeysWithValues: Language.known.enumerated().map { ($1.code, $0) })
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
