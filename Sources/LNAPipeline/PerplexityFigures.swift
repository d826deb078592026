import Foundation
import LNAData
import LNAPerplexity
import LNAReport

/// The perplexity grid as a heatmap (the papers' Figures 2 and 6–8): rows = deactivated language (baseline first),
/// columns = evaluated language. Each cell shows the ratio PPL(deactivated) / PPL(none) as "×1.52", coloured on
/// a log-ratio scale symmetric around ×1 (blue below, red above, ColorBrewer RdBu): deactivation multiplies
/// perplexity, so ×2 and ×1000 are both visible where a linear Δ scale would show only the largest cell.
///
/// ```swift
/// let doc = try PerplexityDocument.read(url)
/// try PerplexityFigures.write(doc, to: outDir, order: ["en", "zh", "ru"])   // ppl_delta.png + ppl_delta.svg
/// ```
public enum PerplexityFigures {
    /// The ratio heatmap; `order` (the run's language list) orders rows and columns, the baseline stays on top.
    public static func deltaHeatmap(_ doc: PerplexityDocument, order: [String]? = nil) -> Heatmap {
        let (rows, columns) = permutations(doc, order: order)
        // `lna experts` grids remove experts from the router (their metadata says how) instead of switching neurons off.
        let unit = doc.metadata["deactivation"] == nil ? "neurons" : "experts"
        let title = "Perplexity after deactivating a language's \(unit), relative to none" + (doc.metadata["classes"].map { " (\($0))" } ?? "")
        var map = Heatmap(rowLabels: rows.map { rowLabel(doc.rows[$0]) }, columnLabels: columns.map { LanguageLabels.label(doc.columns[$0]) },
                          values: rows.map { r in columns.map { c in doc.ratio[r][c] } },
                          scale: .logRatio(.blueWhiteRed), title: title)
        map.rowAxisTitle = "deactivated language"
        map.columnAxisTitle = "evaluated language"
        map.annotation = .ratio
        map.colorBarLabel = "PPL(deactivated) / PPL(none), log scale"
        map.rowSeparators = [0]
        return map
    }

    /// Perplexity of every cell (sequential colours), for the report.
    public static func perplexityHeatmap(_ doc: PerplexityDocument, order: [String]? = nil) -> Heatmap {
        let (rows, columns) = permutations(doc, order: order)
        var map = Heatmap(rowLabels: rows.map { rowLabel(doc.rows[$0]) }, columnLabels: columns.map { LanguageLabels.label(doc.columns[$0]) },
                          values: rows.map { r in columns.map { c in doc.perplexity[r][c] } },
                          scale: .sequential(.oranges), title: "Perplexity")
        map.rowAxisTitle = "deactivated language"; map.columnAxisTitle = "evaluated language"
        map.annotation = .automatic; map.colorBarLabel = "PPL"; map.rowSeparators = [0]
        return map
    }

    static func rowLabel(_ row: String) -> String {
        row == PerplexityGrid.baselineRow ? "none (baseline)" : LanguageLabels.label(row)
    }

    /// Row and column indices in the display order: the baseline row first, then languages as in `order`.
    static func permutations(_ doc: PerplexityDocument, order: [String]?) -> (rows: [Int], columns: [Int]) {
        let baseline = doc.rows.indices.filter { doc.rows[$0] == PerplexityGrid.baselineRow }
        let others = doc.rows.indices.filter { doc.rows[$0] != PerplexityGrid.baselineRow }
        let sortedOthers = LanguageLabels.permutation(others.map { doc.rows[$0] }, like: order).map { others[$0] }
        return (baseline + sortedOthers, LanguageLabels.permutation(doc.columns, like: order))
    }

    /// Writes `ppl_delta.png` and `ppl_delta.svg`.
    @discardableResult
    public static func write(_ doc: PerplexityDocument, to directory: URL, order: [String]? = nil) throws -> [URL] {
        let files = try Figure(deltaHeatmap(doc, order: order)).write(to: directory, name: "ppl_delta")
        return [files.png, files.svg]
    }
}
