import ArgumentParser
import LNAFormats

/// "Did you mean" for mistyped subcommands, before ArgumentParser sees the line (it would report the first
/// option as unknown instead: `lna activaton -m …` → "Unknown option '-m'").
///
/// ```swift
/// CommandSuggestions.unknownCommand(in: ["activaton", "-m", "x"])
/// // "unknown command 'activaton'; did you mean 'activation'? (see `lna help`)"
/// ```
enum CommandSuggestions {
    /// A message when a word in command position names no subcommand, nil when the line is fine (or is left to
    /// ArgumentParser). `lna help WORD …` is checked the same way.
    static func unknownCommand(in arguments: [String], root: ParsableCommand.Type = LNA.self) -> String? {
        var words = arguments[...]
        if words.first == "help" { words = words.dropFirst() }
        var command = root, path = [root.configuration.commandName ?? "lna"]
        for word in words {
            if word.hasPrefix("-") { return nil }
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { return nil }
            if let next = subcommands.first(where: { names(of: $0).contains(word) }) {
                command = next
                path.append(word)
                continue
            }
            let candidates = subcommands.flatMap(names(of:))
            let near = nearMatches(for: word, in: candidates, limit: 1).first
            // A command with a default subcommand may take a positional word; only a near miss is then an error.
            if command.configuration.defaultSubcommand != nil && near == nil { return nil }
            let scope = path.count > 1 ? " of '\(path.joined(separator: " "))'" : ""
            return "unknown command '\(word)'\(scope)" + (near.map { "; did you mean '\($0)'?" } ?? "")
                + " (see `\(path.joined(separator: " ")) --help` for the commands)"
        }
        return nil
    }

    static func names(of command: ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }

    /// `--lo -0.5` → `--lo=-0.5` and `-l -1` → `-l=-1`: ArgumentParser reads a word starting with '-' as an option,
    /// so a negative number after an option would be reported as a missing value. Joined, the option's own check
    /// accepts it or rejects it with a message about the value.
    static func joinNegativeValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if index + 1 < arguments.count, isOptionName(word), isNegativeNumber(arguments[index + 1]) {
                result.append(word + "=" + arguments[index + 1])
                index += 2
            } else {
                result.append(word)
                index += 1
            }
        }
        return result
    }

    static func isOptionName(_ word: String) -> Bool {
        guard word.hasPrefix("-"), !word.contains("="), word != "--", word.count > 1 else { return false }
        return !isNegativeNumber(word)
    }

    static func isNegativeNumber(_ word: String) -> Bool {
        guard word.hasPrefix("-") else { return false }
        let rest = word.dropFirst().lowercased()
        return Double(rest) != nil || rest == "inf" || rest == "infinity" || rest == "nan"
    }
}
