import Foundation
import LNAEval
import LNAReport

/// The report's sections for `lna eval` results: every folder of the run directory named `eval*` with an eval.json.
///
/// ```swift
/// for section in try EvalReportSections.sections(runDirectory: run) { report.add(section) }
/// ```
public enum EvalReportSections {
    public static func sections(runDirectory: URL) throws -> [HTMLSection] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runDirectory.path)) ?? []
        return try names.filter { $0.hasPrefix("eval") }.sorted().compactMap { name in
            let url = runDirectory.appendingPathComponent(name).appendingPathComponent("eval.json")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            return try section(EvalResult.read(url), folder: name)
        }
    }

    public static func section(_ result: EvalResult, folder: String) throws -> HTMLSection {
        let s = result.settings
        var section = HTMLSection(title: "Task evaluation: \(s.task.rawValue) (\(folder))")
        var pairs: [(String, String)] = [("model", result.model), ("metric", s.task.metric), ("shots", "\(s.shots)\(s.fixedShots ? " (fixed per language)" : "")"),
                                         ("items per cell", Set(result.cells.flatMap { $0.map(\.n) }).sorted().map(String.init).joined(separator: ", ")),
                                         ("interval", "95 % percentile bootstrap, 1,000 resamples of the items")]
        if s.task == .translate { pairs.append(("direction", s.direction.rawValue)) }
        if s.task == .mgsm || s.task == .msvamp { pairs.append(("chain of thought", s.chainOfThought ? "yes" : "no")) }
        let own = result.ownColumnLargestDrop
        if !own.isEmpty { pairs.append(("rows whose largest drop is on their own language", "\(own.values.filter { $0 }.count) of \(own.count)")) }
        section.settings(pairs)
        try section.figure(Figure(EvalFigures.valueHeatmap(result)), caption: "The metric per intervention (rows) and evaluated language (columns).")
        if result.rows.count > 1 {
            try section.figure(Figure(EvalFigures.deltaHeatmap(result)), caption: "Change from the unmodified model (row − none).")
        }
        var table = DataTable(columns: ["intervention", "language", "n", s.task.metric, "95 % interval"], caption: "Every cell.")
        let percent = s.task != .translate
        for row in result.cells {
            for cell in row {
                let scale = percent ? 100.0 : 1.0
                table.addRow([.text(cell.row), .text(cell.column), .number(Double(cell.n), .integer),
                              .number(cell.value * scale, .fixed(1)),
                              .text(String(format: "%.1f – %.1f", (cell.interval.first ?? .nan) * scale, (cell.interval.last ?? .nan) * scale))])
            }
        }
        section.table(table)
        return section
    }
}
