import Foundation
import LNAAnalysis
import LNAFiles
import LNAHooks
import LNAModels

/// The settings of a masked-perplexity grid.
///
/// ```swift
/// let settings = PerplexityGridSettings(classes: .all, value: 0, measure: .tokenWeighted)
/// ```
public struct PerplexityGridSettings: Codable, Sendable, Equatable {
    public var classes: DeactivationClasses
    /// The value the selected `mlp.hook_act` neurons are set to (0 switches them off).
    public var value: Float
    public var measure: PerplexityMeasure
    /// Deactivated languages (rows after the baseline); nil = every language of the masks.
    public var deactivated: [String]?

    public init(classes: DeactivationClasses = .all, value: Float = 0, measure: PerplexityMeasure = .tokenWeighted,
                deactivated: [String]? = nil) {
        self.classes = classes; self.value = value; self.measure = measure; self.deactivated = deactivated
    }
}

/// Progress of a grid, reported after every cell.
public struct GridProgress: Sendable {
    public var row: String
    public var column: String
    public var done: Int
    public var total: Int
    /// True when the cell came from the checkpoint.
    public var resumed: Bool
    public var seconds: Double
    public var tokens: Int
}

/// A grid of perplexities: row "none" (no deactivation) plus one row per deactivated language, one column per
/// evaluated language. Each cell scores all texts of its column with the row's neurons set to `value` in
/// `blocks.L.mlp.hook_act` at every position. Cells are checkpointed as they finish so a killed run resumes,
/// and the outputs depend only on the per-text scores, so a resumed grid writes identical files.
///
/// ```swift
/// let grid = try PerplexityGrid(model: model, masks: masks, evaluation: sets, settings: .init())
/// let result = try grid.run(checkpoint: out.appendingPathComponent("ppl.checkpoint.json")) { print($0.done) }
/// ```
public final class PerplexityGrid {
    public static let baselineRow = "none"
    public let model: Model
    public let masks: MaskSet
    public let evaluation: [EvaluationSet]
    public let settings: PerplexityGridSettings
    public var scorer: TextScorer
    /// Where the masks' units are: MLP neurons, expert neurons, or experts (the router).
    public let layout: NeuronLayout
    /// Row names: "none" then the deactivated languages.
    public let rows: [String]
    public var columns: [String] { evaluation.map(\.language) }

    /// - Parameter layout: nil places the masks' columns by their width (`ModelConfig.neuronLayout`); `.router`
    ///   makes the masks `[layers, experts]` lists of experts removed from the router.
    public init(model: Model, masks: MaskSet, evaluation: [EvaluationSet], settings: PerplexityGridSettings,
                layout: NeuronLayout? = nil) throws {
        guard masks.layers == model.config.layerCount else {
            throw PerplexityError.shapeMismatch("masks have \(masks.layers) layers, \(model.name) has \(model.config.layerCount); use masks of this model")
        }
        if layout == .router {
            guard masks.width == model.config.expertCount else {
                throw PerplexityError.shapeMismatch("expert lists have \(masks.width) experts per layer, \(model.name) has \(model.config.expertCount)")
            }
            self.layout = .router
        } else {
            do { self.layout = try layout ?? model.config.neuronLayout(width: masks.width) } catch {
                throw PerplexityError.shapeMismatch("\(model.name): \(error)")
            }
        }
        guard !evaluation.isEmpty else { throw PerplexityError.invalidInput("no evaluation languages") }
        let columns = evaluation.map(\.language)
        guard Set(columns).count == columns.count else {
            throw PerplexityError.invalidInput("evaluation languages \(columns.joined(separator: ",")) name a language twice")
        }
        let deactivated = settings.deactivated ?? masks.languages
        for language in deactivated where !masks.languages.contains(language) {
            throw PerplexityError.invalidInput("deactivated language '\(language)' is not in the masks (\(masks.languages.joined(separator: ",")))")
        }
        self.model = model; self.masks = masks; self.evaluation = evaluation; self.settings = settings
        self.scorer = TextScorer(model: model)
        self.rows = [PerplexityGrid.baselineRow] + deactivated
    }

