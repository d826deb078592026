import Foundation
import LNAFiles

/// The cells one task of a sharded grid scored (`lna ppl --shard i/n`), with everything `lna merge` needs to
/// write the whole grid's ppl.json: rows, columns, measure, metadata and the fingerprint of the inputs.
/// Merging every shard of a grid gives a document byte-identical to the unsharded run's, because ppl.json
/// depends only on the per-text scores, and those round-trip exactly through JSON.
///
/// ```swift
/// let shards = try urls.map(PerplexityGridShard.read)
/// let document = try PerplexityGridShard.merge(shards, names: urls.map(\.lastPathComponent))
/// try document.write(to: out)
/// ```
public struct PerplexityGridShard: Codable, Sendable, Equatable {
    public static let formatName = "lna.ppl-shard/1"
    public var format = PerplexityGridShard.formatName
    public var shardIndex: Int
    public var shardCount: Int
    /// `PerplexityGrid.fingerprint()`: model, masks of each row, value and texts.
    public var fingerprint: String
    public var rows: [String]
    public var columns: [String]
    public var measure: PerplexityMeasure
    /// Neurons switched off per row, as in the result.
    public var deactivatedNeurons: [Int]
    public var metadata: [String: String]
    public var settings: PerplexityDocument.Settings?
    /// "row→column" → per-text scores, for this shard's cells only.
    public var cells: [String: [TextScore]]

    public init(shard: Shard, grid: PerplexityGrid, cells: [String: [TextScore]], metadata: [String: String],
                settings: PerplexityDocument.Settings?) throws {
        shardIndex = shard.index; shardCount = shard.count
        fingerprint = try grid.fingerprint()
        rows = grid.rows; columns = grid.columns; measure = grid.settings.measure
        deactivatedNeurons = try grid.rows.map { try grid.layerLists(row: $0)?.reduce(0) { $0 + $1.count } ?? 0 }
        self.metadata = metadata; self.settings = settings; self.cells = cells
    }

    enum CodingKeys: String, CodingKey {
        case format, fingerprint, rows, columns, measure, metadata, settings, cells
        case shardIndex = "shard_index", shardCount = "shard_count", deactivatedNeurons = "deactivated_neurons"
    }

    /// The keys of the cells shard `index` of `count` scores, in the grid's order.
    static func cellKeys(rows: [String], columns: [String], shard: Shard) -> [String] {
        let all = rows.flatMap { row in columns.map { GridCheckpoint.key(row, $0) } }
        return Array(all[shard.slice(of: all.count)])
    }

    /// The whole grid's ppl.json from all `shardCount` shards of one grid (any order). Refuses shards of other
    /// grids (fingerprint, rows, columns, settings), a missing or repeated shard, and cells that are not the
    /// shard's own; each message names the file.
    public static func merge(_ shards: [PerplexityGridShard], names: [String]) throws -> PerplexityDocument {
        guard let first = shards.first, names.count == shards.count else { throw PerplexityError.invalidInput("no grid shards to merge") }
        guard Set(first.rows).count == first.rows.count, Set(first.columns).count == first.columns.count,
              first.deactivatedNeurons.count == first.rows.count, !first.columns.isEmpty else {
            throw PerplexityError.invalidInput("\(names[0]): rows or columns repeat a language, or deactivated_neurons does not have one count per row")
        }
        var seen: [Int: String] = [:]
        var cells: [String: [TextScore]] = [:]
        for (shard, name) in zip(shards, names) {
            for (field, same) in [("format", shard.format == first.format), ("fingerprint (model, masks, value or texts)", shard.fingerprint == first.fingerprint),
                                  ("rows", shard.rows == first.rows), ("columns", shard.columns == first.columns),
                                  ("measure", shard.measure == first.measure), ("metadata", shard.metadata == first.metadata),
                                  ("settings", shard.settings == first.settings), ("deactivated_neurons", shard.deactivatedNeurons == first.deactivatedNeurons),
                                  ("shard count", shard.shardCount == first.shardCount)] where !same {
                throw PerplexityError.invalidInput("\(name) has another \(field) than \(names[0]); only the shards of one grid can be merged")
            }
            let position: Shard
            do { position = try Shard(index: shard.shardIndex, count: shard.shardCount) } catch {
                throw PerplexityError.invalidInput("\(name): shard_index/shard_count: \(error)")
            }
            if let other = seen[shard.shardIndex] {
                throw PerplexityError.invalidInput("\(name) and \(other) are both shard \(position)")
            }
            seen[shard.shardIndex] = name
            let expected = cellKeys(rows: first.rows, columns: first.columns, shard: position)
            guard Set(shard.cells.keys) == Set(expected) else {
                throw PerplexityError.invalidInput("\(name): shard \(position) should hold the cells \(expected.joined(separator: ", ")), has \(shard.cells.keys.sorted().joined(separator: ", "))")
            }
            cells.merge(shard.cells) { a, _ in a }
        }
        let missing = (0..<first.shardCount).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw PerplexityError.invalidInput("missing shard(s) \(missing.prefix(10).map { "\($0)/\(first.shardCount)" }.joined(separator: ", ")) of the grid of \(names[0])")
        }
        let result = try PerplexityGridResult(rows: first.rows, columns: first.columns, cells: cells, measure: first.measure,
                                              deactivatedNeurons: first.deactivatedNeurons)
        return result.document(metadata: first.metadata, settings: first.settings)
    }

    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(try encoder.encode(self), to: url)
    }

    /// A shard file; anything else (another format, unreadable JSON) is an error naming the file.
    public static func read(_ url: URL) throws -> PerplexityGridShard {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let shard: PerplexityGridShard
        do { shard = try decoder.decode(PerplexityGridShard.self, from: Data(contentsOf: url)) } catch {
            throw PerplexityError.io("\(url.path): not a readable ppl grid shard (\(ErrorSentence.sentence(for: error)))")
        }
        guard shard.format == formatName else {
            throw PerplexityError.io("\(url.path): format '\(shard.format)', expected '\(formatName)'")
        }
        return shard
    }
}
