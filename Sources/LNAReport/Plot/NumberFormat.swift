import Foundation

/// How numbers are printed in cells, ticks, tooltips and tables: the one number formatter of every figure and
/// report table, so the same quantity always looks the same. Minus is a real minus sign (U+2212); thousands are
/// grouped with a narrow no-break space (U+202F, the SI thin space that never wraps); there is no `e` notation.
///
/// ```swift
/// NumberFormat.fixed(2).string(3.14159)      // "3.14"
/// NumberFormat.signed(1).string(0.25)        // "+0.3"  (+ for positive, − for negative)
/// NumberFormat.percent(0).string(87.5)       // "88%"  (the value is already in percent)
/// NumberFormat.integer.string(12345)         // "12 345"
/// NumberFormat.automatic.string(0.0175)      // "0.0175" (3 significant digits; "386 926" for 386926.2)
/// NumberFormat.ratio.string(1.5)             // "×1.5"   ("×0.998", "×832 353")
/// ```
public enum NumberFormat: Sendable, Hashable {
    /// Fixed decimals.
    case fixed(Int)
    /// Fixed decimals with an explicit sign (a real minus sign, U+2212).
    case signed(Int)
    /// The value is a percentage already (0…100); appends `%`.
    case percent(Int)
    /// The value is a fraction (0…1) shown as a percentage.
    case fractionAsPercent(Int)
    /// Rounded, with thousands grouped.
    case integer
    /// Three significant digits below 1000, whole numbers grouped from 1000 on, `m×10⁻ⁿ` below 10⁻⁴.
    case automatic
    /// A factor: "×" and the `automatic` number (perplexity ratios, amplification factors).
    case ratio

    /// The format of axis and colour-bar ticks `decimals` apart: grouped whole numbers, else fixed decimals.
    public static func ticks(decimals: Int) -> NumberFormat { decimals == 0 ? .integer : .fixed(decimals) }

    /// The narrow no-break space that groups thousands.
    public static let thousandsSeparator = "\u{202F}"

    /// The formatted number; NaN and infinities print as "–", "∞", "−∞".
    public func string(_ value: Double) -> String {
        if value.isNaN { return "–" }
        if value.isInfinite { return (self == .ratio ? "×" : "") + (value > 0 ? "∞" : "−∞") }
        switch self {
        case .fixed(let d): return minus(String(format: "%.\(max(0, d))f", value))
        case .signed(let d):
            let body = String(format: "%.\(max(0, d))f", abs(value))
            let isZero = Double(body) == 0
            return (isZero ? "" : value > 0 ? "+" : "−") + body
        case .percent(let d): return minus(String(format: "%.\(max(0, d))f", value)) + "%"
        case .fractionAsPercent(let d): return minus(String(format: "%.\(max(0, d))f", value * 100)) + "%"
        case .integer: return Self.grouped(value.rounded())
        case .automatic: return Self.significant(value)
        case .ratio: return "×" + Self.significant(value)
        }
    }

    private func minus(_ s: String) -> String { s.hasPrefix("-") ? "−" + s.dropFirst() : s }

    /// Three significant digits (trailing zeros dropped), whole numbers from 1000 on, powers of ten for tiny values.
    static func significant(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "–" : value > 0 ? "∞" : "−∞" }
        let a = abs(value)
        if a == 0 { return "0" }
        if a >= 999.5 { return grouped(value.rounded()) }
        if a < 1e-4 { return scientific(value) }
        let decimals = max(0, 2 - Int(log10(a).rounded(.down)))
        return trimmed(String(format: "%.\(decimals)f", value))
    }

    /// "1.23×10⁻⁵": printf's own mantissa and exponent (exact even for subnormal numbers).
    static func scientific(_ value: Double) -> String {
        let parts = String(format: "%.2e", value).split(separator: "e")
        guard parts.count == 2, let exponent = Int(parts[1]) else { return String(value) }
        return trimmed(String(parts[0])) + "×10" + superscript(exponent)
    }

    /// Trailing zeros (and a trailing point) dropped, a real minus sign.
    private static func trimmed(_ text: String) -> String {
        var s = text
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        return s.hasPrefix("-") ? "−" + s.dropFirst() : s
    }

    /// A whole number with grouped thousands; beyond Int64 it falls back to powers of ten.
    static func grouped(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "–" : v > 0 ? "∞" : "−∞" }
        guard abs(v) < 9e18 else { return scientific(v) }
        let n = Int64(v)
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += thousandsSeparator }
            out.append(ch)
        }
        return (n < 0 ? "−" : "") + out
    }

    private static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(n.magnitude).map { digits[Int(String($0))!] }
    }
}
