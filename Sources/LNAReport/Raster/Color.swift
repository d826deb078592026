import Foundation

/// An 8-bit sRGB colour with straight (not premultiplied) alpha.
///
/// ```swift
/// let red = Color(hex: 0xD62728)
/// let half = red.withAlpha(128)
/// print(red.hexString)   // "#d62728"
/// ```
public struct Color: Sendable, Hashable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    public var a: UInt8

    /// `Color(r: 255, g: 128, b: 0)`; `a` 255 is opaque.
    public init(r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }

    /// A colour from a 24-bit `0xRRGGBB` value, opaque.
    public init(hex: UInt32) {
        self.init(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF))
    }

    /// The same colour with another alpha.
    public func withAlpha(_ alpha: UInt8) -> Color { Color(r: r, g: g, b: b, a: alpha) }

    /// `#rrggbb` (alpha is written separately in SVG as an opacity).
    public var hexString: String {
        func h(_ v: UInt8) -> String { let s = String(v, radix: 16); return s.count == 1 ? "0" + s : s }
        return "#" + h(r) + h(g) + h(b)
    }

    public var description: String { a == 255 ? hexString : "\(hexString)@\(a)" }

    /// Linear interpolation in sRGB between two colours (`t` in 0...1).
    public static func mix(_ x: Color, _ y: Color, _ t: Double) -> Color {
        let t = min(1, max(0, t))
        func m(_ p: UInt8, _ q: UInt8) -> UInt8 { UInt8((Double(p) + (Double(q) - Double(p)) * t).rounded()) }
        return Color(r: m(x.r, y.r), g: m(x.g, y.g), b: m(x.b, y.b), a: m(x.a, y.a))
    }

    /// Relative luminance (0 black … 1 white), used to pick a readable text colour on a filled cell.
    public var luminance: Double {
        func lin(_ v: UInt8) -> Double {
            let c = Double(v) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// Black or white, whichever reads better on this colour.
    public var contrastingText: Color { luminance > 0.36 ? .black : .white }

    /// Opaque white, the default background.
    public static let white = Color(r: 255, g: 255, b: 255)
    /// Opaque black.
    public static let black = Color(r: 0, g: 0, b: 0)
    /// Fully transparent (e.g. an outline-only rectangle: `.rect(r, fill: .clear, stroke: .ink)`).
    public static let clear = Color(r: 0, g: 0, b: 0, a: 0)
    /// Dark grey for text and axes.
    public static let ink = Color(hex: 0x222222)
    /// Light grey for grid lines.
    public static let grid = Color(hex: 0xE3E3E3)
    /// Mid grey for missing cells and secondary text.
    public static let muted = Color(hex: 0x8A8A8A)
}

