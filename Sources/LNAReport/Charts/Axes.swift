import Foundation

/// A value axis mapped onto a pixel span: linear with nice ticks, or logarithmic (base 10) with ticks at powers of ten.
struct LinearAxis {
    var tickValues: [Double]
    var tickDecimals: Int
    var lower: Double
    var upper: Double
    var logarithmic: Bool
    /// Pixel positions of `lower` and `upper`.
    var start: Double
    var end: Double

    init(lower: Double, upper: Double, start: Double, end: Double, fixed: ClosedRange<Double>?, targetTicks: Int = 5,
         logarithmic: Bool = false) {
        self.start = start; self.end = end; self.logarithmic = logarithmic
        if logarithmic {
            // Non-positive values cannot be shown; the axis spans whole decades around the positive data.
            let lo = fixed?.lowerBound ?? lower, hi = fixed?.upperBound ?? upper
            var first = log10(lo > 0 && lo.isFinite ? lo : 1).rounded(.down)
            var last = log10(hi > 0 && hi.isFinite ? hi : 10).rounded(.up)
            if let fixed, fixed.lowerBound > 0 { first = log10(fixed.lowerBound); last = log10(max(fixed.upperBound, fixed.lowerBound * 10)) }
            if last <= first { last = first + 1 }
            self.lower = pow(10, first); self.upper = pow(10, last)
            tickValues = stride(from: first.rounded(.up), through: last, by: 1).map { pow(10, $0) }
            tickDecimals = max(0, Int(-first.rounded(.down)))
            return
        }
        let ticks: NiceTicks
        if let fixed {
            ticks = NiceTicks(lower: fixed.lowerBound, upper: fixed.upperBound, targetCount: targetTicks)
            self.lower = fixed.lowerBound; self.upper = fixed.upperBound
        } else {
            ticks = NiceTicks(lower: lower, upper: upper, targetCount: targetTicks)
            self.lower = ticks.lower; self.upper = ticks.upper
        }
        if self.upper <= self.lower { self.upper = self.lower + 1 }
        tickValues = ticks.values; tickDecimals = ticks.decimals
    }

    func position(_ v: Double) -> Double {
        if logarithmic {
            let t = (log10(max(v, lower)) - log10(lower)) / (log10(upper) - log10(lower))
            return start + t * (end - start)
        }
        return start + (v - lower) / (upper - lower) * (end - start)
    }

    /// Where bars start: 0 on a linear axis (clamped into range), the bottom of a logarithmic one.
    var baseline: Double { logarithmic ? lower : min(max(0, lower), upper) }

    var visibleTicks: [Double] {
        let tolerance = (upper - lower) * 1e-9
        return tickValues.filter { $0 >= lower - tolerance && $0 <= upper + tolerance }
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
        explicit ?? .ticks(decimals: axis.tickDecimals)
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
