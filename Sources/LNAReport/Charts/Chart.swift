/// Anything that lays itself out as a `Scene`. Layout measures text with the font library so that the PNG and
/// the SVG agree on sizes.
///
/// ```swift
/// struct Blank: Chart {
///     func scene(fonts: FontLibrary) throws -> Scene { Scene(width: 10, height: 10) }
/// }
/// let figure = Figure(Blank())
/// ```
public protocol Chart: Sendable {
    func scene(fonts: FontLibrary) throws -> Scene
}

/// Font sizes and spacing shared by the charts (user units = CSS px; PNGs are drawn at `Figure.pngScale`).
///
/// ```swift
/// var style = ChartStyle()
/// style.labelSize = 14
/// ```
public struct ChartStyle: Sendable, Hashable {
    public var titleSize: Double = 16
    public var labelSize: Double = 13
    public var tickSize: Double = 12
    public var annotationSize: Double = 12
    public var margin: Double = 14
    public var textColor: Color = .ink
    public var axisColor: Color = Color(hex: 0x555555)
    public var gridColor: Color = .grid

    /// The default style: `var s = ChartStyle(); s.tickSize = 13`.
    public init() {}
}

/// Text measurement shortcuts used during layout.
struct Measure {
    let fonts: FontLibrary
    func width(_ s: String, _ size: Double, _ weight: FontWeight = .regular) -> Double {
        s.isEmpty ? 0 : fonts.measure(s, size: size, weight: weight)
    }
    func maxWidth(_ strings: [String], _ size: Double, _ weight: FontWeight = .regular) -> Double {
        strings.map { width($0, size, weight) }.max() ?? 0
    }
}

extension SceneItem {
    /// The item moved by (dx, dy).
    func offset(dx: Double, dy: Double) -> SceneItem {
        func m(_ p: Point) -> Point { Point(x: p.x + dx, y: p.y + dy) }
        switch self {
        case .rect(let r, let f, let s, let w, let t):
            return .rect(Rect(x: r.x + dx, y: r.y + dy, width: r.width, height: r.height), fill: f, stroke: s, strokeWidth: w, tooltip: t)
        case .polyline(let pts, let c, let w, let d): return .polyline(pts.map(m), color: c, width: w, dash: d)
        case .circle(let c, let r, let f): return .circle(center: m(c), radius: r, fill: f)
        case .polygon(let pts, let f): return .polygon(pts.map(m), fill: f)
        case .text(let s, let at, let st): return .text(s, at: m(at), style: st)
        }
    }
}
