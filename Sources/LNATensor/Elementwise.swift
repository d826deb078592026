/// `a[i] ← a[i] · b[i]` for `i < count` (e.g. the SwiGLU/GeGLU product `act(gate) · up`).
///
/// ```swift
/// multiplyInPlace(gate, by: up, count: tokens * intermediate)
/// ```
public func multiplyInPlace(_ a: UnsafeMutablePointer<Float>, by b: UnsafePointer<Float>, count: Int) {
    binaryInPlace(a, b, count: count) { $0 * $1 }
}

/// `a[i] ← a[i] + b[i]` for `i < count` (residual connections).
///
/// ```swift
/// addInPlace(residual, attentionOutput, count: tokens * d)
/// ```
public func addInPlace(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
    binaryInPlace(a, b, count: count) { $0 + $1 }
}

/// `a[i] ← a[i] · factor` for `i < count` (e.g. Gemma's embedding scale √d).
///
/// ```swift
/// scaleInPlace(embeddings, by: Float(640).squareRoot(), count: tokens * 640)
/// ```
public func scaleInPlace(_ a: UnsafeMutablePointer<Float>, by factor: Float, count: Int) {
    forEachChunk(count: count) { range in
        transformInPlace(a + range.lowerBound, count: range.count) { $0 * factor }
    }
}

@inline(__always)
private func binaryInPlace(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int,
                           _ op: (SIMD16<Float>, SIMD16<Float>) -> SIMD16<Float>) {
    forEachChunk(count: count) { range in
        let ra = UnsafeMutableRawPointer(a + range.lowerBound), rb = UnsafeRawPointer(b + range.lowerBound)
        var i = 0
        let n = range.count
        while i + 16 <= n {
            let v = op(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self),
                       rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self))
            ra.storeBytes(of: v, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n {
            let j = range.lowerBound + i
            a[j] = op(SIMD16(repeating: a[j]), SIMD16(repeating: b[j]))[0]
            i += 1
        }
    }
}
