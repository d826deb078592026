/// One named line: (x, y) points drawn in x order as given; non-finite points break the line.
///
/// ```swift
/// let zh = LineSeries(name: "中文", points: [(1, 0.05), (2, 0.31), (4, 0.77)])
/// ```
public struct LineSeries: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    public var color: Color?
    /// nil cycles through circle, square, triangle, diamond.
    public var marker: MarkerShape?
    public var dashed: Bool

    /// `LineSeries(name: "zh", points: [(1, 0.2), (2, 0.6)], dashed: true)`.
    public init(name: String, points: [(x: Double, y: Double)], color: Color? = nil, marker: MarkerShape? = nil, dashed: Bool = false) {
        self.name = name; self.points = points; self.color = color; self.marker = marker; self.dashed = dashed
    }

    /// A series over x = 0, 1, 2, … (e.g. layers).
    public init(name: String, values: [Double], color: Color? = nil, marker: MarkerShape? = nil) {
        self.init(name: name, points: values.enumerated().map { (Double($0.offset), $0.element) }, color: color, marker: marker)
    }
}

/// Lines with markers over a numeric x axis, with legend and axis titles. Used for per-language neurons per layer
/// and for output shares against an amplification factor.
///
/// ```swift
/// var chart = LineChart(series: [zh, en])
/// chart.title = "Share of outputs in the target language"
/// chart.xAxisTitle = "amplification factor"; chart.yAxisTitle = "share"
/// chart.yRange = 0...1; chart.yTickFormat = .fractionAsPercent(0)
/// try Figure(chart).write(to: dir, name: "steer-share")
/// ```
public struct LineChart: Chart {
    public var series: [LineSeries]
    public var title: String?
    public var xAxisTitle: String?
    public var yAxisTitle: String?
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// Logarithmic y axis (base 10); points with y ≤ 0 break the line.
    public var yLogScale = false
    public var xTickFormat: NumberFormat?
    public var yTickFormat: NumberFormat?
    /// Use exactly these x positions as ticks (e.g. the amplification factors tried).
    public var xTicks: [Double]?
    public var showMarkers = true
    /// Legend on the right; default shows it when there are two or more series.
    public var showLegend: Bool?
    public var plotWidth: Double = 480
    public var plotHeight: Double = 280
    public var lineWidth: Double = 2
    public var style = ChartStyle()

    /// `LineChart(series: [s1, s2], title: "Share vs factor")`; set axis titles and ranges afterwards.
    public init(series: [LineSeries], title: String? = nil) {
        self.series = series; self.title = title
    }

    private func color(_ i: Int) -> Color { series[i].color ?? Palette.seriesColor(i) }
    private func marker(_ i: Int) -> MarkerShape { showMarkers ? (series[i].marker ?? MarkerShape.forSeries(i)) : .none }
    private func dash(_ i: Int) -> [Double] {
        // Beyond the ten categorical colours, dashes keep repeated colours apart.
        series[i].dashed || (series[i].color == nil && i >= Palette.categorical.count) ? [6, 4] : []
    }

