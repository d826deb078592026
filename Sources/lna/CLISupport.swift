import ArgumentParser
import Foundation
import LNAModels

/// Helpers shared by the subcommands: loading a model with a message, JSON output, atomic writes.
enum CLI {
    /// Loads the model a MODEL argument names, printing what it does on stderr.
    static func loadModel(_ argument: String, quiet: Bool = false) throws -> Model {
        let start = Date()
        let model = try Model.load(argument)
        if !quiet {
            let seconds = Date().timeIntervalSince(start)
            printError(String(format: "loaded %@ (%@, %d layers × %d neurons) in %.1f s", model.name,
                              model.config.architecture, model.config.layerCount, model.config.intermediateSize, seconds))
        }
        return model
    }

    /// Prints a line on standard error.
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Encodes a value as compact, key-sorted JSON text.
    static func json<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reads a text argument or a file's contents.
    static func text(_ text: String?, file: String?) throws -> String {
        if let text { return text }
        if let file {
            do { return try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
        }
        throw ValidationError("give --text TEXT or --file F")
    }
}

/// A thrown error that is already a complete one-line message.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
