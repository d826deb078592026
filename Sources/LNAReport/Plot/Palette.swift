/// A continuous colour ramp given by evenly spaced stops (interpolated in sRGB).
///
/// ```swift
/// let c = Palette.viridis.color(at: 0.5)
/// let ratio = Palette.blueWhiteRed   // diverging: blue … white … red (ColorBrewer RdBu)
/// ```
public struct Palette: Sendable, Hashable {
    public var name: String
    public var stops: [Color]

    /// `Palette(name: "greys", stops: [.white, .black])`; an empty list becomes white → black.
    public init(name: String, stops: [Color]) {
        self.name = name
        self.stops = stops.isEmpty ? [.white, .black] : stops
    }

    /// The colour at `t` in 0...1 (clamped; NaN gives the first stop).
    public func color(at t: Double) -> Color {
        guard stops.count > 1 else { return stops[0] }
        let t = t.isNaN ? 0 : min(1, max(0, t))
        let x = t * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x))
        return Color.mix(stops[i], stops[i + 1], x - Double(i))
    }

    /// The same ramp, reversed.
    public var reversed: Palette { Palette(name: name + "_r", stops: stops.reversed()) }

    private static func hex(_ values: [UInt32]) -> [Color] { values.map(Color.init(hex:)) }

    // Sequential
    /// Perceptually uniform, colour-blind friendly (matplotlib's default), dark purple → yellow.
    public static let viridis = Palette(name: "viridis", stops: hex([0x440154, 0x482878, 0x3E4989, 0x31688E, 0x26828E,
                                                                     0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725]))
    /// White → orange (the original pipeline's overlap matrix used `Oranges`).
    public static let oranges = Palette(name: "oranges", stops: hex([0xFFF5EB, 0xFEE6CE, 0xFDD0A2, 0xFDAE6B, 0xFD8D3C,
                                                                     0xF16913, 0xD94801, 0xA63603, 0x7F2704]))
    /// White → blue.
    public static let blues = Palette(name: "blues", stops: hex([0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6,
                                                                 0x4292C6, 0x2171B5, 0x08519C, 0x08306B]))

    // Diverging (use with a centre). None pairs red with green: both ends stay apart for deuteranopes and protanopes.
    /// Blue → light grey → red (matplotlib `coolwarm`).
    public static let coolWarm = Palette(name: "coolwarm", stops: hex([0x3B4CC0, 0x6788EE, 0x9ABBFF, 0xC9D7F0, 0xEDD1C2,
                                                                       0xF7A889, 0xE26952, 0xB40426]))
    /// Blue → white → red (ColorBrewer `RdBu`, 11 classes, reversed so that low is blue): colour-blind safe; for
    /// signed changes and log ratios such as perplexity after deactivation (blue = better, red = worse).
    public static let blueWhiteRed = Palette(name: "RdBu_r", stops: hex([0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
                                                                         0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F]))
    /// Purple → white → orange (ColorBrewer `PuOr`, 11 classes, reversed): colour-blind safe alternative.
    public static let purpleOrange = Palette(name: "PuOr_r", stops: hex([0x2D004B, 0x542788, 0x8073AC, 0xB2ABD2, 0xD8DAEB, 0xF7F7F7,
                                                                         0xFEE0B6, 0xFDB863, 0xE08214, 0xB35806, 0x7F3B08]))

    /// Every built-in ramp (the colour-blind checks in the tests walk this list).
    public static let all: [Palette] = [viridis, oranges, blues, coolWarm, blueWhiteRed, purpleOrange]

    /// Distinct colours for series (Tableau 10).
    public static let categorical: [Color] = hex([0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
                                                  0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF])

    /// The series colour for index `i`, cycling through `categorical`.
    public static func seriesColor(_ i: Int) -> Color { categorical[((i % categorical.count) + categorical.count) % categorical.count] }
}
