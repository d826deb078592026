import Foundation

/// The finished cells of a grid (per-text scores) with the fingerprint of the inputs that made them.
/// Saved atomically after each cell; a checkpoint of other inputs is refused rather than mixed in.
///
/// ```swift
/// var store = try GridCheckpoint.load(url, fingerprint: key)
/// store.cells[GridCheckpoint.key("en", "zh")] = scores
/// try store.save(url)
/// ```
public struct GridCheckpoint: Codable, Sendable {
    public var format = "lna.ppl-checkpoint/1"
    public var fingerprint: String
    /// "row→column" → per-text scores.
    public var cells: [String: [TextScore]] = [:]

    public init(fingerprint: String) { self.fingerprint = fingerprint }

    public static func key(_ row: String, _ column: String) -> String { "\(row)→\(column)" }

    /// The checkpoint at `url`, or an empty one when the file does not exist.
    public static func load(_ url: URL, fingerprint: String) throws -> GridCheckpoint {
        guard FileManager.default.fileExists(atPath: url.path) else { return GridCheckpoint(fingerprint: fingerprint) }
        let stored: GridCheckpoint
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { stored = try decoder.decode(GridCheckpoint.self, from: Data(contentsOf: url)) } catch {
            throw PerplexityError.checkpoint("\(url.path): unreadable (\(error.localizedDescription)); delete it to start over")
        }
        guard stored.fingerprint == fingerprint else {
            throw PerplexityError.checkpoint("\(url.path) was made with other inputs (model, masks, classes, value or texts); delete it or use another --out")
        }
        return stored
    }

    public func save(_ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // NaN appears only for texts too short to score; keep it representable.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try writeFileAtomically(try encoder.encode(self), to: url)
    }
}

/// Writes data atomically (temporary file in the same folder, then rename).
func writeFileAtomically(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try data.write(to: temporary)
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw PerplexityError.io("cannot write \(url.path): \(error.localizedDescription)")
    }
    guard rename(temporary.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw PerplexityError.io("cannot write \(url.path): rename failed: \(reason)")
    }
}
