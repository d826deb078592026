import CLNAKernels

/// `a[i] ← a[i] · b[i]` for `i < count` (e.g. the SwiGLU/GeGLU product `act(gate) · up`).
///
/// ```swift
/// multiplyInPlace(gate, by: up, count: tokens * intermediate)
/// ```
public func multiplyInPlace(_ a: UnsafeMutablePointer<Float>, by b: UnsafePointer<Float>, count: Int) {
    forEachChunk(count: count) { range in lna_multiply(a + range.lowerBound, b + range.lowerBound, range.count) }
}

/// `a[i] ← a[i] + b[i]` for `i < count` (residual connections).
///
/// ```swift
/// addInPlace(residual, attentionOutput, count: tokens * d)
/// ```
public func addInPlace(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
    forEachChunk(count: count) { range in lna_add(a + range.lowerBound, b + range.lowerBound, range.count) }
}

/// `a[i] ← a[i] · factor` for `i < count` (e.g. Gemma's embedding scale √d).
///
/// ```swift
/// scaleInPlace(embeddings, by: Float(640).squareRoot(), count: tokens * 640)
/// ```
public func scaleInPlace(_ a: UnsafeMutablePointer<Float>, by factor: Float, count: Int) {
    forEachChunk(count: count) { range in
        lna_scale(a + range.lowerBound, factor, range.count)
    }
}
