import Foundation

/// Maps numbers to colours: sequential over a range, diverging around a centre (the centre always gets the
/// palette's middle colour and the ramp is symmetric, so equal distances above and below look equally strong), or
/// diverging on a log ratio (for multiplicative effects: ×2 and ×0.5 are equally far from ×1).
///
/// ```swift
/// let delta = ColorScale.diverging(.blueWhiteRed, center: 0, halfRange: nil)      // half-range from the data
/// let rate = ColorScale.sequential(.viridis, domain: 0...100)
/// let ratio = ColorScale.logRatio(.blueWhiteRed)                                   // ×1 white, ×10 and ×0.1 opposite
/// let resolved = delta.resolved(for: [-1.5, 0.2, 3])
/// resolved.color(for: 0)   // palette middle
/// ```
public enum ColorScale: Sendable, Hashable {
    /// `domain` nil means min…max of the data.
    case sequential(Palette, domain: ClosedRange<Double>? = nil)
    /// `halfRange` nil means the largest |value − centre| of the data.
    case diverging(Palette, center: Double = 0, halfRange: Double? = nil)
    /// Values are ratios (> 0) coloured by log₁₀(value), symmetric around ×1. `halfDecades` nil means the largest
    /// |log₁₀ value| of the data. `compression` < 1 bends the ramp towards the centre (position ∝ |log|^compression)
    /// so that a ×1.5 cell stays visibly coloured next to a ×1000 one; 1 is a plain log scale.
    case logRatio(Palette, halfDecades: Double? = nil, compression: Double = 0.5)

    public var palette: Palette {
        switch self {
        case .sequential(let p, _), .diverging(let p, _, _), .logRatio(let p, _, _): return p
        }
    }

    /// Fixes the data-dependent limits for the given values (non-finite values are ignored).
    public func resolved(for values: [Double]) -> ResolvedColorScale {
        let finite = values.filter(\.isFinite)
        switch self {
        case .sequential(let palette, let domain):
            var lo = domain?.lowerBound ?? finite.min() ?? 0
            var hi = domain?.upperBound ?? finite.max() ?? 1
            if hi <= lo { lo -= 0.5; hi = lo + 1 }
            return ResolvedColorScale(palette: palette, lower: lo, upper: hi, center: nil)
        case .diverging(let palette, let center, let halfRange):
            var half = halfRange ?? finite.map { abs($0 - center) }.max() ?? 1
            if !(half > 0) || !half.isFinite { half = 1 }
            return ResolvedColorScale(palette: palette, lower: center - half, upper: center + half, center: center)
        case .logRatio(let palette, let halfDecades, let compression):
            var half = halfDecades ?? finite.filter { $0 > 0 }.map { abs(log10($0)) }.max() ?? 1
            // Less than a factor 10^0.1 (≈ ×1.26) on either side would make noise look like an effect.
            if !(half > 0.1) || !half.isFinite { half = max(0.1, half.isFinite ? half : 1) }
            var scale = ResolvedColorScale(palette: palette, lower: pow(10, -half), upper: pow(10, half), center: 1)
            scale.isLogRatio = true
            scale.compression = compression.isFinite && compression > 0 ? min(1, compression) : 1
            return scale
        }
    }
}

/// A colour scale with fixed limits.
public struct ResolvedColorScale: Sendable, Hashable {
    public var palette: Palette
    public var lower: Double
    public var upper: Double
    /// The centre of a diverging scale (1 for a log-ratio scale).
    public var center: Double?
    /// Positions follow log₁₀(value), symmetric around ×1 (see `ColorScale.logRatio`).
    public var isLogRatio = false
    /// Exponent applied to the distance from the centre of a log-ratio scale (1 = linear in the log).
    public var compression = 1.0

    public init(palette: Palette, lower: Double, upper: Double, center: Double?) {
        self.palette = palette; self.lower = lower; self.upper = upper; self.center = center
    }

    /// Position of `value` in 0...1 (clamped; +∞ → 1, −∞ → 0, NaN → 0.5; on a log-ratio scale 0 and below → 0).
    public func fraction(for value: Double) -> Double {
        if value.isInfinite { return value > 0 ? 1 : 0 }
        guard !value.isNaN, upper > lower else { return 0.5 }
        if isLogRatio {
            guard value > 0 else { return 0 }
            let half = log10(upper)
            let x = min(1, abs(log10(value)) / half)
            let bent = pow(x, compression)
            return 0.5 + (value >= 1 ? 0.5 : -0.5) * bent
        }
        return min(1, max(0, (value - lower) / (upper - lower)))
    }

    /// The colour of a value: `scale.color(for: 0)` is the middle of a diverging palette centred at 0.
    public func color(for value: Double) -> Color { palette.color(at: fraction(for: value)) }

    /// Values worth a tick on a colour bar of this scale: nice numbers, plus the centre; on a log-ratio scale
    /// ×1 and powers of ten (with ×2 and ×5 when the range is under two decades, and their reciprocals).
    public func ticks(targetCount: Int = 5) -> [Double] {
        if isLogRatio {
            let half = log10(upper)
            let decades = Int(half.rounded(.down))
            var ticks: [Double] = [1]
            let step = max(1, (2 * decades + 1) / max(2, targetCount * 2))
            if decades >= 1 { for k in stride(from: step, through: decades, by: step) { ticks += [pow(10, Double(k)), pow(10, -Double(k))] } }
            if half < 2 {
                for m in [2.0, 5.0, 20, 50] where log10(m) <= half + 1e-9 { ticks += [m, 1 / m] }
                if half < log10(2) { ticks += [1.25, 1 / 1.25].filter { log10($0).magnitude <= half + 1e-9 } }
            }
            return ticks.sorted()
        }
        var ticks = NiceTicks.inside(lower: lower, upper: upper, targetCount: targetCount)
        if let center, !ticks.contains(where: { abs($0 - center) < 1e-12 }) { ticks.append(center) }
        return ticks
    }
}
