import Foundation
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
    /// Name (file stem), caption and chart of every figure.
    public static func all(_ masks: MaskSet) -> [(name: String, caption: String, chart: any Chart)] {
        [
            ("classes_per_layer", "Distinct neurons per layer by class: specific (1 language), related (2…K−1), general (all K) — Figure 3.", classesPerLayer(masks)),
            ("shared_by_n", "Neurons shared by exactly N languages (the N-histogram) — Figure 5.", sharedByN(masks)),
            ("language_overlap", "Neurons in the masks of both languages (row ∩ column); the diagonal is each mask's size.", overlap(masks)),
            ("language_per_layer", "Each language's mask neurons per layer.", perLanguagePerLayer(masks)),
        ]
    }

    public static func classesPerLayer(_ masks: MaskSet) -> BarChart {
        let classes = NeuronClasses(masks: masks)
        var chart = BarChart(categories: (0..<masks.layers).map(String.init),
                             series: NeuronClass.allCases.map { BarSeries(name: $0.rawValue, values: (classes.perLayer[$0] ?? []).map(Double.init)) },
                             mode: .stacked, title: "Language neurons per layer by class")
        chart.xAxisTitle = "layer"; chart.yAxisTitle = "neurons"
        return chart
    }

    public static func sharedByN(_ masks: MaskSet) -> Histogram {
        let appear = masks.appear
        var chart = Histogram(labels: (1..<appear.count).map(String.init), counts: appear.dropFirst().map(Double.init),
                              title: "Neurons shared by N languages")
        chart.xAxisTitle = "N (languages whose mask holds the neuron)"; chart.yAxisTitle = "neurons"
        return chart
    }

    public static func overlap(_ masks: MaskSet) -> Heatmap {
        let labels = LanguageLabels.labels(masks.languages)
        var map = Heatmap(rowLabels: labels, columnLabels: labels,
                          values: masks.languageOverlapMatrix.map { $0.map { Double($0) } },
                          scale: .sequential(.oranges), title: "Mask overlap between languages")
        map.annotation = .integer; map.colorBarLabel = "shared neurons"
        return map
    }

    public static func perLanguagePerLayer(_ masks: MaskSet) -> LineChart {
        var chart = LineChart(series: masks.languages.enumerated().map { k, lang in
            LineSeries(name: LanguageLabels.label(lang), values: masks.sizesPerLayer[k].map(Double.init))
        }, title: "Mask neurons per layer and language")
        chart.xAxisTitle = "layer"; chart.yAxisTitle = "neurons"
        return chart
    }

    /// Writes every figure as PNG and SVG into `directory`; returns the files written.
    @discardableResult
    public static func write(_ masks: MaskSet, to directory: URL) throws -> [URL] {
        try all(masks).flatMap { entry -> [URL] in
            let files = try Figure(entry.chart).write(to: directory, name: entry.name)
            return [files.png, files.svg]
        }
    }
}
