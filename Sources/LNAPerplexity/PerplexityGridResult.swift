import Foundation
import LNAFiles

/// The scores of a finished grid and the values derived from them (perplexity, Δ, ratio, standard errors).
///
/// ```swift
/// let result = try grid.run()
/// result.delta[1][0]   // PPL(deactivate row 1) − PPL(none) on column 0
/// ```
public struct PerplexityGridResult: Sendable {
    public let rows: [String]
    public let columns: [String]
    /// scores[row][column]: per-text scores.
    public let scores: [[[TextScore]]]
    public let measure: PerplexityMeasure
    /// Neurons switched off per row (0 for the baseline).
    public let deactivatedNeurons: [Int]

    public init(rows: [String], columns: [String], scores: [[[TextScore]]], measure: PerplexityMeasure,
                deactivatedNeurons: [Int]) {
        self.rows = rows; self.columns = columns; self.scores = scores; self.measure = measure
        self.deactivatedNeurons = deactivatedNeurons
    }

    /// The result from the scores of every cell, keyed `GridCheckpoint.key(row, column)` (as checkpoints and
    /// shard files store them); a missing cell is an error naming it.
    public init(rows: [String], columns: [String], cells: [String: [TextScore]], measure: PerplexityMeasure,
                deactivatedNeurons: [Int]) throws {
        var scores: [[[TextScore]]] = []
        for row in rows {
            scores.append(try columns.map { column in
                guard let cell = cells[GridCheckpoint.key(row, column)] else {
                    throw PerplexityError.invalidInput("the grid has no scores for cell \(GridCheckpoint.key(row, column))")
                }
                return cell
            })
        }
        self.init(rows: rows, columns: columns, scores: scores, measure: measure, deactivatedNeurons: deactivatedNeurons)
    }

    public func estimate(_ r: Int, _ c: Int, measure: PerplexityMeasure? = nil) -> CellEstimate {
        CellEstimate(scores: scores[r][c], measure: measure ?? self.measure)
    }

    /// Perplexity per cell.
    public var perplexity: [[Double]] { rows.indices.map { r in columns.indices.map { estimate(r, $0).perplexity } } }

    /// PPL(row) − PPL(none) per cell (row 0 is all zeros).
    public var delta: [[Double]] {
        let p = perplexity
        return p.map { row in row.indices.map { row[$0] - p[0][$0] } }
    }

    /// PPL(row) / PPL(none) per cell.
    public var ratio: [[Double]] {
        let p = perplexity
        return p.map { row in row.indices.map { row[$0] / p[0][$0] } }
    }

    /// For each deactivated row: whether its largest Δ is on its own language's column (nil when that column
    /// is not evaluated). The papers' central claim is that this holds for most languages.
    public var ownColumnIsLargest: [String: Bool] { ownColumnIsLargest(in: delta) }

    /// The same by ratio PPL(row)/PPL(none): not dominated by columns with a high baseline perplexity.
    public var ownColumnIsLargestByRatio: [String: Bool] { ownColumnIsLargest(in: ratio) }

    func ownColumnIsLargest(in d: [[Double]]) -> [String: Bool] {
        var out: [String: Bool] = [:]
        for (r, row) in rows.enumerated() where r > 0 {
            guard let own = columns.firstIndex(of: row) else { continue }
            let best = d[r].indices.max { d[r][$0] < d[r][$1] }
            out[row] = best == own
        }
        return out
    }

    /// The `ppl.json` document.
    public func document(metadata: [String: String] = [:], settings: PerplexityDocument.Settings? = nil) -> PerplexityDocument {
        var cells: [PerplexityDocument.Cell] = []
        for r in rows.indices {
            for c in columns.indices {
                let e = estimate(r, c)
                let base = estimate(0, c)
                let nj = estimate(r, c, measure: .njunlp)
                let njBase = estimate(0, c, measure: .njunlp)
                cells.append(PerplexityDocument.Cell(
                    deactivated: rows[r], evaluated: columns[c], texts: e.texts, tokens: e.tokens,
                    nll: finite(e.nll), nllStandardError: finite(e.nllStandardError),
                    perplexity: finite(e.perplexity), perplexityStandardError: finite(e.perplexityStandardError),
                    deltaPerplexity: finite(e.perplexity - base.perplexity),
                    ratio: finite(e.perplexity / base.perplexity),
                    deltaNLL: finite(e.nll - base.nll),
                    deltaNLLStandardError: r == 0 ? nil : finite(CellEstimate.pairedDeltaStandardError(baseline: scores[0][c], treated: scores[r][c], measure: measure)),
                    njunlpPerplexity: finite(nj.perplexity), njunlpDelta: finite(nj.perplexity - njBase.perplexity)))
            }
        }
        return PerplexityDocument(
            measure: measure, rows: rows, columns: columns, deactivatedNeurons: Dictionary(uniqueKeysWithValues: zip(rows, deactivatedNeurons)),
            metadata: metadata, settings: settings, cells: cells,
            perplexity: perplexity.map { $0.map(finite) }, delta: delta.map { $0.map(finite) },
            ratio: ratio.map { $0.map(finite) }, ownColumnIsLargest: ownColumnIsLargest,
            ownColumnIsLargestByRatio: ownColumnIsLargestByRatio)
    }
}