    /// Lays the chart out; throws `ReportError.invalidChart` without series or finite points.
    public func scene(fonts: FontLibrary) throws -> Scene {
        guard !series.isEmpty else { throw ReportError.invalidChart("line chart '\(title ?? "")' has no series") }
        let finite = series.flatMap { $0.points.filter { $0.x.isFinite && $0.y.isFinite } }
        guard !finite.isEmpty || (xRange != nil && yRange != nil) else {
            throw ReportError.invalidChart("line chart '\(title ?? "")' has no finite points")
        }
        let m = Measure(fonts: fonts)
        let s = style
        let xs = finite.map(\.x), ys = finite.map(\.y)
        let xLo = xTicks?.min() ?? xs.min() ?? 0, xHi = xTicks?.max() ?? xs.max() ?? 1
        let yLo = ys.min() ?? 0, yHi = ys.max() ?? 1

        let yPositiveLow = ys.filter { $0 > 0 }.min() ?? 1
        let provisionalY = LinearAxis(lower: yLogScale ? yPositiveLow : yLo, upper: yHi, start: 0, end: 1, fixed: yRange, logarithmic: yLogScale)
        let yFormat = AxisDrawing.tickFormat(provisionalY, yTickFormat)
        let tickLabelWidth = m.maxWidth(provisionalY.visibleTicks.map(yFormat.string), s.tickSize)
        let left = s.margin + (yAxisTitle == nil ? 0 : s.labelSize * 1.8) + tickLabelWidth + 8
        let top = s.margin + (title == nil ? s.labelSize * 0.5 : s.titleSize * 2)
        let plot = Rect(x: left, y: top, width: plotWidth, height: AxisDrawing.plotHeight(plotHeight, yTitle: yAxisTitle, style: s, measure: m))

        // x axis: exact range of the data (lines should touch both sides) unless fixed.
        var xAxis = LinearAxis(lower: xLo, upper: xHi, start: plot.x, end: plot.maxX, fixed: xRange ?? (xLo < xHi ? xLo...xHi : nil))
        if xLo == xHi && xRange == nil { xAxis = LinearAxis(lower: xLo - 1, upper: xHi + 1, start: plot.x, end: plot.maxX, fixed: (xLo - 1)...(xHi + 1)) }
        let yAxis = LinearAxis(lower: yLogScale ? yPositiveLow : yLo, upper: yHi, start: plot.maxY, end: plot.y, fixed: yRange, logarithmic: yLogScale)
        var items = AxisDrawing.yAxis(yAxis, plot: plot, format: yFormat, style: s)

        let xFormat = xTickFormat ?? AxisDrawing.tickFormat(xAxis, nil)
        var xTickValues = xTicks ?? xAxis.visibleTicks
        // Thin out x ticks whose labels would overlap.
        let xLabelWidth = m.maxWidth(xTickValues.map(xFormat.string), s.tickSize) + 8
        if xTickValues.count > 1 {
            let spacing = plot.width / Double(xTickValues.count - 1)
            let every = max(1, Int((xLabelWidth / spacing).rounded(.up)))
            xTickValues = xTickValues.enumerated().filter { $0.offset % every == 0 }.map(\.element)
        }
        for v in xTickValues {
            let x = xAxis.position(v)
            guard x >= plot.x - 0.5, x <= plot.maxX + 0.5 else { continue }
            items.append(.polyline([Point(x: x, y: plot.maxY), Point(x: x, y: plot.maxY + 4)], color: s.axisColor, width: 1))
            items.append(.text(xFormat.string(v), at: Point(x: x, y: plot.maxY + 6),
                               style: TextStyle(size: s.tickSize, color: s.textColor, anchor: .middle, baseline: .top)))
        }
        items += AxisDrawing.frameLines(plot: plot, style: s)

        for (i, ser) in series.enumerated() {
            var run = [Point]()
            var markers = [Point]()
            func flush() {
                if run.count > 1 { items.append(.polyline(run, color: color(i), width: lineWidth, dash: dash(i))) }
                run.removeAll()
            }
            for p in ser.points {
                guard p.x.isFinite, p.y.isFinite, !yLogScale || p.y > 0 else { flush(); continue }
                let point = Point(x: xAxis.position(p.x), y: yAxis.position(p.y))
                run.append(point); markers.append(point)
            }
            flush()
            for p in markers { items += marker(i).items(at: p, size: 3.5, color: color(i)) }
        }

        let xLabelBand = s.tickSize * 1.9
        items += AxisDrawing.titles(title: title, xTitle: xAxisTitle, yTitle: yAxisTitle, plot: plot, xLabelBand: xLabelBand, style: s, measure: m)
        let legendShown = showLegend ?? (series.count > 1)
        let legend = Legend(entries: series.indices.map {
            Legend.Entry(name: series[$0].name, color: color($0), key: .line(marker($0), dash: dash($0)))
        }, style: s)
        var width = plot.maxX + s.margin + 8
        var legendHeight = 0.0
        if legendShown {
            items += legend.items(x: plot.maxX + 16, y: plot.y)
            let size = legend.size(m)
            width = plot.maxX + 16 + size.width + s.margin
            legendHeight = size.height
        }
        if let title { width = max(width, m.width(title, s.titleSize, .bold) + 2 * s.margin) }
        width = max(width, AxisDrawing.widthForXTitle(xAxisTitle, plot: plot, style: s, measure: m))
        let bottom = plot.maxY + xLabelBand + (xAxisTitle == nil ? 0 : s.labelSize * 2)
        return Scene(width: width.rounded(.up), height: (max(bottom, plot.y + legendHeight) + s.margin).rounded(.up), items: items,
                     title: title ?? "line chart of \(series.map(\.name).joined(separator: ", "))")
    }
}
