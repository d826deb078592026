import Foundation

/// One line for any error, for messages: its own description when it has one, else a sentence built from a
/// Foundation (`NSCocoaErrorDomain`), POSIX or `DecodingError` error, instead of their raw text
/// ("The operation could not be completed. (NSCocoaErrorDomain error 512.)", `keyNotFound(CodingKeys(…))`).
///
/// ```swift
/// ErrorSentence.sentence(for: CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: "/tmp/x"]))
/// // "/tmp/x already exists"
/// ```
public enum ErrorSentence {
    public static func sentence(for error: Error) -> String {
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
        case .fileWriteUnknown where error.userInfo[NSUnderlyingErrorKey] == nil:
            return "\(path): cannot be written (is a part of the path an existing file?)"
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
