import ArgumentParser
import Foundation

/// Reports an error raised while a command runs: one line naming the command, the error as a sentence, then the
/// command's usage. Foundation and `Decodable` errors are turned into sentences here, once, instead of their raw
/// descriptions (`NSCocoaErrorDomain Code=516 …`, `keyNotFound(CodingKeys(…))`).
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
        if error is CleanExit { LNA.exit(withError: error) }
        let path = commandPath(of: command)
        let name = path.joined(separator: " ")
        var lines = ["Error: \(name): \(sentence(for: error))"]
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

    /// One line for any error: its own description when it has one, else a sentence built from a Foundation,
    /// POSIX or decoding error.
    static func sentence(for error: Error) -> String {
        if let decoding = error as? DecodingError { return sentence(for: decoding) }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain { return cocoaSentence(ns) }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return String(describing: error)
    }

    static func cocoaSentence(_ error: NSError) -> String {
        let path = (error.userInfo[NSFilePathErrorKey] as? String)
            ?? (error.userInfo[NSURLErrorKey] as? URL)?.path ?? "a file"
        switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteFileExists: return "\(path) already exists"
        case .fileNoSuchFile, .fileReadNoSuchFile: return "\(path): no such file or folder"
        case .fileReadNoPermission, .fileWriteNoPermission: return "\(path): permission denied"
        case .fileWriteOutOfSpace: return "\(path): no space left on the device"
        case .fileWriteVolumeReadOnly: return "\(path): the volume is read-only"
        case .fileReadCorruptFile: return "\(path): the file is not in the expected format"
        case .fileReadInapplicableStringEncoding: return "\(path): not valid UTF-8 text"
        default:
            if let underlying = error.userInfo[NSUnderlyingErrorKey] as? Error { return "\(path): \(sentence(for: underlying))" }
            return "\(path): \(error.localizedDescription)"
        }
    }

    static func sentence(for error: DecodingError) -> String {
        func location(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the top level" : String(path.drop { $0 == "." })
        }
        switch error {
        case let .keyNotFound(key, context):
            let parent = location(context)
            return "invalid JSON: key '\(key.stringValue)' is missing" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case let .typeMismatch(type, context):
            return "invalid JSON: \(location(context)) is not \(readable(type))"
        case let .valueNotFound(type, context):
            return "invalid JSON: \(location(context)) is null, expected \(readable(type))"
        case let .dataCorrupted(context):
            return "invalid JSON at \(location(context)): \(context.debugDescription)"
        @unknown default:
            return "invalid JSON: \(error)"
        }
    }

    static func readable(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array") ? "a list" : name.hasPrefix("Dictionary") ? "an object" : "a \(name)"
        }
    }
}

/// An error about how a command was called (its arguments), reported with the command's usage.
struct CLIUsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
