/// A vertical legend: one row per series with a swatch (bars) or a line with its marker (lines).
struct Legend {
    enum Key { case swatch, line(MarkerShape, dash: [Double]) }
    struct Entry { var name: String; var color: Color; var key: Key }

    var entries: [Entry]
    var style: ChartStyle

    var rowHeight: Double { style.labelSize * 1.55 }

    func size(_ m: Measure) -> (width: Double, height: Double) {
        guard !entries.isEmpty else { return (0, 0) }
        return (28 + m.maxWidth(entries.map(\.name), style.labelSize), Double(entries.count) * rowHeight)
    }

    func items(x: Double, y: Double) -> [SceneItem] {
        var out = [SceneItem]()
        for (i, e) in entries.enumerated() {
            let cy = y + rowHeight * (Double(i) + 0.5)
            switch e.key {
            case .swatch:
                out.append(.rect(Rect(x: x, y: cy - 6, width: 18, height: 12), fill: e.color))
            case .line(let marker, let dash):
                out.append(.polyline([Point(x: x, y: cy), Point(x: x + 20, y: cy)], color: e.color, width: 2, dash: dash))
                out += marker.items(at: Point(x: x + 10, y: cy), size: 4, color: e.color)
            }
            out.append(.text(e.name, at: Point(x: x + 26, y: cy), style: TextStyle(size: style.labelSize, color: style.textColor, baseline: .middle)))
        }
        return out
    }
}

/// Shapes drawn at data points of a line chart.
///
/// ```swift
/// let s = LineSeries(name: "en", points: [(1, 0.2), (2, 0.5)], marker: .square)
/// ```
public enum MarkerShape: Sendable, Hashable, CaseIterable {
    case circle, square, triangle, diamond, none

    /// The marker for series `i`, cycling through the visible shapes.
    public static func forSeries(_ i: Int) -> MarkerShape {
        let visible: [MarkerShape] = [.circle, .square, .triangle, .diamond]
        return visible[i % visible.count]
    }

    func items(at c: Point, size r: Double, color: Color) -> [SceneItem] {
        switch self {
        case .none: return []
        case .circle: return [.circle(center: c, radius: r, fill: color)]
        case .square: return [.rect(Rect(x: c.x - r * 0.9, y: c.y - r * 0.9, width: r * 1.8, height: r * 1.8), fill: color)]
        case .triangle:
            return [.polygon([Point(x: c.x, y: c.y - r * 1.2), Point(x: c.x + r * 1.1, y: c.y + r * 0.8),
                              Point(x: c.x - r * 1.1, y: c.y + r * 0.8)], fill: color)]
        case .diamond:
            return [.polygon([Point(x: c.x, y: c.y - r * 1.3), Point(x: c.x + r * 1.1, y: c.y),
                              Point(x: c.x, y: c.y + r * 1.3), Point(x: c.x - r * 1.1, y: c.y)], fill: color)]
        }
    }
}
