/// Plain floating-point conversions, vectorised 16 lanes at a time.
extension Dequantizer {
    static func convertF16(_ source: UnsafeRawPointer, _ count: Int, _ output: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 16 <= count {
            let halves = source.loadUnaligned(fromByteOffset: i * 2, as: SIMD16<UInt16>.self)
            let floats = SIMD16<Float>(SIMD16<Float16>(bitPattern: halves))
            UnsafeMutableRawPointer(output + i).storeBytes(of: floats, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            output[i] = Float(Float16(bitPattern: source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
            i += 1
        }
    }

    static func convertBF16(_ source: UnsafeRawPointer, _ count: Int, _ output: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 16 <= count {
            let halves = source.loadUnaligned(fromByteOffset: i * 2, as: SIMD16<UInt16>.self)
            let bits = SIMD16<UInt32>(truncatingIfNeeded: halves) &<< 16
            UnsafeMutableRawPointer(output + i).storeBytes(of: bits, as: SIMD16<UInt32>.self)
            i += 16
        }
        while i < count {
            output[i] = Float(bitPattern: UInt32(source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)) << 16)
            i += 1
        }
    }

    /// An IEEE half at `offset` as Float.
    @inline(__always)
    static func half(_ source: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: source.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }
}

extension SIMD16 where Scalar == Float16 {
    @inline(__always)
    init(bitPattern bits: SIMD16<UInt16>) {
        self = unsafeBitCast(bits, to: SIMD16<Float16>.self)
    }
}