    /// Neurons switched off per row (nil for the baseline).
    public func layerLists(row: String) throws -> [[Int]]? {
        row == PerplexityGrid.baselineRow ? nil : try settings.classes.layerLists(of: row, in: masks)
    }

    /// Identifies the inputs that determine the scores (model, masks of each row, value, texts).
    public func fingerprint() throws -> String {
        var f = Fingerprint()
        f.add(model.name); f.add(model.config.layerCount); f.add(model.config.intermediateSize)
        f.add(settings.classes.rawValue); f.add(String(settings.value))
        if layout != .mlp { f.add(String(describing: layout)) }
        for row in rows {
            f.add(row)
            for list in try layerLists(row: row) ?? [] { f.add(list.count); for j in list { f.add(j) } }
        }
        for set in evaluation {
            f.add(set.language); f.add(set.texts.count)
            for t in set.texts { f.add(t.count); for id in t { f.add(id) } }
        }
        return f.hex
    }

    /// Every (row, column) cell in the order a whole grid runs them: row by row, columns in order.
    public var cells: [(row: String, column: String)] {
        rows.flatMap { row in evaluation.map { (row, $0.language) } }
    }

    /// Runs every cell not yet in the checkpoint, saving the checkpoint after each cell. An error thrown by
    /// `progress` stops the grid after the checkpoint of the cell it reports.
    public func run(checkpoint url: URL? = nil, progress: ((GridProgress) throws -> Void)? = nil) throws -> PerplexityGridResult {
        try result(cells: try score(shard: .whole, checkpoint: url, progress: progress))
    }

    /// Scores the cells of one shard (`shard.slice(of: cells.count)` of `cells`), resuming from and saving to
    /// the checkpoint like `run`; `lna merge` joins the shards' cells into the grid's result. Every cell scores
    /// its column's texts alone, so a cell's scores do not depend on which shard computed it.
    ///
    /// ```swift
    /// let mine = try grid.score(shard: try Shard(parsing: "1/3"), checkpoint: nil)   // "row→column" → scores
    /// ```
    public func score(shard: Shard, checkpoint url: URL?, progress: ((GridProgress) throws -> Void)? = nil) throws -> [String: [TextScore]] {
        let key = try fingerprint()
        var store = try url.map { try GridCheckpoint.load($0, fingerprint: key) } ?? GridCheckpoint(fingerprint: key)
        let mine = Array(cells[shard.slice(of: cells.count)])
        let sets = Dictionary(evaluation.map { ($0.language, $0) }, uniquingKeysWith: { first, _ in first })
        var hooksOfRow: (row: String, hooks: HookSet?)?
        var scores: [String: [TextScore]] = [:]
        for (done, cell) in mine.enumerated() {
            let set = sets[cell.column]!
            let cellKey = GridCheckpoint.key(cell.row, cell.column)
            if let saved = store.cells[cellKey] {
                scores[cellKey] = saved
                try progress?(GridProgress(row: cell.row, column: cell.column, done: done + 1, total: mine.count, resumed: true, seconds: 0, tokens: set.tokenCount))
                continue
            }
            if hooksOfRow?.row != cell.row {
                hooksOfRow = (cell.row, try DeactivationHooks.make(layerLists: try layerLists(row: cell.row), value: settings.value,
                                                                   layerCount: model.config.layerCount, layout: layout))
            }
            let start = Date()
            let cellScores = try scorer.score(texts: set.texts, hooks: hooksOfRow!.hooks)
            store.cells[cellKey] = cellScores
            scores[cellKey] = cellScores
            if let url { try store.save(url) }
            try progress?(GridProgress(row: cell.row, column: cell.column, done: done + 1, total: mine.count, resumed: false,
                                       seconds: Date().timeIntervalSince(start), tokens: set.tokenCount))
        }
        return scores
    }

    /// The grid's result from the scores of every cell (keys `GridCheckpoint.key(row, column)`).
    public func result(cells scores: [String: [TextScore]]) throws -> PerplexityGridResult {
        let neurons = try rows.map { try layerLists(row: $0)?.reduce(0) { $0 + $1.count } ?? 0 }
        return try PerplexityGridResult(rows: rows, columns: columns, cells: scores, measure: settings.measure,
                                        deactivatedNeurons: neurons)
    }
}
