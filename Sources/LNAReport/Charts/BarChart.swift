/// One named series of a bar chart: a value per category.
///
/// ```swift
/// let specific = BarSeries(name: "language-specific", values: [12, 30, 41])
/// ```
public struct BarSeries: Sendable, Hashable {
    public var name: String
    public var values: [Double]
    /// nil picks the next categorical colour.
    public var color: Color?

    /// `BarSeries(name: "general", values: [3, 4], color: Color(hex: 0x2CA02C))`.
    public init(name: String, values: [Double], color: Color? = nil) {
        self.name = name; self.values = values; self.color = color
    }
}

/// Bars of several series over categories, side by side (`.grouped`) or on top of each other (`.stacked`).
/// Used for layer-wise neuron counts (categories = layers) and, with one series, for histograms.
///
/// ```swift
/// var chart = BarChart(categories: (0..<24).map(String.init),
///                      series: [BarSeries(name: "specific", values: a), BarSeries(name: "related", values: b),
///                               BarSeries(name: "general", values: c)],
///                      mode: .stacked)
/// chart.title = "Neurons per layer"; chart.xAxisTitle = "layer"; chart.yAxisTitle = "neurons"
/// try Figure(chart).write(to: dir, name: "layers")
/// ```
public struct BarChart: Chart {
    /// `.grouped` puts series side by side, `.stacked` on top of each other.
    public enum Mode: Sendable, Hashable { case grouped, stacked }

    public var categories: [String]
    public var series: [BarSeries]
    public var mode: Mode
    public var title: String?
    public var xAxisTitle: String?
    public var yAxisTitle: String?
    /// Fixed value range (default: from 0, or the data's minimum if negative, to a nice maximum).
    public var valueRange: ClosedRange<Double>?
    /// Logarithmic value axis (base 10) for heavy-tailed counts; values ≤ 0 draw no bar.
    public var logScale = false
    public var tickFormat: NumberFormat?
    /// Print each bar's value above it (grouped mode, or the stack total in stacked mode).
    public var valueLabels: NumberFormat?
    /// Legend on the right; default shows it when there are two or more series.
    public var showLegend: Bool?
    /// Width of the plotting area (height is `plotHeight`); nil sizes it from the number of bars.
    public var plotWidth: Double?
    public var plotHeight: Double = 280
    public var style = ChartStyle()

    /// `BarChart(categories: ["0", "1"], series: [s], mode: .stacked, title: "per layer")`.
    public init(categories: [String], series: [BarSeries], mode: Mode = .grouped, title: String? = nil) {
        self.categories = categories; self.series = series; self.mode = mode; self.title = title
    }

    /// Series side by side in each category: `BarChart.grouped(categories: layers, series: classes)`.
    public static func grouped(categories: [String], series: [BarSeries], title: String? = nil) -> BarChart {
        BarChart(categories: categories, series: series, mode: .grouped, title: title)
    }

    /// Series stacked in each category: `BarChart.stacked(categories: layers, series: classes)`.
    public static func stacked(categories: [String], series: [BarSeries], title: String? = nil) -> BarChart {
        BarChart(categories: categories, series: series, mode: .stacked, title: title)
    }

    func validate() throws {
        guard !categories.isEmpty else { throw ReportError.invalidChart("bar chart '\(title ?? "")' has no categories") }
        guard !series.isEmpty else { throw ReportError.invalidChart("bar chart '\(title ?? "")' has no series") }
        for s in series where s.values.count != categories.count {
            throw ReportError.invalidChart("bar series '\(s.name)' has \(s.values.count) values for \(categories.count) categories")
        }
    }

    private func color(_ i: Int) -> Color { series[i].color ?? Palette.seriesColor(i) }

