/// The ggml block formats, dequantised 16 lanes at a time. Layouts follow ggml-common.h:
///
/// | type | bytes | layout (per block)                                                         | value            |
/// |------|-------|----------------------------------------------------------------------------|------------------|
/// | Q8_0 | 34    | f16 d, i8 qs[32]                                                           | d·q              |
/// | Q4_0 | 18    | f16 d, u8 qs[16] (low nibbles = elements 0..15, high = 16..31)             | d·(q−8)          |
/// | Q4_1 | 20    | f16 d, f16 m, u8 qs[16]                                                    | d·q + m          |
/// | Q5_0 | 22    | f16 d, u32 qh (bit j = 5th bit of element j), u8 qs[16]                    | d·(q−16)         |
/// | Q5_1 | 24    | f16 d, f16 m, u32 qh, u8 qs[16]                                            | d·q + m          |
/// | Q4_K | 144   | f16 d, f16 dmin, u8 scales[12] (8 × 6-bit scale/min), u8 qs[128]           | d·sc·q − dmin·m  |
/// | Q5_K | 176   | f16 d, f16 dmin, u8 scales[12], u8 qh[32], u8 qs[128]                      | d·sc·q − dmin·m  |
/// | Q6_K | 210   | u8 ql[128], u8 qh[64], i8 scales[16], f16 d                                | d·sc·(q−32)      |
extension Dequantizer {
    typealias Bytes16 = SIMD16<UInt8>

