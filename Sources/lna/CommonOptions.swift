import ArgumentParser
import Foundation
import LNAData
import LNAModels
import LNATensor

// The shared vocabulary of flags. Every command that takes one of these takes it through the same option group,
// so a name means the same thing everywhere (docs/cli.md lists them with the original NJUNLP names):
//   -m/--model   -l/--languages   -d/--data   -s/--save-tag   --limit   -r/--top-rate   -b/--bar
//   --lo/--hi/--eps   --lambda   --out   --json   --quiet

/// The model of the commands that act on one model, as a positional MODEL or `-m/--model MODEL`
/// (`lna inspect gemma3-270m` and `lna inspect -m gemma3-270m` are the same).
///
/// ```swift
/// @OptionGroup var modelArgument: ModelArgument
/// let m = try modelArgument.load(quiet: json)
/// ```
struct ModelArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("A .gguf file, a Hugging Face directory, or a known model name (or give it with -m).",
                                 valueName: "model"))
    var positional: String?
    @Option(name: [.customShort("m"), .customLong("model")], help: "The same as the positional MODEL.")
    var option: String?

    /// The model argument given either way.
    var model: String {
        get throws {
            switch (positional, option) {
            case let (p?, nil): return p
            case let (nil, o?): return o
            case (.some, .some): throw ValidationError("give the model once: either MODEL or -m MODEL")
            case (nil, nil): throw ValidationError("missing MODEL (a .gguf file, a Hugging Face directory, or a known name such as gemma3-270m; see `lna models list`)")
            }
        }
    }

    func validate() throws { _ = try model }

    /// Loads the model (in `precision`), printing "loaded …" on stderr unless `quiet`.
    func load(quiet: Bool = false, precision: ArithmeticPrecision = .float32) throws -> Model {
        try CLI.loadModel(try model, quiet: quiet, precision: precision)
    }
}

/// `-m/--model MODEL` of the commands that run a model over data (activation, respond, ppl, steer, eval, …), with
/// the arithmetic to run it in (`--precision`).
///
/// ```swift
/// @OptionGroup var modelOption: ModelOption
/// let m = try CLI.loadModel(modelOption.model, precision: modelOption.precision)
/// ```
struct ModelOption: ParsableArguments {
    @Option(name: [.customShort("m"), .customLong("model")],
            help: "A .gguf file, a Hugging Face directory, or a known model name (see `lna models list`).")
    var model: String
    @OptionGroup var precisionOption: PrecisionOption
    var precision: ArithmeticPrecision { precisionOption.precision }
}

/// `--precision float32|bf16|int8` of the commands that run a model: the arithmetic of its matrix products.
/// float32 is the default and the only exact one (counts and perplexities are defined in float32); `lna precision`
/// measures what the others change.
///
/// ```swift
/// @OptionGroup var precisionOption: PrecisionOption
/// let m = try CLI.loadModel(model, precision: precisionOption.precision)
/// ```
struct PrecisionOption: ParsableArguments {
    @Option(help: "Arithmetic of the model's matrix products: float32 (exact, the default), bf16 (AVX512_BF16: bf16 products, float32 sums) or int8. See `lna precision`.")
    var precision: ArithmeticPrecision = .float32
}

extension ArithmeticPrecision: ExpressibleByArgument {}

/// `-l/--languages` (also `--lang`, the original's name): comma-separated languages in any spelling, or `all`.
/// Nil when not given, so each command keeps its own default.
///
/// ```swift
/// @OptionGroup var languagesOption: LanguagesOption
/// let codes = try languagesOption.list()      // nil: not given or `all`
/// ```
struct LanguagesOption: ParsableArguments {
    @Option(name: [.customShort("l"), .customLong("languages"), .customLong("lang")],
            help: "Languages, comma-separated (codes or names: en,fr or English,French), or `all`.")
    var languages: String?

    func validate() throws { _ = try list() }

