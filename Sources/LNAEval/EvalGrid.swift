import Foundation
import LNAFiles
import LNAModels
import LNAPerplexity
import LNASteering

/// Rows = interventions, columns = languages: every item of every column evaluated under every row's plan,
/// checkpointed as it goes (`eval.checkpoint.json`: finished items per cell, saved atomically every few items
/// and at the end of each cell), so a killed grid continues where it stopped and ends identical to one run.
///
/// ```swift
/// let grid = EvalGrid(evaluator: evaluator, rows: rows, items: ["en": enItems, "fr": frItems], columns: ["en", "fr"])
/// let result = try grid.run(checkpoint: out.appendingPathComponent("eval.checkpoint.json")) { print($0.done, $0.total) }
/// ```
public struct EvalGrid {
    public let evaluator: ItemEvaluator
    public let rows: [EvalRow]
    public let columns: [String]
    public let items: [String: [EvalItem]]
    /// Items between two checkpoint saves within a cell.
    public var saveEvery = 8

    public init(evaluator: ItemEvaluator, rows: [EvalRow], items: [String: [EvalItem]], columns: [String]) {
        self.evaluator = evaluator
        self.rows = rows
        self.items = items
        self.columns = columns
    }

    /// What `run` reports after each item.
    public struct Progress: Sendable {
        public var row: String
        public var column: String
        /// Items done (including those read back from the checkpoint) and in all.
        public var done: Int
        public var total: Int
        /// Items and token positions computed in this process, and the seconds they took.
        public var computedItems: Int
        public var computedTokens: Int
        public var seconds: Double
        public var resumedItems: Int
        /// The work in prompt tokens (`EvalGrid.promptTokens`), known before evaluating: of the items done
        /// (resumed included), of all items, and of the items computed in this process.
        public var promptTokensDone = 0
        public var promptTokensTotal = 0
        public var computedPromptTokens = 0

        /// Seconds left: the prompt tokens still to do at this process' rate of prompt tokens (an item's label
        /// rows or generated tokens are in that rate), nil before the first computed item. Counting tokens, not
        /// items, keeps the estimate right when the columns' texts differ in length (Thai and Bengali prompts are
        /// longer than English ones).
        public var eta: Double? {
            computedPromptTokens > 0 && seconds > 0
                ? seconds / Double(computedPromptTokens) * Double(promptTokensTotal - promptTokensDone) : nil
        }
        /// Token positions the model evaluated per second in this process.
        public var tokensPerSecond: Double { seconds > 0 ? Double(computedTokens) / seconds : 0 }
    }

    /// The prompt tokens of an item after its shared prefix (which a cell evaluates once): its work known in
    /// advance. Log-likelihood scoring adds the extra rows of multi-token labels, generation its output tokens.
    ///
    /// ```swift
    /// let work = grid.promptTokens(items["fr"]!)   // one count per item
    /// ```
    public func promptTokens(_ cellItems: [EvalItem]) -> [Int] {
        let tokenizer = evaluator.model.tokenizer
        var prefixCounts: [String: Int] = [:]
        return cellItems.map { item in
            let count = tokenizer.encode(item.prompt).count
            if prefixCounts[item.sharedPrefix] == nil {
                prefixCounts[item.sharedPrefix] = item.sharedPrefix.isEmpty ? 0 : tokenizer.encode(item.sharedPrefix).count
            }
            let prefix = prefixCounts[item.sharedPrefix]!
            return max(1, prefix < count ? count - prefix : count)
        }
    }

    /// The inputs that decide every record: model, task settings, plans, items.
    public func fingerprint() throws -> String {
        var f = Fingerprint()
        let model = evaluator.model
        f.add(model.name); f.add(model.config.layerCount); f.add(model.config.intermediateSize)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        f.add(String(decoding: try encoder.encode(evaluator.settings), as: UTF8.self))
        for row in rows { f.add(row.label); f.add(String(decoding: try encoder.encode(row.plans), as: UTF8.self)) }
        for column in columns {
            f.add(column)
            for item in items[column] ?? [] { f.add(item.id); f.add(item.prompt); f.add(item.gold); f.add(item.choices.joined(separator: "\u{1F}")) }
        }
        return f.hex
    }

