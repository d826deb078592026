/// A value axis (linear) mapped onto a pixel span.
struct LinearAxis {
    var ticks: NiceTicks
    var lower: Double
    var upper: Double
    /// Pixel positions of `lower` and `upper`.
    var start: Double
    var end: Double

    init(lower: Double, upper: Double, start: Double, end: Double, fixed: ClosedRange<Double>?, targetTicks: Int = 5) {
        if let fixed {
            ticks = NiceTicks(lower: fixed.lowerBound, upper: fixed.upperBound, targetCount: targetTicks)
            self.lower = fixed.lowerBound; self.upper = fixed.upperBound
        } else {
            ticks = NiceTicks(lower: lower, upper: upper, targetCount: targetTicks)
            self.lower = ticks.lower; self.upper = ticks.upper
        }
        if self.upper <= self.lower { self.upper = self.lower + 1 }
        self.start = start; self.end = end
    }

    func position(_ v: Double) -> Double { start + (v - lower) / (upper - lower) * (end - start) }

    var visibleTicks: [Double] {
        ticks.values.filter { $0 >= lower - (upper - lower) * 1e-9 && $0 <= upper + (upper - lower) * 1e-9 }
    }
}


enum AxisDrawing {
    /// Horizontal grid lines and y tick labels, plus the left and bottom axis lines.
    static func yAxis(_ axis: LinearAxis, plot: Rect, format: NumberFormat, style s: ChartStyle) -> [SceneItem] {
        var items = [SceneItem]()
        for v in axis.visibleTicks {
            let y = axis.position(v)
            items.append(.polyline([Point(x: plot.x, y: y), Point(x: plot.maxX, y: y)], color: s.gridColor, width: 1))
            items.append(.text(format.string(v), at: Point(x: plot.x - 6, y: y),
                               style: TextStyle(size: s.tickSize, color: s.textColor, anchor: .end, baseline: .middle)))
        }
        return items
    }

    static func frameLines(plot: Rect, style s: ChartStyle) -> [SceneItem] {
        [.polyline([Point(x: plot.x, y: plot.y), Point(x: plot.x, y: plot.maxY), Point(x: plot.maxX, y: plot.maxY)],
                   color: s.axisColor, width: 1)]
    }

    static func tickFormat(_ axis: LinearAxis, _ explicit: NumberFormat?) -> NumberFormat {
        if let explicit { return explicit }
        let magnitude = max(abs(axis.lower), abs(axis.upper))
        if magnitude >= 10_000, axis.ticks.decimals == 0 { return .integer }
        return .fixed(axis.ticks.decimals)
    }

    /// Title, y title and x title placement around a plot whose left/bottom label bands are known.
    static func titles(title: String?, xTitle: String?, yTitle: String?, plot: Rect, xLabelBand: Double,
                       style s: ChartStyle, measure m: Measure) -> [SceneItem] {
        var items = [SceneItem]()
        if let title {
            items.append(.text(title, at: Point(x: s.margin, y: s.margin), style: TextStyle(size: s.titleSize, weight: .bold, color: s.textColor, baseline: .top)))
        }
        if let xTitle {
            // Centred under the plot, but never cut off at the left edge.
            let centerX = max(plot.midX, s.margin + m.width(xTitle, s.labelSize, .bold) / 2)
            items.append(.text(xTitle, at: Point(x: centerX, y: plot.maxY + xLabelBand + 4),
                               style: TextStyle(size: s.labelSize, weight: .bold, color: s.textColor, anchor: .middle, baseline: .top)))
        }
        if let yTitle {
            items.append(.text(yTitle, at: Point(x: s.margin, y: plot.midY),
                               style: TextStyle(size: s.labelSize, weight: .bold, color: s.textColor, anchor: .middle, baseline: .top, rotation: .up)))
        }
        return items
    }
}

extension AxisDrawing {
    /// Width the scene needs so a centred x title is not cut off at the right.
    static func widthForXTitle(_ xTitle: String?, plot: Rect, style s: ChartStyle, measure m: Measure) -> Double {
        guard let xTitle else { return 0 }
        let w = m.width(xTitle, s.labelSize, .bold)
        return max(plot.midX, s.margin + w / 2) + w / 2 + s.margin
    }

    /// Plot height that leaves room for the rotated y title.
    static func plotHeight(_ requested: Double, yTitle: String?, style s: ChartStyle, measure m: Measure) -> Double {
        max(requested, (yTitle.map { m.width($0, s.labelSize, .bold) } ?? 0) + 10)
    }
}
