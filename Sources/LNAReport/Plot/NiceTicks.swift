import Foundation

/// Axis ticks at "nice" numbers (1, 2, 2.5, 5 × 10^k) covering a range.
///
/// ```swift
/// let t = NiceTicks(lower: 0.13, upper: 9.7, targetCount: 5)
/// t.values        // [0, 2, 4, 6, 8, 10]
/// t.lower, t.upper  // 0, 10 (the range expanded to whole steps)
/// ```
public struct NiceTicks: Sendable, Equatable {
    public let values: [Double]
    public let step: Double
    public let lower: Double
    public let upper: Double

    /// About `targetCount` steps covering lower...upper: `NiceTicks(lower: 0, upper: 7).values`.
    public init(lower: Double, upper: Double, targetCount: Int = 5) {
        var lo = lower.isFinite ? lower : 0, hi = upper.isFinite ? upper : 1
        if hi < lo { swap(&lo, &hi) }
        if hi == lo { let pad = lo == 0 ? 1 : abs(lo) * 0.1; lo -= pad; hi += pad }
        let (mantissa, exponent) = Self.niceStepParts((hi - lo) / Double(max(1, targetCount)))
        // Tick k is k × mantissa × 10^exponent; dividing by 10^-exponent (exact for small powers) keeps
        // 0.3 from becoming 0.30000000000000004.
        func tick(_ k: Double) -> Double {
            exponent >= 0 ? k * mantissa * pow(10, exponent) : (k * mantissa) / pow(10, -exponent)
        }
        let step = tick(1)
        let firstK = (lo / step).rounded(.down), lastK = (hi / step).rounded(.up)
        var values = [Double]()
        var k = firstK
        while k <= lastK, values.count < 1000 {
            let v = tick(k)
            values.append(v == 0 ? 0 : v)   // no negative zero
            k += 1
        }
        let first = values.first ?? lo, last = values.last ?? hi
        self.values = values; self.step = step; self.lower = first; self.upper = last
    }

    /// Ticks inside [lower, upper] only, without expanding the range (for colour bars).
    public static func inside(lower: Double, upper: Double, targetCount: Int = 5) -> [Double] {
        NiceTicks(lower: lower, upper: upper, targetCount: targetCount).values.filter {
            $0 >= lower - abs(upper - lower) * 1e-9 && $0 <= upper + abs(upper - lower) * 1e-9
        }
    }

    static func niceStep(_ raw: Double) -> Double {
        let (m, e) = niceStepParts(raw)
        return m * pow(10, e)
    }

    /// A nice step as mantissa (1, 2, 2.5 or 5) and power of ten.
    static func niceStepParts(_ raw: Double) -> (mantissa: Double, exponent: Double) {
        guard raw > 0, raw.isFinite else { return (1, 0) }
        var exponent = log10(raw).rounded(.down)
        let f = raw / pow(10, exponent)
        var nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
        if nice == 10 { nice = 1; exponent += 1 }
        return (nice, exponent)
    }

    /// Decimals needed to print every tick distinctly.
    public var decimals: Int {
        guard step > 0, step.isFinite else { return 0 }
        var d = 0
        while d < 8, abs((step * pow(10, Double(d))).rounded() - step * pow(10, Double(d))) > 1e-6 { d += 1 }
        return d
    }
}
