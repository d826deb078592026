import ArgumentParser
import Foundation
import LNAData
import LNALangID

/// `lna langid train|predict|eval`: language identification of texts (model outputs, datasets).
struct LangIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid",
        abstract: "Identify the language of texts: Unicode scripts plus a character n-gram model.",
        discussion: """
            DATA is a dataset path (SIB-200 folder, mgsm_*.tsv, test_<Language>.json, NJUNLP .json, .txt, \
            .jsonl) or `builtin`, the corpus that ships in the binary (en zh es fr de ja ru bn th sw). \
            Without --model, predict and eval use a model trained on the fly from the built-in corpus.
            """,
        subcommands: [Train.self, Predict.self, Eval.self])
}

/// Where training or evaluation text comes from.
struct LangIDDataOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Dataset path, or `builtin`.")
    var data: String = BuiltinCorpus.name

    @Option(help: "Format: sib200, mgsm, msvamp, njunlp, text, jsonl:<field> (default: detected from the path).")
    var format: String?

    @Option(help: "Text field of JSON-lines data.")
    var field: String?

    @Option(help: "Languages to use, comma-separated (codes, FLORES codes or English names; default: all).")
    var languages: String?

    @Flag(help: "Skip and count malformed rows instead of stopping at the first.")
    var skipBadRows = false

    /// Loads the data, with the split defaulting to `defaultSplit` where the data has splits.
    func load(split: String?, defaultSplit: DatasetSplit) throws -> [LanguageTexts] {
        let names = languages?.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        let format = try DatasetFormat.of(path: data, named: self.format, field: field)
        let hasSplits = format?.hasSplits ?? true   // the built-in corpus has splits
        let chosen = try split.map { try DatasetSplit.named($0) } ?? (hasSplits ? defaultSplit : .all)
        let sets = try Dataset.load(path: data, format: format, languages: names, split: chosen,
                                    skipBadRows: skipBadRows)
        let skipped = sets.map(\.skippedRows).reduce(0, +)
        if skipped > 0 { FileHandle.standardError.write(Data("skipped \(skipped) malformed rows\n".utf8)) }
        return sets
    }
}

extension LangIDCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train an n-gram language identifier and save it as JSON.")

        @OptionGroup var source: LangIDDataOptions

        @Option(help: "Split to train on (default: train where the data has splits, else all).")
        var split: String?

        @Option(name: .shortAndLong, help: "Output model file.")
        var out: String = "langid.json"

        func run() throws {
            let sets = try source.load(split: split, defaultSplit: .train)
            let identifier = try LanguageIdentifier.train(
                texts: Dictionary(uniqueKeysWithValues: sets.map { ($0.language.code, $0.texts) }))
            try identifier.save(to: URL(fileURLWithPath: out))
            for set in sets {
                let grams = identifier.profiles.first { $0.language == set.language.code }?.counts.count ?? 0
                print("\(set.language.code)\t\(set.texts.count) texts\t\(grams) n-grams")
            }
            print("saved \(out)")
        }
    }

    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the language of each text: code<TAB>confidence<TAB>text.")

        @Option(help: "Model file (default: trained on the fly from the built-in corpus).")
        var model: String?

        @Option(help: "Read texts from this file, one per line.")
        var file: String?

        @Flag(help: "Print JSON lines {text, language, confidence, method}.")
        var json = false

        @Argument(help: "Texts to identify.")
        var texts: [String] = []

        func validate() throws {
            if texts.isEmpty && file == nil { throw ValidationError("give texts or --file") }
        }

        func run() throws {
            let identifier = try loadIdentifier(model)
            var lines = texts
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("\(file): no such file or not readable")
                }
                lines += String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    .map(String.init).filter { !$0.isEmpty }
            }
            for text in lines {
                let prediction = identifier.predict(text)
                if json {
                    let record = PredictionRecord(text: text, language: prediction.language,
                                                  confidence: prediction.confidence, method: prediction.method)
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(record), as: UTF8.self))
                } else {
                    print("\(prediction.language)\t\(String(format: "%.3f", prediction.confidence))\t\(text)")
                }
            }
        }
    }

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per-language accuracy of a language identifier on a labelled dataset.")

        @OptionGroup var source: LangIDDataOptions

        @Option(help: "Split to evaluate (default: dev where the data has splits, else all).")
        var split: String?

        @Option(help: "Model file (default: trained on the fly from the built-in corpus).")
        var model: String?

        @Flag(help: "Print the evaluation as JSON.")
        var json = false

        func run() throws {
            let identifier = try loadIdentifier(model)
            let sets = try source.load(split: split, defaultSplit: .dev)
            let report = identifier.evaluate(Dictionary(uniqueKeysWithValues: sets.map { ($0.language.code, $0.texts) }))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(EvalRecord(report)), as: UTF8.self))
                return
            }
            print("language\tcorrect\ttotal\taccuracy\tmost confused with")
            for code in report.languages {
                let score = report.perLanguage[code]!
                let confused = (report.confusion[code] ?? [:]).filter { $0.key != code }
                    .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .prefix(3).map { "\($0.key):\($0.value)" }.joined(separator: " ")
                print("\(code)\t\(score.correct)\t\(score.total)\t\(String(format: "%.2f%%", 100 * score.accuracy))\t\(confused)")
            }
            print("overall\t\(report.correct)\t\(report.total)\t\(String(format: "%.2f%%", 100 * report.accuracy))\tmacro \(String(format: "%.2f%%", 100 * report.macroAccuracy))")
        }
    }
}

/// The identifier from `--model`, or one trained on the built-in corpus's train split.
private func loadIdentifier(_ model: String?) throws -> LanguageIdentifier {
    if let model { return try LanguageIdentifier.load(from: URL(fileURLWithPath: model)) }
    return try LanguageIdentifier.builtin()
}

private struct PredictionRecord: Encodable {
    var text: String
    var language: String
    var confidence: Double
    var method: String
}

/// The JSON of `lna langid eval --json`: accuracy per language, overall, confusion.
private struct EvalRecord: Encodable {
    var accuracy: Double
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
    }

    init(_ report: LanguageIDEvaluation) {
        accuracy = report.accuracy
        macroAccuracy = report.macroAccuracy
        correct = report.correct
        total = report.total
        languages = report.languages.map { code in
            let score = report.perLanguage[code]!
            return Language(language: code, correct: score.correct, total: score.total, accuracy: score.accuracy)
        }
        confusion = report.confusion
    }
}
