import Foundation
import LNAFiles

/// A finished grid: eval.json's content (settings, rows with their plans, per-cell summaries, per-item records).
///
/// ```swift
/// try result.write(to: out.appendingPathComponent("eval.json"))
/// let again = try EvalResult.read(out.appendingPathComponent("eval.json"))
/// ```
public struct EvalResult: Codable, Sendable {
    public var format = "lna.eval/1"
    public var settings: EvalTaskSettings
    public var model: String
    public var rows: [EvalRow]
    public var columns: [String]
    /// cells[row][column].
    public var cells: [[EvalCell]]
    /// "row→column" → one record per item.
    public var items: [String: [EvalRecord]]
    /// Token positions evaluated by this process and the seconds they took (0 when everything came from the checkpoint).
    public var computedTokens: Int
    public var seconds: Double
    public var metadata: [String: String] = [:]

    public init(settings: EvalTaskSettings, model: String, rows: [EvalRow], columns: [String], cells: [[EvalCell]],
                items: [String: [EvalRecord]], computedTokens: Int, seconds: Double) {
        self.settings = settings
        self.model = model
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.items = items
        self.computedTokens = computedTokens
        self.seconds = seconds
    }

    public var rowLabels: [String] { rows.map(\.label) }

    /// The headline values, values[row][column].
    public var values: [[Double]] { cells.map { $0.map(\.value) } }

    /// For each non-baseline row whose label starts with a column language ("fr (specific)"): is its largest
    /// drop from the baseline on its own column?
    public var ownColumnLargestDrop: [String: Bool] {
        guard let base = rows.firstIndex(where: { $0.label == EvalRow.baselineLabel }) else { return [:] }
        var result: [String: Bool] = [:]
        for (r, row) in rows.enumerated() where r != base {
            guard let language = row.label.split(separator: " ").first.map(String.init),
                  let own = columns.firstIndex(of: language) else { continue }
            let drops = columns.indices.map { cells[base][$0].value - cells[r][$0].value }
            guard let largest = drops.indices.max(by: { drops[$0] < drops[$1] }) else { continue }
            result[row.label] = largest == own
        }
        return result
    }

    public func write(to url: URL) throws {
        try AtomicFile.write(try EvalJSON.encoder(pretty: true).encode(self), to: url)
    }

    public static func read(_ url: URL) throws -> EvalResult {
        do { return try EvalJSON.decoder().decode(EvalResult.self, from: Data(contentsOf: url)) } catch {
            throw EvalError.data("\(url.path): not an eval.json (\(error.localizedDescription))")
        }
    }
}
