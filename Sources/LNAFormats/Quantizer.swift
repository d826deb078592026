/// Float32 → ggml block encoders used by `GGUFWriter`.
///
/// ```swift
/// let blocks = Quantizer.quantizeQ8_0(values)   // values.count / 32 blocks of 34 bytes
/// ```
public enum Quantizer {
    /// Q8_0 as ggml's reference quantiser does it: per 32 values, d = max|x| / 127 (stored as f16),
    /// q = round(x / d) with ties away from zero. `values.count` must be a multiple of 32.
    public static func quantizeQ8_0(_ values: [Float]) -> [UInt8] {
        let blocks = values.count / 32
        var bytes = [UInt8](repeating: 0, count: blocks * 34)
        for b in 0..<blocks {
            let chunk = values[(b * 32)..<(b * 32 + 32)]
            let amax = chunk.reduce(Float(0)) { max($0, abs($1)) }
            let d = amax / 127
            let inverse: Float = d != 0 ? 1 / d : 0
            let scale = Float16(d).bitPattern
            bytes[b * 34] = UInt8(scale & 0xFF)
            bytes[b * 34 + 1] = UInt8(scale >> 8)
            for (j, x) in chunk.enumerated() {
                let q = (x * inverse).rounded(.toNearestOrAwayFromZero)
                bytes[b * 34 + 2 + j] = UInt8(bitPattern: Int8(max(-128, min(127, q))))
            }
        }
        return bytes
    }
}