    @inline(__always)
    static func floats(_ bytes: Bytes16) -> SIMD16<Float> {
        SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: bytes))
    }

    @inline(__always)
    static func store(_ values: SIMD16<Float>, _ output: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(output).storeBytes(of: values, as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func load16(_ source: UnsafeRawPointer, _ offset: Int) -> Bytes16 {
        source.loadUnaligned(fromByteOffset: offset, as: Bytes16.self)
    }

    // MARK: 32-element blocks

    static func dequantizeQ8_0(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 34
            let d = half(block, 0)
            let y = output + b * 32
            for h in 0..<2 {
                let q = block.loadUnaligned(fromByteOffset: 2 + 16 * h, as: SIMD16<Int8>.self)
                store(SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: q)) * d, y + 16 * h)
            }
        }
    }

    static func dequantizeQ4_0(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 18
            let d = half(block, 0)
            let qs = load16(block, 2)
            let y = output + b * 32
            store((floats(qs & 0x0F) - 8) * d, y)
            store((floats(qs &>> 4) - 8) * d, y + 16)
        }
    }

    static func dequantizeQ4_1(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 20
            let d = half(block, 0), m = half(block, 2)
            let qs = load16(block, 4)
            let y = output + b * 32
            store(floats(qs & 0x0F) * d + m, y)
            store(floats(qs &>> 4) * d + m, y + 16)
        }
    }

    /// Lane j of the result is bit (j + shift) of `bits`, moved to bit 4 (the fifth bit of a 5-bit quant).
    @inline(__always)
    static func fifthBits(_ bits: UInt32, shift: UInt32) -> Bytes16 {
        let lanes = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) &+ shift
        let selected = (SIMD16<UInt32>(repeating: bits) &>> lanes) & 1
        return Bytes16(truncatingIfNeeded: selected &<< 4)
    }

    static func dequantizeQ5_0(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 22
            let d = half(block, 0)
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            let qs = load16(block, 6)
            let y = output + b * 32
            store((floats((qs & 0x0F) | fifthBits(qh, shift: 0)) - 16) * d, y)
            store((floats((qs &>> 4) | fifthBits(qh, shift: 16)) - 16) * d, y + 16)
        }
    }

    static func dequantizeQ5_1(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 24
            let d = half(block, 0), m = half(block, 2)
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let qs = load16(block, 8)
            let y = output + b * 32
            store(floats((qs & 0x0F) | fifthBits(qh, shift: 0)) * d + m, y)
            store(floats((qs &>> 4) | fifthBits(qh, shift: 16)) * d + m, y + 16)
        }
    }

    // MARK: 256-element super-blocks

    /// Scale and min number `j` (0..<8) of a K-quant's 12-byte packed table: eight 6-bit scales and eight
    /// 6-bit mins; entries 4...7 keep their low 4 bits in bytes 8...11 and their top 2 bits in the top of bytes 0...7.
    @inline(__always)
    static func scaleMin(_ scales: UnsafeRawPointer, _ j: Int) -> (scale: Float, min: Float) {
        let q = scales.assumingMemoryBound(to: UInt8.self)
        if j < 4 {
            return (Float(q[j] & 63), Float(q[j + 4] & 63))
        }
        let scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4)
        let min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4)
        return (Float(scale), Float(min))
    }

    static func dequantizeQ4_K(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 144
            let d = half(block, 0), dmin = half(block, 2)
            let scales = block + 4
            let qs = block + 16
            let y = output + b * 256
            for chunk in 0..<4 {   // 64 elements: 32 low nibbles then 32 high nibbles of the same 32 bytes
                let (s1, m1) = scaleMin(scales, 2 * chunk)
                let (s2, m2) = scaleMin(scales, 2 * chunk + 1)
                let d1 = d * s1, min1 = dmin * m1, d2 = d * s2, min2 = dmin * m2
                for h in 0..<2 {
                    let q = load16(qs, 32 * chunk + 16 * h)
                    store(floats(q & 0x0F) * d1 - min1, y + 64 * chunk + 16 * h)
                    store(floats(q &>> 4) * d2 - min2, y + 64 * chunk + 32 + 16 * h)
                }
            }
        }
    }

    static func dequantizeQ5_K(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 176
            let d = half(block, 0), dmin = half(block, 2)
            let scales = block + 4
            let qh = block + 16
            let qs = block + 48
            let y = output + b * 256
            for chunk in 0..<4 {   // bit 2·chunk of qh[l] is the 5th bit of the low half, bit 2·chunk+1 of the high half
                let (s1, m1) = scaleMin(scales, 2 * chunk)
                let (s2, m2) = scaleMin(scales, 2 * chunk + 1)
                let d1 = d * s1, min1 = dmin * m1, d2 = d * s2, min2 = dmin * m2
                let lowShift = UInt8(2 * chunk), highShift = UInt8(2 * chunk + 1)
                for h in 0..<2 {
                    let q = load16(qs, 32 * chunk + 16 * h)
                    let high = load16(qh, 16 * h)
                    let low5 = (q & 0x0F) | (((high &>> lowShift) & 1) &<< 4)
                    let high5 = (q &>> 4) | (((high &>> highShift) & 1) &<< 4)
                    store(floats(low5) * d1 - min1, y + 64 * chunk + 16 * h)
                    store(floats(high5) * d2 - min2, y + 64 * chunk + 32 + 16 * h)
                }
            }
        }
    }

    static func dequantizeQ6_K(_ source: UnsafeRawPointer, _ blocks: Int, _ output: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 210
            let d = half(block, 208)
            let scales = (block + 192).assumingMemoryBound(to: Int8.self)
            let y = output + b * 256
            for half128 in 0..<2 {   // each 128 elements use 64 bytes of ql, 32 of qh and 8 scales
                let ql = block + 64 * half128
                let qh = block + 128 + 32 * half128
                let sc = scales + 8 * half128
                let out = y + 128 * half128
                for h in 0..<2 {     // l = 16h ..< 16h+16; scale index is l / 16 = h
                    let lowA = load16(ql, 16 * h), lowB = load16(ql, 32 + 16 * h)
                    let high = load16(qh, 16 * h)
                    let q1 = (lowA & 0x0F) | ((high & 3) &<< 4)
                    let q2 = (lowB & 0x0F) | (((high &>> 2) & 3) &<< 4)
                    let q3 = (lowA &>> 4) | (((high &>> 4) & 3) &<< 4)
                    let q4 = (lowB &>> 4) | (((high &>> 6) & 3) &<< 4)
                    store((floats(q1) - 32) * (d * Float(sc[h])), out + 16 * h)
                    store((floats(q2) - 32) * (d * Float(sc[h + 2])), out + 32 + 16 * h)
                    store((floats(q3) - 32) * (d * Float(sc[h + 4])), out + 64 + 16 * h)
                    store((floats(q4) - 32) * (d * Float(sc[h + 6])), out + 96 + 16 * h)
                }
            }
        }
    }
}
