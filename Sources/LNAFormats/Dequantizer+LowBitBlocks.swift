/// The 2- and 3-bit K-quants (used by llama.cpp's Q2_K and Q3_K_S/M/L mixes), 16 lanes at a time.
///
/// | type | bytes | layout (per 256 values)                                                              | value                |
/// |------|-------|--------------------------------------------------------------------------------------|----------------------|
/// | Q2_K | 84    | u8 scales[16] (low nibble scale, high nibble min), u8 qs[64], f16 d, f16 dmin         | d·sc·q − dmin·m      |
/// | Q3_K | 110   | u8 hmask[32], u8 qs[64], u8 scales[12] (sixteen 6-bit scales), f16 d                  | d·(sc−32)·(q − 4·!h) |
///
/// Both walk two halves of 128 values; in each half, 32 bytes of `qs` hold four 2-bit planes (shift 0, 2, 4, 6),
/// each plane giving 32 values split into two groups of 16 with their own scale.
extension Dequantizer {
    static func dequantizeQ2_K(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 84
            let scales = block.assumingMemoryBound(to: UInt8.self)
            let d = half(block, 80), dmin = half(block, 82)
            let y = output + b * 256
            for n in 0..<2 {
                let q = block + 16 + 32 * n
                let low = load16(q, 0), high = load16(q, 16)
                for j in 0..<4 {
                    let shift = UInt8(2 * j)
                    let s1 = scales[8 * n + 2 * j], s2 = scales[8 * n + 2 * j + 1]
                    let out = y + 128 * n + 32 * j
                    store(floats((low &>> shift) & 3) * (d * Float(s1 & 0xF)) - dmin * Float(s1 >> 4), out)
                    store(floats((high &>> shift) & 3) * (d * Float(s2 & 0xF)) - dmin * Float(s2 >> 4), out + 16)
                }
            }
        }
    }

    /// Scale `i` (0..<16) of a Q3_K block: low 4 bits from byte i (i < 8) or the high nibble of byte i−8,
    /// top 2 bits from byte 8 + i % 4 at bit 2·(i / 4); stored with an offset of 32.
    @inline(__always)
    static func q3Scale(_ scales: UnsafePointer<UInt8>, _ i: Int) -> Float {
        let low = i < 8 ? scales[i] & 0x0F : scales[i - 8] >> 4
        let high = (scales[8 + i % 4] >> UInt8(2 * (i / 4))) & 3
        return Float(Int(low | high << 4) - 32)
    }

    static func dequantizeQ3_K(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 110
            let scales = (block + 96).assumingMemoryBound(to: UInt8.self)
            let d = half(block, 108)
            let maskLow = load16(block, 0), maskHigh = load16(block, 16)
            let y = output + b * 256
            for n in 0..<2 {
                let q = block + 32 + 32 * n
                let low = load16(q, 0), high = load16(q, 16)
                for j in 0..<4 {
                    let shift = UInt8(2 * j)
                    let bit = UInt8(4 * n + j)
                    // The hmask bit is the third bit of an unsigned 3-bit quant; the value is that minus 4
                    // (ggml phrases it as "subtract 4 where the bit is clear").
                    let lowQ = floats(((low &>> shift) & 3) | (((maskLow &>> bit) & 1) &<< 2)) - 4
                    let highQ = floats(((high &>> shift) & 3) | (((maskHigh &>> bit) & 1) &<< 2)) - 4
                    let out = y + 128 * n + 32 * j
                    store(lowQ * (d * q3Scale(scales, 8 * n + 2 * j)), out)
                    store(highQ * (d * q3Scale(scales, 8 * n + 2 * j + 1)), out + 16)
                }
            }
        }
    }
}
