/// How a text item is placed relative to its anchor point.
///
/// ```swift
/// let label = TextStyle(size: 13, anchor: .end, baseline: .middle)
/// let yTitle = TextStyle(size: 13, anchor: .middle, rotation: .up)
/// ```
public struct TextStyle: Sendable, Hashable {
    /// Which end of the text sits on the anchor point (along the reading direction).
    public enum Anchor: Sendable, Hashable { case start, middle, end }
    /// Which part of the line sits on the anchor's y: the alphabetic baseline, the middle of lower-case/
    /// capital letters, or the top of capitals.
    public enum Baseline: Sendable, Hashable { case alphabetic, middle, top }
    /// `.up` reads from bottom to top (rotated 90° counter-clockwise).
    public enum Rotation: Sendable, Hashable { case none, up }

    public var size: Double
    public var weight: FontWeight
    public var color: Color
    public var anchor: Anchor
    public var baseline: Baseline
    public var rotation: Rotation

    /// `TextStyle(size: 16, weight: .bold, anchor: .middle, baseline: .top)`.
    public init(size: Double = 13, weight: FontWeight = .regular, color: Color = .ink, anchor: Anchor = .start,
                baseline: Baseline = .alphabetic, rotation: Rotation = .none) {
        self.size = size; self.weight = weight; self.color = color
        self.anchor = anchor; self.baseline = baseline; self.rotation = rotation
    }

    /// Distance from the anchor to the alphabetic baseline, across the text direction.
    var baselineShift: Double {
        switch baseline {
        case .alphabetic: return 0
        case .middle: return size * 0.36
        case .top: return size * 0.76
        }
    }
}

/// One drawing primitive of a `Scene`.
public enum SceneItem: Sendable, Equatable {
    /// A filled rectangle, optionally outlined; `tooltip` becomes an SVG `<title>`.
    case rect(Rect, fill: Color, stroke: Color? = nil, strokeWidth: Double = 1, tooltip: String? = nil)
    /// A polyline; `dash` is a list of on/off lengths (empty for solid).
    case polyline([Point], color: Color, width: Double, dash: [Double] = [])
    case circle(center: Point, radius: Double, fill: Color)
    case polygon([Point], fill: Color)
    case text(String, at: Point, style: TextStyle)
}

/// A chart as a list of primitives in user units (1 unit = 1 CSS px). The same scene is rendered to PNG
/// (`RasterRenderer`) and to SVG (`SVGRenderer`), so both files always show the same picture.
///
/// ```swift
/// var scene = Scene(width: 200, height: 100)
/// scene.items.append(.rect(Rect(x: 10, y: 10, width: 50, height: 30), fill: Color(hex: 0x1F77B4)))
/// scene.items.append(.text("hello", at: Point(x: 70, y: 30), style: TextStyle()))
/// ```
public struct Scene: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public var background: Color
    public var items: [SceneItem]
    /// Short description used as the SVG `<title>` and the HTML `alt` text.
    public var title: String

    /// An empty scene of the given size in user units.
    public init(width: Double, height: Double, background: Color = .white, items: [SceneItem] = [], title: String = "") {
        self.width = width; self.height = height; self.background = background; self.items = items; self.title = title
    }

    /// Every text string in the scene, in drawing order (handy for tests and accessibility).
    public var texts: [String] {
        items.compactMap { if case .text(let s, _, _) = $0 { return s } else { return nil } }
    }
}
