import Foundation

/// A JSON document with ordered object keys, serialised deterministically (same input, same bytes), so that
/// `masks.json` files can be compared with `cmp` and diffed by humans.
///
/// ```swift
/// let doc: JSONDocument = .object([("lambda", .number(0.1)), ("appear", .array([.int(0), .int(3)]))])
/// print(doc.serialized())   // {"lambda":0.1,"appear":[0,3]}
/// ```
public indirect enum JSONDocument: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// Written with the shortest digits that read back to the same Double.
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([(String, JSONDocument)])

    public static func == (a: JSONDocument, b: JSONDocument) -> Bool { a.serialized() == b.serialized() }

    /// Compact JSON; with `pretty`, objects are indented but arrays of numbers stay on one line.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d):
            if !d.isFinite { out += "null" }
            else if d == d.rounded(), abs(d) < 1e15 { out += String(format: "%.1f", d) }
            else { out += "\(d)" }
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            let nested = items.contains { if case .object = $0 { return true }; if case .array = $0 { return true }; return false }
            if pretty && nested && items.contains(where: { if case .object = $0 { return true }; return false }) {
                out += "[\n"
                for (i, item) in items.enumerated() {
                    out += String(repeating: "  ", count: indent + 1)
                    item.write(into: &out, pretty: pretty, indent: indent + 1)
                    out += i + 1 < items.count ? ",\n" : "\n"
                }
                out += String(repeating: "  ", count: indent) + "]"
            } else {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += "," }
                    item.write(into: &out, pretty: false, indent: indent)
                }
                out += "]"
            }
        case .object(let pairs):
            guard pretty else {
                out += "{"
                for (i, (key, value)) in pairs.enumerated() {
                    if i > 0 { out += "," }
                    Self.writeString(key, into: &out)
                    out += ":"
                    value.write(into: &out, pretty: false, indent: indent)
                }
                out += "}"
                return
            }
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in pairs.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                Self.writeString(key, into: &out)
                out += ": "
                value.write(into: &out, pretty: true, indent: indent + 1)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    /// Convenience: layer lists as nested int arrays.
    public static func lists(_ lists: [[Int]]) -> JSONDocument { .array(lists.map { .array($0.map { .int($0) }) }) }
    public static func ints(_ values: [Int]) -> JSONDocument { .array(values.map { .int($0) }) }
}

/// Writes `data` to `url` atomically: a temporary file in the same folder, then a rename, so a failure never
/// leaves a partial file behind.
///
/// ```swift
/// try writeAtomically(Data("{}".utf8), to: URL(fileURLWithPath: "out/masks.json"))
/// ```
public func writeAtomically(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try data.write(to: temporary)
        // rename(2) replaces an existing file atomically (Foundation's replaceItemAt is unreliable on Linux).
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw AnalysisError.io("cannot write \(url.path): rename failed: \(reason)")
        }
    } catch let error as AnalysisError {
        throw error
    } catch {
        throw AnalysisError.io("cannot write \(url.path): \(error.localizedDescription)")
    }
}