func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

/// `ppl.json`: settings, every cell with its standard errors and changes, and the matrices for plotting.
/// Missing values (e.g. no scorable text) are null.
public struct PerplexityDocument: Codable, Sendable, Equatable {
    public var format = "lna.ppl/1"
    public var measure: PerplexityMeasure
    public var standardError = "texts are the units: delta method for the token-weighted ratio Σnll/Σtokens (sd/√m for the NJUNLP macro mean); SE(PPL) = PPL·SE(NLL); Δ NLL errors are paired over the same texts"
    public var rows: [String]
    public var columns: [String]
    public var deactivatedNeurons: [String: Int]
    /// Text settings: model, masks (absolute path), data, split, classes.
    public var metadata: [String: String]
    /// Numeric settings, as numbers (nil in files written before they existed).
    public var settings: Settings?
    public var cells: [Cell]
    public var perplexity: [[Double?]]
    public var delta: [[Double?]]
    public var ratio: [[Double?]]
    public var ownColumnIsLargest: [String: Bool]
    public var ownColumnIsLargestByRatio: [String: Bool]?

    /// The numbers a grid was run with.
    public struct Settings: Codable, Sendable, Equatable {
        /// The value deactivated neurons are set to.
        public var value: Double
        /// Texts are truncated to this many tokens.
        public var maxTokens: Int
        /// At most this many texts per language (nil: all).
        public var limit: Int?

        public init(value: Double, maxTokens: Int, limit: Int?) {
            self.value = value
            self.maxTokens = maxTokens
            self.limit = limit
        }

        enum CodingKeys: String, CodingKey { case value, limit, maxTokens = "max_tokens" }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value, forKey: .value)
            try container.encode(maxTokens, forKey: .maxTokens)
            try container.encode(limit, forKey: .limit)   // null when every text was used
        }
    }

    public struct Cell: Codable, Sendable, Equatable {
        public var deactivated: String
        public var evaluated: String
        public var texts: Int
        public var tokens: Int
        public var nll: Double?
        public var nllStandardError: Double?
        public var perplexity: Double?
        public var perplexityStandardError: Double?
        public var deltaPerplexity: Double?
        public var ratio: Double?
        public var deltaNLL: Double?
        public var deltaNLLStandardError: Double?
        /// The NJUNLP-compatible value (macro average with the top-1 bias), always reported for comparison.
        public var njunlpPerplexity: Double?
        public var njunlpDelta: Double?

        enum CodingKeys: String, CodingKey {
            case deactivated, evaluated, texts, tokens, nll, perplexity, ratio
            case nllStandardError = "nll_se", perplexityStandardError = "ppl_se", deltaPerplexity = "delta_ppl"
            case deltaNLL = "delta_nll", deltaNLLStandardError = "delta_nll_se"
            case njunlpPerplexity = "njunlp_ppl", njunlpDelta = "njunlp_delta_ppl"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, measure, rows, columns, metadata, settings, cells, perplexity, delta, ratio
        case standardError = "standard_error", deactivatedNeurons = "deactivated_neurons"
        case ownColumnIsLargest = "own_column_is_largest"
        case ownColumnIsLargestByRatio = "own_column_is_largest_by_ratio"
    }

    /// Sorted-key pretty JSON, byte-identical for identical inputs.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    public func write(to url: URL) throws { try AtomicFile.write(try encoded(), to: url) }

    public static func read(_ url: URL) throws -> PerplexityDocument {
        do { return try JSONDecoder().decode(PerplexityDocument.self, from: Data(contentsOf: url)) } catch {
            throw PerplexityError.io("\(url.path): not a readable ppl.json (\(ErrorSentence.sentence(for: error)))")
        }
    }
}
