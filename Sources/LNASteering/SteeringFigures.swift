import LNAData
import LNAReport

/// The figures of the steering experiments, as LNAReport charts (write them with `Figure(chart).write`).
///
/// ```swift
/// try Figure(SteeringFigures.grid(result)).write(to: steeringDir, name: "grid")   // grid.png + grid.svg
/// ```
public enum SteeringFigures {
    /// Success rate (%) per (source, target), rows sources, columns targets, a "no intervention" row on top
    /// (share of unsteered outputs already in each target language). Viridis, 0–100 % (no red–green), languages
    /// labelled and ordered like every other figure (`order`: the run's language list).
    public static func grid(_ result: SteeringGridResult, order: [String]? = nil) -> Heatmap {
        let config = result.config
        let percent: ([Double?]) -> [Double?] = { $0.map { $0.map { $0 * 100 } } }
        let sources = LanguageLabels.permutation(config.sources, like: order)
        let targets = LanguageLabels.permutation(config.targets, like: order)
        let success = result.successMatrix().map(percent), baseline = percent(result.baselineRow())
        let rows = [targets.map { baseline[$0] }] + sources.map { r in targets.map { success[r][$0] } }
        var map = Heatmap(rowLabels: ["no intervention"] + sources.map { LanguageLabels.label(config.sources[$0]) },
                          columnLabels: targets.map { LanguageLabels.label(config.targets[$0]) }, values: rows,
                          scale: .sequential(.viridis, domain: 0...100))
        let mode = config.deactivateSource ? "deactivate source (\(config.deactivation)), " : ""
        map.title = "Language forcing: \(mode)\(config.method.rawValue) α=\(config.alpha) (\(config.model))"
        map.rowAxisTitle = config.deactivateSource ? "source (prompt, deactivated)" : "source (prompt)"
        map.columnAxisTitle = "target (activated)"
        map.annotation = .percent(0)
        map.colorBarLabel = "success"
        map.colorBarFormat = .percent(0)
        map.rowSeparators = [0]
        return map
    }

    /// Share of outputs in the language (%) against the amplification factor.
    public static func amplificationShare(_ sweep: AmplificationSweep) -> LineChart {
        var chart = LineChart(series: [LineSeries(name: sweep.config.language, points: sweep.points.map {
            (x: Double($0.factor), y: $0.targetShare * 100)
        })], title: "Amplifying \(sweep.config.language) neurons: outputs in \(sweep.config.language)")
        chart.xAxisTitle = "factor"
        chart.yAxisTitle = "outputs in \(sweep.config.language) (%)"
        chart.yRange = 0...100
        chart.xTicks = sweep.points.map { Double($0.factor) }
        return chart
    }

    /// Perplexity on the language's texts against the amplification factor (nil when nothing was scored).
    public static func amplificationPerplexity(_ sweep: AmplificationSweep) -> LineChart? {
        let points = sweep.points.compactMap { p in p.perplexity.map { (x: Double(p.factor), y: $0) } }
        guard !points.isEmpty else { return nil }
        var chart = LineChart(series: [LineSeries(name: "PPL", points: points)],
                              title: "Perplexity on \(sweep.config.language) text")
        chart.xAxisTitle = "factor"
        chart.yAxisTitle = "perplexity"
        chart.xTicks = sweep.points.map { Double($0.factor) }
        return chart
    }

    /// Output-language distribution (%) after each deactivation step, stacked.
    public static func fallback(_ experiment: FallbackExperiment) -> BarChart {
        let categories = experiment.steps.map { $0.deactivated.isEmpty ? "none" : "−" + $0.deactivated.joined(separator: ",") }
        let series = experiment.languagesSeen.map { language in
            BarSeries(name: language, values: experiment.steps.map { $0.outputs.share(of: language) * 100 })
        }
        var chart = BarChart(categories: categories, series: series, mode: .stacked,
                             title: "Output language after progressive deactivation")
        chart.xAxisTitle = "languages deactivated"
        chart.yAxisTitle = "outputs (%)"
        chart.valueRange = 0...100
        return chart
    }
}
