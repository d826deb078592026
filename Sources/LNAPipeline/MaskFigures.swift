import Foundation
import LNAData
import LNAAnalysis
import LNAReport

/// The figures of an identification, computed from the masks alone: layer-wise counts of specific / related /
/// general neurons (Figure 3), the N-histogram of neurons shared by N languages (Figure 5), the language ×
/// language overlap matrix, and each language's mask neurons per layer.
///
/// ```swift
/// let masks = try MaskSet.read(URL(fileURLWithPath: "runs/x/masks.json"))
/// let written = try MaskFigures.write(masks, to: URL(fileURLWithPath: "runs/x/figures"))
/// ```
public enum MaskFigures {
    /// Name (file stem), caption and chart of every figure. `order` (the run's language list) orders languages in
    /// the overlap matrix and the per-language panels; `allLanguagePerLayer` (masks.json's
    /// `active_in_all_languages.per_layer`) adds the all-language neurons to the classes figure.
    public static func all(_ masks: MaskSet, order: [String]? = nil, allLanguagePerLayer: [Int]? = nil) -> [(name: String, caption: String, chart: any Chart)] {
        [
            ("classes_per_layer", "Neurons per layer: language-specific (1 language), related (2…K−1), general (all K masks; empty by construction under the NJUNLP rule) and, when known, every neuron active (p > τ) in all languages, selected or not — the paper's shared neurons (Figure 3).",
             classesPerLayer(masks, allLanguagePerLayer: allLanguagePerLayer)),
            ("shared_by_n", "Neurons shared by exactly N languages (the N-histogram) — Figure 5.", sharedByN(masks)),
            ("language_overlap", "Neurons in the masks of both languages (row ∩ column); the diagonal is each mask's size.", overlap(masks, order: order)),
            ("language_per_layer", "Each language's mask neurons per layer, one panel per language on shared axes.", perLanguagePerLayer(masks, order: order)),
        ]
    }

    /// Grouped bars per layer: specific, related, general (only when a mask set has any) and the all-language
    /// population, side by side (they are different populations, so they are not stacked).
    public static func classesPerLayer(_ masks: MaskSet, allLanguagePerLayer: [Int]? = nil) -> BarChart {
        let classes = NeuronClasses(masks: masks)
        var series = NeuronClass.allCases.compactMap { cls -> BarSeries? in
            let values = (classes.perLayer[cls] ?? []).map(Double.init)
            return cls == .general && !values.contains(where: { $0 > 0 }) ? nil : BarSeries(name: cls.rawValue, values: values)
        }
        if let shared = allLanguagePerLayer, shared.count == masks.layers {
            series.append(BarSeries(name: "active in all languages", values: shared.map(Double.init)))
        }
        var chart = BarChart(categories: (0..<masks.layers).map(String.init), series: series, mode: .grouped,
                             title: "Language neurons per layer by class")
        chart.xAxisTitle = "layer"; chart.yAxisTitle = "neurons"
        return chart
    }

    /// masks.json's per-layer count of neurons active in all languages (nil for files without it, e.g. masks
    /// converted from the original pipelines).
    public static func allLanguagePerLayer(masksJSON url: URL) -> [Int]? {
        guard url.pathExtension == "json", let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let population = object["active_in_all_languages"] as? [String: Any],
              let perLayer = population["per_layer"] as? [NSNumber] else { return nil }
        return perLayer.map(\.intValue)
    }

    public static func sharedByN(_ masks: MaskSet) -> Histogram {
        let appear = masks.appear
        var chart = Histogram(labels: (1..<appear.count).map(String.init), counts: appear.dropFirst().map(Double.init),
                              title: "Neurons shared by N languages")
        chart.xAxisTitle = "N (languages whose mask holds the neuron)"; chart.yAxisTitle = "neurons"
        return chart
    }

    public static func overlap(_ masks: MaskSet, order: [String]? = nil) -> Heatmap {
        let index = LanguageLabels.permutation(masks.languages, like: order)
        let labels = index.map { LanguageLabels.label(masks.languages[$0]) }
        let matrix = masks.languageOverlapMatrix
        var map = Heatmap(rowLabels: labels, columnLabels: labels,
                          values: index.map { r in index.map { c in Double(matrix[r][c]) } },
                          scale: .sequential(.oranges), title: "Mask overlap between languages")
        map.annotation = .integer; map.colorBarLabel = "shared neurons"
        return map
    }

    /// Small multiples: one panel per language (in `order`), the same x and y ranges in every panel.
    public static func perLanguagePerLayer(_ masks: MaskSet, order: [String]? = nil) -> ChartGrid {
        let top = Double(masks.sizesPerLayer.flatMap { $0 }.max() ?? 1)
        let yMax = NiceTicks(lower: 0, upper: max(1, top), targetCount: 3).upper
        let panels: [any Chart] = LanguageLabels.permutation(masks.languages, like: order).map { k in
            var panel = LineChart(series: [LineSeries(name: masks.languages[k], values: masks.sizesPerLayer[k].map(Double.init),
                                                      color: Palette.seriesColor(0))],
                                  title: LanguageLabels.label(masks.languages[k]))
            panel.xAxisTitle = "layer"
            panel.xRange = 0...Double(max(1, masks.layers - 1)); panel.yRange = 0...yMax
            panel.showLegend = false; panel.showMarkers = false
            panel.plotWidth = 190; panel.plotHeight = 110
            panel.style.titleSize = 13
            return panel
        }
        return ChartGrid(charts: panels, columns: min(5, panels.count), title: "Mask neurons per layer and language")
    }

    /// Writes every figure as PNG and SVG into `directory`; returns the files written.
    @discardableResult
    public static func write(_ masks: MaskSet, to directory: URL, order: [String]? = nil, allLanguagePerLayer: [Int]? = nil) throws -> [URL] {
        try all(masks, order: order, allLanguagePerLayer: allLanguagePerLayer).flatMap { entry -> [URL] in
            let files = try Figure(entry.chart).write(to: directory, name: entry.name)
            return [files.png, files.svg]
        }
    }
}
