/// Python's `round(x)` for floats: round half to even (banker's rounding), as the originals use for the
/// number of neurons `k = round(N · top_rate)` and the quantile rank `m = round(N·K · bar)`.
///
/// ```swift
/// pythonRound(4587.52) == 4588; pythonRound(0.5) == 0; pythonRound(2.5) == 2
/// ```
public func pythonRound(_ x: Double) -> Int {
    Int(x.rounded(.toNearestOrEven))
}
