import ArgumentParser
import Foundation
import LNAModels

/// The MODEL positional argument of the commands that act on one model (`lna inspect MODEL`, `lna score MODEL`, …).
///
/// ```swift
/// @OptionGroup var modelArgument: ModelArgument
/// let m = try modelArgument.load(quiet: json)
/// ```
struct ModelArgument: ParsableArguments {
    @Argument(help: "A .gguf file, a Hugging Face directory, or a known model name.") var model: String

    /// Loads the model, printing "loaded …" on stderr unless `quiet`.
    func load(quiet: Bool = false) throws -> Model { try CLI.loadModel(model, quiet: quiet) }
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
