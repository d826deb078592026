import Foundation

/// How numbers are printed in cells, ticks and tables.
///
/// ```swift
/// NumberFormat.fixed(2).string(3.14159)      // "3.14"
/// NumberFormat.signed(1).string(0.25)        // "+0.3"  (+ for positive, − for negative)
/// NumberFormat.percent(0).string(87.5)       // "88%"  (the value is already in percent)
/// NumberFormat.integer.string(12345)         // "12,345"
/// NumberFormat.automatic.string(0.000123)    // "1.23e-4"
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
    /// Rounded, with thousands separators.
    case integer
    /// Three significant digits, scientific for very small or large magnitudes.
    case automatic

    /// The formatted number; NaN and infinities print as "–", "∞", "−∞".
    public func string(_ value: Double) -> String {
        if value.isNaN { return "–" }
        if value.isInfinite { return value > 0 ? "∞" : "−∞" }
        switch self {
        case .fixed(let d): return minus(String(format: "%.\(max(0, d))f", value))
        case .signed(let d):
            let body = String(format: "%.\(max(0, d))f", abs(value))
            let isZero = Double(body) == 0
            return (isZero ? "" : value > 0 ? "+" : "−") + body
        case .percent(let d): return minus(String(format: "%.\(max(0, d))f", value)) + "%"
        case .fractionAsPercent(let d): return minus(String(format: "%.\(max(0, d))f", value * 100)) + "%"
        case .integer: return Self.grouped(Int64(value.rounded()))
        case .automatic:
            let a = abs(value)
            if a == 0 { return "0" }
            if a >= 1e6 || a < 1e-3 {
                let s = String(format: "%.2e", value)   // 1.23e-04
                return minus(s.replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e"))
            }
            let decimals = max(0, 2 - Int(log10(a).rounded(.down)))
            var s = String(format: "%.\(decimals)f", value)
            if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
            return minus(s)
        }
    }

    private func minus(_ s: String) -> String { s.hasPrefix("-") ? "−" + s.dropFirst() : s }

    static func grouped(_ v: Int64) -> String {
        let digits = String(v.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (v < 0 ? "−" : "") + out
    }
}
