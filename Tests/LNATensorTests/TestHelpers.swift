import LNATensor

/// Deterministic values in [-scale, scale).
func randomValues(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in generator.nextSignedUnitFloat() * scale }
}

/// Largest |a − b| / max(1, |b|): absolute error for small values, relative for large ones.
func maxRelativeDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var worst: Float = 0
    for (x, y) in zip(a, b) {
        if x.isNaN || y.isNaN { return .infinity }
        worst = max(worst, abs(x - y) / max(1, abs(y)))
    }
    return worst
}
