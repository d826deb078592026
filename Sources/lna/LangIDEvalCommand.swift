import ArgumentParser
import Foundation
import LNALangID

/// `lna langid eval`: accuracy, macro-F1 and per-language precision/recall/F1 on a labelled dataset.
struct LangIDEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Accuracy, macro-F1 and per-language precision/recall/F1 of a language identifier on a labelled dataset.")

    @OptionGroup var source: LangIDDataOptions

    @Option(help: "Split to evaluate (default: dev where the data has splits, else all).")
    var split: String?

    @OptionGroup var model: LangIDModelOptions

    @Flag(help: "Print the evaluation as JSON.")
    var json = false

    func run() throws {
        let identifier = try model.identifier()
        let sets = try source.load(split: split, defaultSplit: .dev)
        let report = identifier.evaluate(Dictionary(uniqueKeysWithValues: sets.map { ($0.language.code, $0.texts) }))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(LangIDEvalRecord(report)), as: UTF8.self))
            return
        }
        print("language\ttexts\tprecision\trecall\tF1\tmost confused with")
        for code in report.languages {
            let score = report.f1(code)
            let confused = (report.confusion[code] ?? [:]).filter { $0.key != code }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(3).map { "\($0.key):\($0.value)" }.joined(separator: " ")
            print("\(code)\t\(report.perLanguage[code]!.total)\t\(percent(score.precision))\t\(percent(score.recall))\t\(percent(score.f1))\t\(confused)")
        }
        print("overall\t\(report.total)\taccuracy \(percent(report.accuracy)) (\(report.correct)/\(report.total))\tmacro-F1 \(percent(report.macroF1))\t\(report.languages.count) languages")
    }

    private func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }
}

/// The JSON of `lna langid eval --json`: overall accuracy and macro-F1, per-language figures, confusion counts.
private struct LangIDEvalRecord: Encodable {
    var accuracy: Double
    var macroF1: Double
    var macroAccuracy: Double
    var correct: Int
    var total: Int
    var languages: [Language]
    var confusion: [String: [String: Int]]

    struct Language: Encodable {
        var language: String
        var correct: Int
        var total: Int
        var accuracy: Double
        var precision: Double
        var recall: Double
        var f1: Double
    }

    init(_ report: LanguageIDEvaluation) {
        accuracy = report.accuracy
        macroF1 = report.macroF1
        macroAccuracy = report.macroAccuracy
        correct = report.correct
        total = report.total
        languages = report.languages.map { code in
            let score = report.perLanguage[code]!
            let f1 = report.f1(code)
            return Language(language: code, correct: score.correct, total: score.total, accuracy: score.accuracy,
                            precision: f1.precision, recall: f1.recall, f1: f1.f1)
        }
        confusion = report.confusion
    }
}