    public func run(checkpoint url: URL? = nil, progress: ((Progress) throws -> Void)? = nil) throws -> EvalResult {
        for column in columns where items[column] == nil { throw EvalError.invalidInput("no items for column \(column)") }
        var store = try EvalCheckpoint.load(url, fingerprint: try fingerprint())
        let total = rows.count * columns.reduce(0) { $0 + (items[$1]?.count ?? 0) }
        let work = Dictionary(uniqueKeysWithValues: columns.map { ($0, promptTokens(items[$0]!)) })
        var state = Progress(row: "", column: "", done: 0, total: total, computedItems: 0, computedTokens: 0, seconds: 0, resumedItems: 0)
        state.promptTokensTotal = rows.count * work.values.reduce(0) { $0 + $1.reduce(0, +) }
        for row in rows {
            for column in columns {
                guard let plan = row.plans[column] else { throw EvalError.invalidInput("row \(row.label) has no plan for \(column)") }
                let key = EvalCheckpoint.key(row.label, column)
                var records = store.cells[key] ?? []
                state.row = row.label; state.column = column
                let cellItems = items[column]!, cellWork = work[column]!
                guard records.count <= cellItems.count else {
                    throw EvalError.checkpoint("cell \(key) has \(records.count) records for \(cellItems.count) items")
                }
                state.done += records.count; state.resumedItems += records.count
                state.promptTokensDone += cellWork[..<records.count].reduce(0, +)
                if !records.isEmpty { try progress?(state) }
                var unsaved = 0
                for (index, item) in cellItems.enumerated().dropFirst(records.count) {
                    let start = Date()
                    let record = try evaluator.evaluate(item, plan: plan)
                    records.append(record)
                    state.done += 1; state.computedItems += 1; state.computedTokens += record.tokens
                    state.promptTokensDone += cellWork[index]; state.computedPromptTokens += cellWork[index]
                    state.seconds += Date().timeIntervalSince(start)
                    unsaved += 1
                    if unsaved >= saveEvery || records.count == cellItems.count {
                        store.cells[key] = records
                        if let url { try store.save(url) }
                        unsaved = 0
                    }
                    try progress?(state)
                }
                store.cells[key] = records
            }
        }
        let cells = rows.map { row in
            columns.map { column in
                EvalCell(row: row.label, column: column, task: evaluator.settings.task,
                         records: store.cells[EvalCheckpoint.key(row.label, column)] ?? [], seed: evaluator.settings.seed)
            }
        }
        return EvalResult(settings: evaluator.settings, model: evaluator.model.name, rows: rows, columns: columns,
                          cells: cells, items: store.cells, computedTokens: state.computedTokens, seconds: state.seconds)
    }
}

/// The finished items of each cell of a grid, with the fingerprint of the inputs that made them; a checkpoint
/// of other inputs is refused rather than mixed in.
public struct EvalCheckpoint: Codable, Sendable {
    public var format = "lna.eval-checkpoint/1"
    public var fingerprint: String
    /// "row→column" → records in item order.
    public var cells: [String: [EvalRecord]] = [:]

    public init(fingerprint: String) { self.fingerprint = fingerprint }

    public static func key(_ row: String, _ column: String) -> String { "\(row)→\(column)" }

    public static func load(_ url: URL?, fingerprint: String) throws -> EvalCheckpoint {
        guard let url, FileManager.default.fileExists(atPath: url.path) else { return EvalCheckpoint(fingerprint: fingerprint) }
        let stored: EvalCheckpoint
        do { stored = try EvalJSON.decoder().decode(EvalCheckpoint.self, from: Data(contentsOf: url)) } catch {
            throw EvalError.checkpoint("\(url.path): unreadable (\(error.localizedDescription)); delete it to start over")
        }
        guard stored.fingerprint == fingerprint else {
            throw EvalError.checkpoint("\(url.path) was made with other inputs (model, task settings, interventions or items); delete it or use another --out")
        }
        return stored
    }

    public func save(_ url: URL) throws {
        try AtomicFile.write(try EvalJSON.encoder(pretty: false).encode(self), to: url)
    }
}

/// JSON coding of eval files: sorted keys, NaN and infinities as strings.
enum EvalJSON {
    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
