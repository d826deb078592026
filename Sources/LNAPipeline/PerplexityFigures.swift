import Foundation
import LNAPerplexity
import LNAReport

/// The Δ-perplexity heatmap of a grid (the papers' Figures 2 and 6–8): rows = deactivated language (baseline
/// first), columns = evaluated language, annotated Δ PPL, diverging colours centred on 0, a colour bar.
///
/// ```swift
/// let doc = try PerplexityDocument.read(url)
/// try PerplexityFigures.write(doc, to: outDir)   // ppl_delta.png + ppl_delta.svg
/// ```
public enum PerplexityFigures {
    public static func deltaHeatmap(_ doc: PerplexityDocument) -> Heatmap {
        let rowLabels = doc.rows.map { $0 == PerplexityGrid.baselineRow ? "none (baseline)" : LanguageLabels.label($0) }
        let title = "Δ perplexity after deactivating a language's neurons" + (doc.metadata["classes"].map { " (\($0))" } ?? "")
        let magnitudes = doc.delta.dropFirst().flatMap { $0 }.compactMap { $0 }.filter(\.isFinite).map(abs).sorted()
        let largest = magnitudes.last ?? 0
        // One collapsed column (e.g. a language whose PPL explodes) would wash every other cell out: colours
        // saturate at the 90th percentile of |Δ| when the largest is far beyond it; annotations keep the values.
        let robust = magnitudes.isEmpty ? 0 : magnitudes[min(magnitudes.count - 1, Int(Double(magnitudes.count) * 0.9))]
        let clipped = robust > 0 && largest > 4 * robust
        var map = Heatmap(rowLabels: rowLabels, columnLabels: LanguageLabels.labels(doc.columns), values: doc.delta,
                          scale: .diverging(.coolWarm, center: 0, halfRange: clipped ? robust : nil), title: title)
        map.rowAxisTitle = "deactivated language"
        map.columnAxisTitle = "evaluated language"
        map.annotation = largest >= 100 ? .automatic : .signed(2)
        map.colorBarLabel = clipped ? "Δ PPL (colours clipped at ±\(NumberFormat.automatic.string(robust)))" : "Δ PPL"
        map.rowSeparators = [0]
        return map
    }

    /// Perplexity of every cell (sequential colours), for the report.
    public static func perplexityHeatmap(_ doc: PerplexityDocument) -> Heatmap {
        let rowLabels = doc.rows.map { $0 == PerplexityGrid.baselineRow ? "none (baseline)" : LanguageLabels.label($0) }
        var map = Heatmap(rowLabels: rowLabels, columnLabels: LanguageLabels.labels(doc.columns), values: doc.perplexity,
                          scale: .sequential(.oranges), title: "Perplexity")
        map.rowAxisTitle = "deactivated language"; map.columnAxisTitle = "evaluated language"
        map.annotation = .automatic; map.colorBarLabel = "PPL"; map.rowSeparators = [0]
        return map
    }

    /// Writes `ppl_delta.png` and `ppl_delta.svg`.
    @discardableResult
    public static func write(_ doc: PerplexityDocument, to directory: URL) throws -> [URL] {
        let files = try Figure(deltaHeatmap(doc)).write(to: directory, name: "ppl_delta")
        return [files.png, files.svg]
    }
}
