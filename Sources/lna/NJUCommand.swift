import ArgumentParser
import Foundation

/// `lna nju activation|identify|autosweep|ppl`: the original NJUNLP command lines
/// (`python -m language_neurons_alignment.cli …`, METHODS §1.2), accepted verbatim, with the original's defaults
/// and folder layout, each translated into the lna command it equals (printed before it runs).
///
/// | original | lna |
/// |---|---|
/// | `--model-path P` | `-m P` (`--model-name` is only a tag in the original; ignored) |
/// | `activation -l L -d D -s S` | `activation -m P -l L -d D -s S --out activations/S` |
/// | `identify -r R -l X -s S -b B` | `identify --activations activations/S -r R --lambda X -b B --out activation_masks/S/R-X` |
/// | `autosweep -r R -s S --lo --hi --eps -b` | `autosweep … --original-k10 --no-widen --out activation_masks/S/R-autosweep` |
/// | `ppl -r R -l X -s S -d D` | `ppl -m P --masks activation_masks/S/R-X -d D --out ppl_maps/S/R-X` |
///
/// R and X name folders as Python's `str(float)` does in identify (0.1, not 0.10), in every command, so ppl finds
/// the masks identify wrote (the original formats them differently and silently skips the mask, METHODS §1.12).
struct NJUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nju",
        abstract: "Run an original NJUNLP command line verbatim (activation, identify, autosweep, ppl).",
        discussion: """
        Example: lna nju identify --model-name Mistral --model-path gemma3-270m -r 0.01 -l 0.109375 -s mgsm
        The original's defaults hold (-r 0.10, -s mgsm, --lo 0 --hi 0.2 --eps 1e-3, -b 0.95); the equivalent lna \
        command is printed first. docs/cli.md lists the mapping.
        """,
        subcommands: [Activation.self, Identify.self, Autosweep.self, Ppl.self])

    /// The flags every original subcommand has.
    struct ModelFlags: ParsableArguments {
        @Option(name: .customLong("model-name"), help: "Mistral or Llama (a file-name tag in the original; not used).")
        var modelName = "Mistral"
        @Option(name: .customLong("model-path"), help: "The model: a .gguf file, a Hugging Face folder, or a known name.")
        var modelPath: String?
        @Option(name: [.customShort("s"), .customLong("dataset")], help: "Dataset tag (folder name).") var dataset = "mgsm"

        func model() throws -> String {
            guard let modelPath else { throw ValidationError("--model-path is required") }
            return modelPath
        }
    }

    /// Python's `str(float)` for the folder names: 0.1 → "0.1", 0.0 → "0.0", 0.10 → "0.1".
    static func pythonFloat(_ text: String, flag: String) throws -> String {
        guard let value = Double(text), value.isFinite else { throw ValidationError("\(flag) '\(text)': expected a number") }
        return "\(value)"
    }

    /// Prints the lna command line and runs it in this process.
    static func run(_ arguments: [String]) throws {
        CLI.printError("lna " + arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " "))
        var command = try LNA.parseAsRoot(arguments)
        try command.run()
    }

    struct Activation: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Original: activation --model-path P -l LANG -d DATA [-s DATASET].")
        @OptionGroup var flags: ModelFlags
        @Option(name: [.customShort("l"), .customLong("lang")], help: "Language code or English name.") var lang: String
        @Option(name: [.customShort("d"), .customLong("data")], help: "NJUNLP JSON dataset.") var data: String

        func run() throws {
            try NJUCommand.run(["activation", "-m", try flags.model(), "-l", lang, "-d", data, "-s", flags.dataset,
                                "--out", "activations/\(flags.dataset)"])
        }
    }

    struct Identify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Original: identify --model-path P [-r 0.10] [-l XLAMBDA] [-s DATASET] [-b 0.95].")
        @OptionGroup var flags: ModelFlags
        @Option(name: [.customShort("r"), .customLong("top-rate")], help: "Top rate (original default 0.10).") var topRate = "0.10"
        @Option(name: [.customShort("l"), .customLong("xlambda")], help: "λ.") var xlambda = "0.00"
        @Option(name: [.customShort("b"), .customLong("bar")], help: "Activation bar.") var bar = "0.95"

        func run() throws {
            let r = try pythonFloat(topRate, flag: "-r"), x = try pythonFloat(xlambda, flag: "-l")
            try NJUCommand.run(["identify", "--activations", "activations/\(flags.dataset)", "-r", r, "--lambda", x,
                                "-b", try pythonFloat(bar, flag: "-b"), "--out", "activation_masks/\(flags.dataset)/\(r)-\(x)"])
        }
    }

    struct Autosweep: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Original: autosweep --model-path P [-r 0.10] [-s DATASET] [--lo 0] [--hi 0.2] [--eps 1e-3] [-b 0.95].")
        @OptionGroup var flags: ModelFlags
        @Option(name: [.customShort("r"), .customLong("top-rate")], help: "Top rate (original default 0.10).") var topRate = "0.10"
        @Option(name: .customLong("lo"), help: "Lower end of λ.") var lo = "0.0"
        @Option(name: .customLong("hi"), help: "Upper end of λ.") var hi = "0.2"
        @Option(name: .customLong("eps"), help: "Bisection tolerance.") var eps = "1e-3"
        @Option(name: [.customShort("b"), .customLong("bar")], help: "Activation bar.") var bar = "0.95"

        func run() throws {
            let r = try pythonFloat(topRate, flag: "-r")
            try NJUCommand.run(["autosweep", "--activations", "activations/\(flags.dataset)", "-r", r,
                                "--lo=\(try pythonFloat(lo, flag: "--lo"))", "--hi=\(try pythonFloat(hi, flag: "--hi"))",
                                "--eps=\(try pythonFloat(eps, flag: "--eps"))", "-b", try pythonFloat(bar, flag: "-b"),
                                "--original-k10", "--no-widen", "--out", "activation_masks/\(flags.dataset)/\(r)-autosweep"])
        }
    }

    struct Ppl: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Original: ppl --model-path P [-r 0.10] [-l 0.00] [-s DATASET] -d DATA.")
        @OptionGroup var flags: ModelFlags
        @Option(name: [.customShort("r"), .customLong("top-rate")], help: "Top rate of the mask folder.") var topRate = "0.10"
        @Option(name: [.customShort("l"), .customLong("xlambda")], help: "λ of the mask folder.") var xlambda = "0.00"
        @Option(name: [.customShort("d"), .customLong("data")], help: "Evaluation data.") var data: String

        func run() throws {
            let folder = "\(try pythonFloat(topRate, flag: "-r"))-\(try pythonFloat(xlambda, flag: "-l"))"
            try NJUCommand.run(["ppl", "-m", try flags.model(), "--masks", "activation_masks/\(flags.dataset)/\(folder)",
                                "-d", data, "--out", "ppl_maps/\(flags.dataset)/\(folder)"])
        }
    }
}
