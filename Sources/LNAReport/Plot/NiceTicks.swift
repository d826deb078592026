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

    public init(lower: Double, upper: Double, targetCount: Int = 5) {
        var lo = lower.isFinite ? lower : 0, hi = upper.isFinite ? upper : 1
        if hi < lo { swap(&lo, &hi) }
        if hi == lo { let pad = lo == 0 ? 1 : abs(lo) * 0.1; lo -= pad; hi += pad }
        let step = Self.niceStep((hi - lo) / Double(max(1, targetCount)))
        let first = (lo / step).rounded(.down) * step
        let last = (hi / step).rounded(.up) * step
        var values = [Double]()
        var v = first
        var guardCount = 0
        while v <= last + step * 1e-9, guardCount < 1000 {
            // Snap to the step grid to avoid 0.30000000000000004.
            values.append(abs(v) < step * 1e-9 ? 0 : (v / step).rounded() * step)
            v += step; guardCount += 1
        }
        self.values = values; self.step = step; self.lower = first; self.upper = last
    }

    /// Ticks inside [lower, upper] only, without expanding the range (for colour bars).
    public static func inside(lower: Double, upper: Double, targetCount: Int = 5) -> [Double] {
        NiceTicks(lower: lower, upper: upper, targetCount: targetCount).values.filter {
            $0 >= lower - abs(upper - lower) * 1e-9 && $0 <= upper + abs(upper - lower) * 1e-9
        }
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let exponent = (log10(raw)).rounded(.down)
        let base = pow(10, exponent)
        let f = raw / base
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
        return nice * base
    }

    /// Decimals needed to print every tick distinctly.
    public var decimals: Int {
        guard step > 0, step.isFinite else { return 0 }
        var d = 0
        while d < 8, abs((step * pow(10, Double(d))).rounded() - step * pow(10, Double(d))) > 1e-6 { d += 1 }
        return d
    }
}
