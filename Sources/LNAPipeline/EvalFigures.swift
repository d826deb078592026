import Foundation
import LNAData
import LNAEval
import LNAReport

/// The heatmaps of an evaluation grid (`lna eval`): the metric per (intervention, language) and its change from
/// the unmodified model, rows = interventions (baseline first), columns = evaluated languages.
///
/// ```swift
/// let result = try EvalResult.read(url)
/// try EvalFigures.write(result, to: outDir)   // eval.png/.svg, eval_delta.png/.svg
/// ```
public enum EvalFigures {
    static func rowLabels(_ result: EvalResult) -> [String] {
        result.rowLabels.map { $0 == EvalRow.baselineLabel ? "none (baseline)" : $0 }
    }

    /// Accuracy is shown in percent, chrF as is.
    static func scaled(_ result: EvalResult) -> (values: [[Double?]], unit: String) {
        let percent = result.settings.task != .translate
        let values = result.values.map { $0.map { v -> Double? in v.isFinite ? (percent ? 100 * v : v) : nil } }
        return (values, percent ? "\(result.settings.task.metric) (%)" : "corpus chrF")
    }

    public static func valueHeatmap(_ result: EvalResult) -> Heatmap {
        let (values, unit) = scaled(result)
        var map = Heatmap(rowLabels: rowLabels(result), columnLabels: LanguageLabels.labels(result.columns), values: values,
                          scale: .sequential(.viridis), title: "\(result.settings.task.rawValue): \(unit), \(result.model)")
        map.rowAxisTitle = "intervention"; map.columnAxisTitle = "evaluated language"
        map.annotation = .fixed(1); map.colorBarLabel = unit; map.rowSeparators = [0]
        return map
    }

    /// Row minus baseline; diverging colours centred on 0 (ColorBrewer RdBu: red where the metric drops, as in the
    /// perplexity figure where red is damage).
    public static func deltaHeatmap(_ result: EvalResult) -> Heatmap {
        let (values, unit) = scaled(result)
        let base = result.rowLabels.firstIndex(of: EvalRow.baselineLabel) ?? 0
        let delta = values.map { row in zip(row, values[base]).map { v, b -> Double? in v.flatMap { v in b.map { v - $0 } } } }
        var map = Heatmap(rowLabels: rowLabels(result), columnLabels: LanguageLabels.labels(result.columns), values: delta,
                          scale: .diverging(Palette.blueWhiteRed.reversed, center: 0), title: "\(result.settings.task.rawValue): change from baseline")
        map.rowAxisTitle = "intervention"; map.columnAxisTitle = "evaluated language"
        map.annotation = .signed(1); map.colorBarLabel = "Δ \(unit)"; map.rowSeparators = [0]
        return map
    }

    @discardableResult
    public static func write(_ result: EvalResult, to directory: URL) throws -> [URL] {
        var urls: [URL] = []
        let files = try Figure(valueHeatmap(result)).write(to: directory, name: "eval")
        urls += [files.png, files.svg]
        if result.rows.count > 1 {
            let delta = try Figure(deltaHeatmap(result)).write(to: directory, name: "eval_delta")
            urls += [delta.png, delta.svg]
        }
        return urls
    }

    /// A plain-text table: value [low, high] per cell, n per column.
    public static func table(_ result: EvalResult) -> String {
        let percent = result.settings.task != .translate
        func format(_ v: Double) -> String { v.isFinite ? String(format: "%.1f", percent ? 100 * v : v) : "–" }
        var lines = ["\(result.settings.task.rawValue) (\(result.settings.task.metric)\(percent ? ", %" : ""), 95 % bootstrap interval)"]
        let width = max(16, (result.rowLabels.map(\.count).max() ?? 0) + 2)
        let header = "".padding(toLength: width, withPad: " ", startingAt: 0)
            + result.columns.map { $0.padding(toLength: 18, withPad: " ", startingAt: 0) }.joined()
        lines.append(header)
        for (r, label) in result.rowLabels.enumerated() {
            let cells = result.cells[r].map { cell in
                "\(format(cell.value)) [\(format(cell.interval.first ?? .nan)), \(format(cell.interval.last ?? .nan))]"
                    .padding(toLength: 18, withPad: " ", startingAt: 0)
            }
            lines.append(label.padding(toLength: width, withPad: " ", startingAt: 0) + cells.joined())
        }
        lines.append("n".padding(toLength: width, withPad: " ", startingAt: 0)
                     + (result.cells.first ?? []).map { String($0.n).padding(toLength: 18, withPad: " ", startingAt: 0) }.joined())
        return lines.joined(separator: "\n")
    }
}
