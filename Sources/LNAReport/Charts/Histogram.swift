import Foundation

/// Bars of counts: either given per labelled bin (e.g. "neurons shared by N languages", N = 1…k) or computed
/// from raw values with equal-width bins.
///
/// ```swift
/// let shared = Histogram(labels: (1...6).map(String.init), counts: [812, 301, 95, 40, 12, 3])
/// var h = Histogram(values: entropies, binCount: 20)
/// h.title = "Entropy of activation probabilities"; h.xAxisTitle = "entropy"
/// try Figure(shared).write(to: dir, name: "n-histogram")
/// ```
public struct Histogram: Chart {
    public var labels: [String]
    public var counts: [Double]
    public var title: String?
    public var xAxisTitle: String?
    public var yAxisTitle: String? = "count"
    public var color: Color = Palette.categorical[0]
    /// Print each count above its bar.
    public var valueLabels: NumberFormat? = .integer
    public var plotHeight: Double = 260
    /// Logarithmic count axis for heavy tails (bins with 0 draw no bar).
    public var logScale = false
    public var style = ChartStyle()

    /// `Histogram(labels: ["1", "2"], counts: [10, 4], title: "shared by N")`.
    public init(labels: [String], counts: [Double], title: String? = nil) {
        self.labels = labels; self.counts = counts; self.title = title
    }

    /// Equal-width bins over the finite values (labels are the bin centres).
    public init(values: [Double], binCount: Int, range: ClosedRange<Double>? = nil, title: String? = nil) {
        let finite = values.filter(\.isFinite)
        let bins = max(1, binCount)
        var lo = range?.lowerBound ?? finite.min() ?? 0, hi = range?.upperBound ?? finite.max() ?? 1
        if hi <= lo { lo -= 0.5; hi = lo + 1 }
        let width = (hi - lo) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= lo && v <= hi { counts[min(bins - 1, Int((v - lo) / width))] += 1 }
        let centres = (0..<bins).map { lo + (Double($0) + 0.5) * width }
        // The fewest decimals that print every centre exactly (up to 1e-9 of the bin width), at most 6.
        let decimals = (0...6).first { d in
            centres.allSatisfy { c in abs((c * pow(10, Double(d))).rounded() / pow(10, Double(d)) - c) <= width * 1e-9 }
        } ?? 6
        let labels = centres.map { NumberFormat.fixed(decimals).string($0) }
        self.init(labels: labels, counts: counts, title: title)
    }

    /// Lays the histogram out as a one-series bar chart; throws when labels and counts differ in number.
    public func scene(fonts: FontLibrary) throws -> Scene {
        guard labels.count == counts.count else {
            throw ReportError.invalidChart("histogram '\(title ?? "")' has \(labels.count) labels for \(counts.count) counts")
        }
        var bars = BarChart(categories: labels, series: [BarSeries(name: yAxisTitle ?? "count", values: counts, color: color)], title: title)
        bars.xAxisTitle = xAxisTitle; bars.yAxisTitle = yAxisTitle
        bars.valueLabels = valueLabels; bars.plotHeight = plotHeight; bars.style = style
        bars.showLegend = false; bars.logScale = logScale
        return try bars.scene(fonts: fonts)
    }
}
