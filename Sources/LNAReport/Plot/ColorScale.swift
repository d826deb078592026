/// Maps numbers to colours: sequential over a range, or diverging around a centre (the centre always gets the
/// palette's middle colour and the ramp is symmetric, so equal distances above and below look equally strong).
///
/// ```swift
/// let delta = ColorScale.diverging(.coolWarm, center: 0, halfRange: nil)      // half-range from the data
/// let rate = ColorScale.sequential(.redYellowGreen, domain: 0...100)
/// let resolved = delta.resolved(for: [-1.5, 0.2, 3])
/// resolved.color(for: 0)   // palette middle
/// ```
public enum ColorScale: Sendable, Hashable {
    /// `domain` nil means min…max of the data.
    case sequential(Palette, domain: ClosedRange<Double>? = nil)
    /// `halfRange` nil means the largest |value − centre| of the data.
    case diverging(Palette, center: Double = 0, halfRange: Double? = nil)

    public var palette: Palette {
        switch self {
        case .sequential(let p, _), .diverging(let p, _, _): return p
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
        }
    }
}

/// A colour scale with fixed limits.
public struct ResolvedColorScale: Sendable, Hashable {
    public var palette: Palette
    public var lower: Double
    public var upper: Double
    /// The centre of a diverging scale.
    public var center: Double?

    /// Position of `value` in 0...1 (clamped; +∞ → 1, −∞ → 0, NaN → 0.5).
    public func fraction(for value: Double) -> Double {
        if value.isInfinite { return value > 0 ? 1 : 0 }
        guard !value.isNaN, upper > lower else { return 0.5 }
        return min(1, max(0, (value - lower) / (upper - lower)))
    }

    /// The colour of a value: `scale.color(for: 0)` is the middle of a diverging palette centred at 0.
    public func color(for value: Double) -> Color { palette.color(at: fraction(for: value)) }
}