    /// The listed languages (each checked against the language table), nil for `all` or when not given.
    /// An empty list (`-l ""`) is an error.
    func list() throws -> [String]? {
        guard let languages else { return nil }
        return try CLI.languageList(languages, flag: "-l/--languages")
    }
}

/// `-d/--data`: a dataset path or `builtin`. Nil when not given, so each command keeps its own default.
///
/// ```swift
/// @OptionGroup var dataOption: DataOption
/// let path = dataOption.data ?? BuiltinCorpus.name
/// ```
struct DataOption: ParsableArguments {
    @Option(name: [.customShort("d"), .customLong("data")],
            help: "Dataset: a SIB-200 folder, MGSM/MSVAMP/NJUNLP JSON, text or JSON lines, or `builtin` (the built-in corpus).")
    var data: String?
}

/// `--limit N`: at most N texts (or examples) per language, for quick runs. Also spelled `--max-texts`.
struct LimitOption: ParsableArguments {
    @Option(name: [.customLong("limit"), .customLong("max-texts")], help: "At most N texts per language (quick runs).")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit \(limit): expected a count ≥ 1") }
    }
}

/// `-s/--save-tag TAG` (the original's `-s/--dataset`): names a family of outputs so commands chain without paths:
/// `lna activation -s mgsm` writes `activations/mgsm/`, `lna autosweep -s mgsm` reads it and writes `masks/mgsm/`,
/// `lna ppl -s mgsm` reads those masks and writes `ppl/mgsm/`. Explicit paths (`--activations`, `--masks`, `--out`)
/// win over the tag.
struct SaveTagOption: ParsableArguments {
    @Option(name: [.customShort("s"), .customLong("save-tag"), .customLong("dataset")],
            help: "Tag of this family of outputs (the original's -s/--dataset): activations/TAG, masks/TAG, ppl/TAG.")
    var saveTag: String?

    func validate() throws {
        if let saveTag, saveTag.isEmpty || saveTag.contains("/") || saveTag == "." || saveTag == ".." {
            throw ValidationError("-s/--save-tag '\(saveTag)': expected a non-empty name without '/'")
        }
    }

    /// `folder/TAG` when a tag was given, else `fallback`.
    func path(_ folder: String, else fallback: String?) -> String? {
        saveTag.map { "\(folder)/\($0)" } ?? fallback
    }
}

/// `--timing` of the analysis commands (identify, autosweep): stage times on stderr.
///
/// ```swift
/// @OptionGroup var timingOption: TimingOption
/// timingOption.report(timer)
/// ```
struct TimingOption: ParsableArguments {
    @Flag(name: .customLong("timing"), help: "Print the time of each stage to stderr.")
    var timing = false

    /// Prints the stage times when `--timing` was given.
    func report(_ timer: StageTimer) {
        if timing { CLI.printError(timer.report()) }
    }
}

extension CLI {
    /// The items of a comma-separated option, trimmed, without empty ones: "en, fr,," → ["en", "fr"].
    static func commaList(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A `-l/--languages` value: nil for `all` (any case), else the listed languages, each known to the language
    /// table (`Language.resolve`). An empty list is an error naming `flag`.
    static func languageList(_ value: String, flag: String) throws -> [String]? {
        if value.trimmingCharacters(in: .whitespaces).lowercased() == "all" { return nil }
        let items = commaList(value)
        guard !items.isEmpty else {
            throw ValidationError("\(flag) '\(value)': expected languages, comma-separated (such as en,fr), or `all`")
        }
        for item in items {
            if Double(item) != nil { throw ValidationError("\(flag) '\(item)': a number, not a language (use codes such as en,fr, or `all`)") }
            do { _ = try Language.resolve(item) } catch { throw ValidationError("\(flag): \(error)") }
        }
        return items
    }

    /// A `-l/--lang` value: nil for `all` (any case), else the listed languages.
    static func languages(_ value: String) -> [String]? {
        value.lowercased() == "all" ? nil : commaList(value)
    }

    /// True when `path` names an existing folder.
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
