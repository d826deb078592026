import Foundation
import LNAAnalysis
import LNAData
import LNAReport

/// The figures of `lna experts`: the routing share of every expert for every language, relative to a balanced
/// router (share · E, so ×1 is an even share, red above and blue below on a log scale, like the perplexity
/// ratios), and the language experts per layer by class (the neuron classes figure, with experts as units).
///
/// ```swift
/// let experts = try LanguageExperts(statistics: stats)
/// try ExpertFigures.write(experts, classification: try experts.classify(topRate: 0.25), to: out, order: run.languages)
/// ```
public enum ExpertFigures {
    /// Name (file stem), caption and chart of every figure.
    public static func all(_ experts: LanguageExperts, classification: IdentificationResult,
                           order: [String]? = nil) -> [(name: String, caption: String, chart: any Chart)] {
        [
            ("routing_share", "Routing share of each expert (rows: layer.expert) for each language, relative to a balanced router: share × \(experts.experts) experts, so ×1 is an even share; layers that do not route are blank.",
             routingShare(experts, order: order)),
            ("expert_classes_per_layer", "Language experts per layer: selected by the normalised entropy of their routing probabilities over languages and assigned to the languages above τ — language-specific (1 language), related (2…K−1) — and experts routed above τ in every language (general).",
             classesPerLayer(classification)),
        ]
    }

    /// Rows: every expert of every layer (`ℓ.e`, a line between layers); columns: languages in `order`.
    public static func routingShare(_ experts: LanguageExperts, order: [String]? = nil) -> Heatmap {
        let columns = LanguageLabels.permutation(experts.languages, like: order)
        let routed = Set(experts.routingLayers)
        var rows: [String] = [], values: [[Double?]] = [], separators: Set<Int> = []
        for l in 0..<experts.layers {
            for e in 0..<experts.experts {
                rows.append("\(l).\(e)")
                values.append(columns.map { k in
                    routed.contains(l) ? experts.share(language: k, layer: l, expert: e) * Double(experts.experts) : nil
                })
            }
            if l < experts.layers - 1 { separators.insert(rows.count - 1) }
        }
        var map = Heatmap(rowLabels: rows, columnLabels: columns.map { LanguageLabels.label(experts.languages[$0]) },
                          values: values, scale: .logRatio(.blueWhiteRed), title: "Routing share per language and expert")
        map.rowAxisTitle = "layer.expert"
        map.columnAxisTitle = "language"
        map.annotation = .ratio
        map.colorBarLabel = "share × \(experts.experts) (×1 = balanced), log scale"
        map.rowSeparators = separators
        map.cellHeight = experts.layers * experts.experts > 64 ? 14 : 30
        return map
    }

    /// The classes figure of the neuron masks, retitled for experts.
    public static func classesPerLayer(_ classification: IdentificationResult) -> BarChart {
        var chart = MaskFigures.classesPerLayer(classification.masks, allLanguagePerLayer: classification.population.perLayer)
        chart.title = "Language experts per layer by class"
        chart.yAxisTitle = "experts"
        if let i = chart.series.firstIndex(where: { $0.name == "active in all languages" }) { chart.series[i].name = "general (routed above τ in all languages)" }
        return chart
    }

    /// Writes every figure as PNG and SVG into `directory`; returns the files written.
    @discardableResult
    public static func write(_ experts: LanguageExperts, classification: IdentificationResult, to directory: URL,
                             order: [String]? = nil) throws -> [URL] {
        try all(experts, classification: classification, order: order).flatMap { entry -> [URL] in
            let files = try Figure(entry.chart).write(to: directory, name: entry.name)
            return [files.png, files.svg]
        }
    }
}
