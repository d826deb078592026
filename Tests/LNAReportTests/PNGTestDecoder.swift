import CZlib
import Foundation
import LNAReport

/// A minimal PNG reader for the tests: splits chunks, checks CRCs with an independent table-driven CRC-32,
/// inflates IDAT with zlib and undoes the row filters.
struct DecodedPNG {
    struct Chunk { var type: String; var data: [UInt8]; var storedCRC: UInt32 }
    var chunks: [Chunk]
    var width: Int
    var height: Int
    var colorType: UInt8
    /// RGBA bytes (RGB files get alpha 255).
    var rgba: [UInt8]

    enum Failure: Error { case signature, truncated, inflate(Int32), filter(UInt8), header }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func independentCRC(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Failure.signature }
        var i = 8
        var chunks = [Chunk]()
        while i + 12 <= bytes.count {
            let length = Int(Self.be32(bytes, i))
            guard i + 12 + length <= bytes.count else { throw Failure.truncated }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            chunks.append(Chunk(type: type, data: Array(bytes[(i + 8)..<(i + 8 + length)]), storedCRC: Self.be32(bytes, i + 8 + length)))
            i += 12 + length
        }
        guard i == bytes.count, let ihdr = chunks.first, ihdr.type == "IHDR", ihdr.data.count == 13 else { throw Failure.header }
        self.chunks = chunks
        width = Int(Self.be32(ihdr.data, 0)); height = Int(Self.be32(ihdr.data, 4)); colorType = ihdr.data[9]
        let bpp = colorType == 6 ? 4 : 3
        let compressed = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
        var outLen = uLong((width * bpp + 1) * height)
        var raw = [UInt8](repeating: 0, count: Int(outLen))
        let status = compressed.withUnsafeBufferPointer { src in
            raw.withUnsafeMutableBufferPointer { dst in uncompress(dst.baseAddress, &outLen, src.baseAddress, uLong(compressed.count)) }
        }
        guard status == Z_OK, Int(outLen) == raw.count else { throw Failure.inflate(status) }
        let stride = width * bpp
        var pixels = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = raw[y * (stride + 1) + 1 + x]
                let a = x >= bpp ? pixels[y * stride + x - bpp] : 0
                let b = y > 0 ? pixels[(y - 1) * stride + x] : 0
                let c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0
                let p: UInt8
                switch filter {
                case 0: p = 0
                case 1: p = a
                case 2: p = b
                case 3: p = UInt8((Int(a) + Int(b)) / 2)
                case 4:
                    let e = Int(a) + Int(b) - Int(c)
                    let pa = abs(e - Int(a)), pb = abs(e - Int(b)), pc = abs(e - Int(c))
                    p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw Failure.filter(filter)
                }
                pixels[y * stride + x] = v &+ p
            }
        }
        if bpp == 4 { rgba = pixels } else {
            var out = [UInt8](); out.reserveCapacity(width * height * 4)
            for k in 0..<(width * height) { out += [pixels[k * 3], pixels[k * 3 + 1], pixels[k * 3 + 2], 255] }
            rgba = out
        }
    }

    func pixel(_ x: Int, _ y: Int) -> Color {
        let i = (y * width + x) * 4
        return Color(r: rgba[i], g: rgba[i + 1], b: rgba[i + 2], a: rgba[i + 3])
    }
}
