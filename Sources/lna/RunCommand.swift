import ArgumentParser
import Foundation
import LNAData
import LNAModels

/// `lna run`: the whole pipeline on one model and one corpus, ending in an HTML report.
///
/// Each stage is one of lna's own commands, run in-process with the arguments it prints, so every result can be
/// reproduced (or redone with other settings) stage by stage. Stages whose outputs exist are skipped; the
/// recording and perplexity stages resume from their checkpoints, so a killed run continues where it stopped.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The whole pipeline: record activations, AutoSweep + identify, figures, perplexity grid, report.",
        discussion: """
        Defaults: Gemma-3-270M, the built-in parallel corpus (train split for recording, held-out split for \
        perplexity) and the paper's ten languages. With -d pointing at a SIB-200 folder it records on train and \
        evaluates on dev+test.
        """)

    @Option(name: [.customShort("m"), .long], help: "A .gguf file, a Hugging Face directory, or a known model name.")
    var model = "gemma3-270m"
    @Option(name: [.customShort("d"), .customLong("data")], help: "`builtin` or a SIB-200 folder.")
    var data = "builtin"
    @Option(help: "Languages, comma-separated.") var languages = "en,zh,es,fr,de,ja,ru,bn,th,sw"
    @Option(help: "Run directory (default: runs/<model>-<data>).") var out: String?
    @Option(name: [.customShort("r"), .customLong("top-rate")], help: "Share of neurons kept (NJUNLP -r).")
    var topRate = 0.01
    @Option(help: "Texts per language in the perplexity grid (default: all held-out texts).") var pplLimit: Int?
    @Flag(help: "Also run a small steering grid (slower).") var steering = false
    @Flag(help: "Print less.") var quiet = false

    func run() throws {
        let runDirectory = URL(fileURLWithPath: out ?? defaultDirectory())
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        let stages = try plan(runDirectory)
        let start = Date()
        for (index, stage) in stages.enumerated() {
            if stage.isDone() {
                CLI.printError("[\(index + 1)/\(stages.count)] \(stage.name): done already (\(stage.output.path))")
                continue
            }
            CLI.printError("[\(index + 1)/\(stages.count)] \(stage.name): lna \(stage.arguments.joined(separator: " "))")
            let stageStart = Date()
            var command = try LNA.parseAsRoot(stage.arguments)
            try command.run()
            CLI.printError(String(format: "[%d/%d] %@: %.1f s", index + 1, stages.count, stage.name, Date().timeIntervalSince(stageStart)))
        }
        print(String(format: "done in %.0f s. Report: %@", Date().timeIntervalSince(start),
                     runDirectory.appendingPathComponent("report.html").path))
    }

    struct Stage {
        let name: String
        let arguments: [String]
        let output: URL
        func isDone() -> Bool { FileManager.default.fileExists(atPath: output.path) }
    }

    func defaultDirectory() -> String {
        let dataName = data == "builtin" ? "builtin" : URL(fileURLWithPath: data).lastPathComponent
        return "runs/\(model.replacingOccurrences(of: "/", with: "_"))-\(dataName)"
    }

    func plan(_ dir: URL) throws -> [Stage] {
        let path = dir.path
        let languageList = languages.split(separator: ",").map(String.init)
        let activations = dir.appendingPathComponent("activations")
        let lastActivation = activations.appendingPathComponent("\(languageList.last ?? "en").safetensors")
        var stages = [
            Stage(name: "record activations", arguments: ["activation", "-m", model, "-l", languages, "-d", data,
                                                          "--split", "train", "--out", activations.path, "--resume"],
                  output: lastActivation),
            Stage(name: "AutoSweep λ and identify", arguments: ["autosweep", "--activations", activations.path,
                                                                "-r", String(topRate), "--out", path],
                  output: dir.appendingPathComponent("masks.json")),
            Stage(name: "figures", arguments: ["figures", path], output: dir.appendingPathComponent("figures")),
        ]
        var ppl = ["ppl", "--model", model, "--masks", dir.appendingPathComponent("masks.json").path, "-d", data,
                   "--out", dir.appendingPathComponent("ppl").path]
        if let pplLimit { ppl += ["--limit", String(pplLimit)] }
        stages.append(Stage(name: "perplexity grid", arguments: ppl,
                            output: dir.appendingPathComponent("ppl/ppl.json")))
        stages.append(Stage(name: "report", arguments: ["report", path], output: dir.appendingPathComponent("report.html")))
        return stages
    }
}
