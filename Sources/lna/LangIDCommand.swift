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
            Without --model, predict and eval use the built-in model: the 205 languages of SIB-200 (codes: \
            ISO 639-1 where lna's table has one, else the FLORES-200 code such as cat_Latn).
            """,
        subcommands: [LangIDTrainCommand.self, LangIDPredictCommand.self, LangIDEvalCommand.self])
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

/// Which model predict and eval use.
struct LangIDModelOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Model file from `lna langid train` (default: the built-in 205-language model).")
    var model: String?

    @Option(help: "Answer only among these languages, comma-separated (default: every language of the model).")
    var among: String?

    /// The identifier from `--model` or the built-in one, limited to `--among`.
    func identifier() throws -> LanguageIdentifier {
        let full = try model.map { try LanguageIdentifier.load(from: URL(fileURLWithPath: $0)) } ?? LanguageIdentifier.builtin()
        guard let among else { return full }
        return try full.restricted(to: among.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
    }
}
