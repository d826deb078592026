import Foundation
import LNAFiles

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
            throw PerplexityError.checkpoint("\(url.path): unreadable (\(ErrorSentence.sentence(for: error))); delete it to start over")
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
        try AtomicFile.write(try encoder.encode(self), to: url)
    }
}