    private func valueExtent() -> (Double, Double) {
        var lo = 0.0, hi = 0.0
        switch mode {
        case .grouped:
            for s in series { for v in s.values where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        case .stacked:
            for c in categories.indices {
                var pos = 0.0, neg = 0.0
                for s in series where s.values[c].isFinite { if s.values[c] >= 0 { pos += s.values[c] } else { neg += s.values[c] } }
                lo = min(lo, neg); hi = max(hi, pos)
            }
        }
        if hi == lo { hi = lo + 1 }
        return (lo, hi)
    }

    /// Lays the chart out; throws `ReportError.invalidChart` when a series has the wrong number of values.
    public func scene(fonts: FontLibrary) throws -> Scene {
        try validate()
        let m = Measure(fonts: fonts)
        let s = style
        let legend = Legend(entries: series.indices.map { Legend.Entry(name: series[$0].name, color: color($0), key: .swatch) }, style: s)
        let legendShown = showLegend ?? (series.count > 1)
        let legendSize: (width: Double, height: Double) = legendShown ? legend.size(m) : (0, 0)

        let (lo, hi) = valueExtent()
        // A provisional axis tells the tick labels, whose width decides the left margin.
        let positive = series.flatMap(\.values).filter { $0 > 0 && $0.isFinite }
        let axisLower = logScale ? positive.min() ?? 1 : lo
        let axisUpper = hi * (valueLabels == nil ? 1 : (logScale ? 2 : 1.08))
        let provisional = LinearAxis(lower: axisLower, upper: axisUpper, start: 0, end: 1, fixed: valueRange, logarithmic: logScale)
        let format = AxisDrawing.tickFormat(provisional, tickFormat)
        let tickLabelWidth = m.maxWidth(provisional.visibleTicks.map(format.string), s.tickSize)
        let left = s.margin + (yAxisTitle == nil ? 0 : s.labelSize * 1.8) + tickLabelWidth + 8
        let top = s.margin + (title == nil ? s.labelSize * 0.5 : s.titleSize * 2)

        let barsPerCategory = mode == .grouped ? Double(series.count) : 1
        // Printed values need room above each bar (one label per bar, or per stack).
        let valueLabelWidth = valueLabels.map { f in
            m.maxWidth(series.flatMap { $0.values }.filter(\.isFinite).map(f.string), s.annotationSize)
        } ?? 0
        let perBarLabel = valueLabelWidth > 0 ? (valueLabelWidth + 6) / (mode == .grouped ? 0.8 : 0.7) : 0
        let slot = max(14, min(64, 12 * barsPerCategory + 8), perBarLabel * (mode == .grouped ? barsPerCategory : 1))
        let width = plotWidth ?? max(240, slot * Double(categories.count))
        let slotWidth = width / Double(categories.count)
        let labelWidth = m.maxWidth(categories, s.tickSize)
        // Category labels: every one when they fit; short ones (layer numbers) thinned out; long ones rotated.
        let needed = labelWidth + 6
        let rotate = needed > slotWidth && labelWidth > s.tickSize * 3
        let stride = rotate ? max(1, Int((s.tickSize * 1.3 / slotWidth).rounded(.up)))
            : [1, 2, 5, 10, 20, 50, 100, 200, 500].first { Double($0) * slotWidth >= needed } ?? categories.count
        let xLabelBand = rotate ? labelWidth + 10 : s.tickSize * 1.7

        let plot = Rect(x: left, y: top, width: width, height: AxisDrawing.plotHeight(plotHeight, yTitle: yAxisTitle, style: s, measure: m))
        let axis = LinearAxis(lower: axisLower, upper: axisUpper, start: plot.maxY, end: plot.y, fixed: valueRange, logarithmic: logScale)
        var items = AxisDrawing.yAxis(axis, plot: plot, format: format, style: s)

        let zeroY = axis.position(axis.baseline)
        for c in categories.indices {
            let slotX = plot.x + Double(c) * slotWidth
            switch mode {
            case .grouped:
                let inner = slotWidth * 0.8, barW = inner / Double(series.count)
                for (i, ser) in series.enumerated() where ser.values[c].isFinite && (!logScale || ser.values[c] > 0) {
                    let v = ser.values[c]
                    let y = axis.position(v)
                    let x = slotX + slotWidth * 0.1 + Double(i) * barW
                    // A non-zero value keeps at least a hairline, so it never looks like a missing bar.
                    let h = v == 0 ? 0 : max(1, abs(zeroY - y))
                    items.append(.rect(Rect(x: x, y: v > 0 ? zeroY - h : zeroY, width: max(1, barW - (series.count > 1 ? 1 : 0)), height: h),
                                       fill: color(i), tooltip: "\(ser.name), \(categories[c]): \((valueLabels ?? .automatic).string(v))"))
                    if let valueLabels, series.count == 1 || barW >= 22 {
                        items.append(.text(valueLabels.string(v), at: Point(x: x + barW / 2, y: min(y, zeroY) - 3),
                                           style: TextStyle(size: s.annotationSize, color: s.textColor, anchor: .middle)))
                    }
                }
            case .stacked:
                var pos = 0.0, neg = 0.0
                let barW = slotWidth * 0.7, x = slotX + slotWidth * 0.15
                for (i, ser) in series.enumerated() where ser.values[c].isFinite {
                    let v = ser.values[c]
                    let base = v >= 0 ? pos : neg
                    let y0 = axis.position(base), y1 = axis.position(base + v)
                    if v >= 0 { pos += v } else { neg += v }
                    items.append(.rect(Rect(x: x, y: min(y0, y1), width: barW, height: abs(y1 - y0)), fill: color(i),
                                       tooltip: "\(ser.name), \(categories[c]): \((valueLabels ?? .automatic).string(v))"))
                }
                if let valueLabels {
                    items.append(.text(valueLabels.string(pos + neg), at: Point(x: x + barW / 2, y: axis.position(pos) - 3),
                                       style: TextStyle(size: s.annotationSize, color: s.textColor, anchor: .middle)))
                }
            }
            if c % stride == 0 {
                let cx = slotX + slotWidth / 2
                if rotate {
                    items.append(.text(categories[c], at: Point(x: cx, y: plot.maxY + 6),
                                       style: TextStyle(size: s.tickSize, color: s.textColor, anchor: .end, baseline: .middle, rotation: .up)))
                } else {
                    items.append(.text(categories[c], at: Point(x: cx, y: plot.maxY + 5),
                                       style: TextStyle(size: s.tickSize, color: s.textColor, anchor: .middle, baseline: .top)))
                }
            }
        }
        items += AxisDrawing.frameLines(plot: plot, style: s)
        if !logScale && axis.lower < 0 {
            items.append(.polyline([Point(x: plot.x, y: zeroY), Point(x: plot.maxX, y: zeroY)], color: s.axisColor, width: 1))
        }
        items += AxisDrawing.titles(title: title, xTitle: xAxisTitle, yTitle: yAxisTitle, plot: plot, xLabelBand: xLabelBand, style: s, measure: m)
        var sceneWidth = plot.maxX + s.margin
        if legendShown {
            items += legend.items(x: plot.maxX + 16, y: plot.y)
            sceneWidth = plot.maxX + 16 + legendSize.width + s.margin
        }
        if let title { sceneWidth = max(sceneWidth, m.width(title, s.titleSize, .bold) + 2 * s.margin) }
        sceneWidth = max(sceneWidth, AxisDrawing.widthForXTitle(xAxisTitle, plot: plot, style: s, measure: m))
        let bottom = plot.maxY + xLabelBand + (xAxisTitle == nil ? 0 : s.labelSize * 2)
        let height = max(bottom, plot.y + legendSize.height) + s.margin
        return Scene(width: sceneWidth.rounded(.up), height: height.rounded(.up), items: items,
                     title: title ?? "bar chart of \(series.map(\.name).joined(separator: ", "))")
    }
}
