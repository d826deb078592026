import ArgumentParser
import Foundation
import LNAFiles

/// Reports an error raised while a command runs: one line naming the command, the error as a sentence, then the
/// command's usage. Foundation and `Decodable` errors are turned into sentences here, once, instead of their raw
/// descriptions (`NSCocoaErrorDomain Code=516 …`, `keyNotFound(CodingKeys(…))`) by `ErrorSentence`.
///
/// ```swift
/// exit(CLIFailure.report(error, in: PplCommand.self))
/// // Error: lna ppl: masks.json: no such file or folder
/// // Usage: lna ppl -m <model> …
/// ```
enum CLIFailure {
    /// Prints the report on stderr and returns the exit status to end with.
    static func report(_ error: Error, in command: ParsableCommand.Type) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        // CleanExit, and ArgumentParser's own `help` subcommand, which reports `lna help run` by throwing a
        // help request: ArgumentParser prints those itself and exits with success.
        if error is CleanExit || LNA.exitCode(for: error).isSuccess { LNA.exit(withError: error) }
        let path = commandPath(of: command)
        let name = path.joined(separator: " ")
        var lines = ["Error: \(name): \(ErrorSentence.sentence(for: error))"]
        if error is ValidationError || error is CLIUsageError {
            lines.append("Usage: " + LNA.usageString(for: command))
            lines.append("  See 'lna help \(path.dropFirst().joined(separator: " "))' for more details.")
        }
        CLI.printError(lines.joined(separator: "\n"))
        return error is ValidationError ? ExitCode.validationFailure.rawValue : ExitCode.failure.rawValue
    }

    /// The words that name a command: ["lna", "models", "fetch"].
    static func commandPath(of command: ParsableCommand.Type, from root: ParsableCommand.Type = LNA.self) -> [String] {
        func search(_ node: ParsableCommand.Type, _ path: [String]) -> [String]? {
            if node == command { return path }
            for child in node.configuration.subcommands {
                if let found = search(child, path + [child._commandName]) { return found }
            }
            return nil
        }
        return search(root, [root._commandName]) ?? [root._commandName, command._commandName]
    }
}

/// An error about how a command was called (its arguments), reported with the command's usage.
struct CLIUsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
