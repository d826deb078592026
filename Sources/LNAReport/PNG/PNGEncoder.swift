import CZlib
import Foundation

/// Encodes RGBA8 or RGB8 rasters as PNG (IHDR, one or more IDAT compressed with zlib, IEND; CRC-32 from zlib).
///
/// ```swift
/// let image = try RasterImage(width: 2, height: 2, background: .white)
/// let bytes: [UInt8] = try PNGEncoder().encode(image)          // RGBA8
/// let rgb = try PNGEncoder(channels: .rgb).encode(image)       // drops alpha
/// ```
public struct PNGEncoder: Sendable {
    /// Colour layout written to the file.
    public enum Channels: Sendable { case rgb, rgba }
    /// Row filters: `.none` is fastest; `.adaptive` picks per row the filter with the smallest sum of
    /// absolute values (the libpng heuristic), which compresses charts much better.
    public enum Filtering: Sendable { case none, adaptive }

    public var channels: Channels
    public var filtering: Filtering
    /// zlib level 0...9 (6, zlib's default, is nearly as small as 9 on charts and several times faster).
    public var compressionLevel: Int32
    /// Maximum IDAT payload per chunk; decoders join consecutive IDATs.
    public var maxIDATSize: Int

    /// `PNGEncoder(channels: .rgb, compressionLevel: 9)`; the defaults suit charts.
    public init(channels: Channels = .rgba, filtering: Filtering = .adaptive, compressionLevel: Int32 = 6,
                maxIDATSize: Int = 1 << 20) {
        self.channels = channels; self.filtering = filtering
        self.compressionLevel = compressionLevel; self.maxIDATSize = max(1, maxIDATSize)
    }

    /// The PNG file signature.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Encodes a raster.
    public func encode(_ image: RasterImage) throws -> [UInt8] {
        let bpp = channels == .rgba ? 4 : 3
        let rows = packRows(image, bytesPerPixel: bpp)
        let filtered = filterRows(rows, width: image.width, height: image.height, bytesPerPixel: bpp)
        let compressed = try Self.zlibCompress(filtered, level: compressionLevel)

        var out = Self.signature
        var ihdr = [UInt8]()
        ihdr.appendBigEndian(UInt32(image.width)); ihdr.appendBigEndian(UInt32(image.height))
        ihdr += [8, channels == .rgba ? 6 : 2, 0, 0, 0]   // bit depth, colour type, compression, filter, interlace
        Self.appendChunk("IHDR", ihdr, to: &out)
        var start = 0
        repeat {
            let end = min(compressed.count, start + maxIDATSize)
            Self.appendChunk("IDAT", Array(compressed[start..<end]), to: &out)
            start = end
        } while start < compressed.count
        Self.appendChunk("IEND", [], to: &out)
        return out
    }

    /// Encodes a raster and returns `Data`.
    public func encodeData(_ image: RasterImage) throws -> Data { Data(try encode(image)) }

    private func packRows(_ image: RasterImage, bytesPerPixel bpp: Int) -> [UInt8] {
        if bpp == 4 { return image.pixels }
        var out = [UInt8](repeating: 0, count: image.width * image.height * 3)
        image.pixels.withUnsafeBufferPointer { src in
            for i in 0..<(image.width * image.height) {
                out[i * 3] = src[i * 4]; out[i * 3 + 1] = src[i * 4 + 1]; out[i * 3 + 2] = src[i * 4 + 2]
            }
        }
        return out
    }

    private func filterRows(_ raw: [UInt8], width: Int, height: Int, bytesPerPixel bpp: Int) -> [UInt8] {
        let stride = width * bpp
        var out = [UInt8](repeating: 0, count: (stride + 1) * height)
        let zero = [UInt8](repeating: 0, count: stride)
        raw.withUnsafeBufferPointer { src in
            zero.withUnsafeBufferPointer { zeroRow in
                out.withUnsafeMutableBufferPointer { dst in
                    for y in 0..<height {
                        let row = UnsafeBufferPointer(rebasing: src[(y * stride)..<((y + 1) * stride)])
                        let prev = y == 0 ? zeroRow : UnsafeBufferPointer(rebasing: src[((y - 1) * stride)..<(y * stride)])
                        let target = UnsafeMutableBufferPointer(rebasing: dst[(y * (stride + 1) + 1)..<((y + 1) * (stride + 1))])
                        var best: UInt8 = 0
                        if filtering == .adaptive {
                            var bestScore = Int.max
                            for type in UInt8(0)...4 {
                                let score = Self.filterScore(type, row: row, prev: prev, bpp: bpp, limit: bestScore)
                                if score < bestScore { bestScore = score; best = type }
                            }
                        }
                        dst[y * (stride + 1)] = best
                        Self.applyFilter(best, row: row, prev: prev, bpp: bpp, into: target)
                    }
                }
            }
        }
        return out
    }

    @inline(__always)
    private static func predict(_ type: UInt8, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        switch type {
        case 1: return a
        case 2: return b
        case 3: return UInt8((UInt16(a) + UInt16(b)) / 2)
        case 4: return paeth(a, b, c)
        default: return 0
        }
    }

    /// Sum of |filtered byte| as a signed value (the libpng heuristic); stops early once above `limit`.
    private static func filterScore(_ type: UInt8, row: UnsafeBufferPointer<UInt8>, prev: UnsafeBufferPointer<UInt8>,
                                    bpp: Int, limit: Int) -> Int {
        var score = 0
        for i in 0..<row.count {
            let a = i >= bpp ? row[i - bpp] : 0, c = i >= bpp ? prev[i - bpp] : 0
            let v = row[i] &- predict(type, a, prev[i], c)
            score += v < 128 ? Int(v) : 256 - Int(v)
            if score >= limit { return score }
        }
        return score
    }

    private static func applyFilter(_ type: UInt8, row: UnsafeBufferPointer<UInt8>, prev: UnsafeBufferPointer<UInt8>,
                                    bpp: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        for i in 0..<row.count {
            let a = i >= bpp ? row[i - bpp] : 0, c = i >= bpp ? prev[i - bpp] : 0
            out[i] = row[i] &- predict(type, a, prev[i], c)
        }
    }

    /// The Paeth predictor of the PNG specification.
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// zlib stream (RFC 1950) of `bytes` via `compress2`.
    static func zlibCompress(_ bytes: [UInt8], level: Int32) throws -> [UInt8] {
        var destLen = compressBound(uLong(bytes.count))
        var dest = [UInt8](repeating: 0, count: Int(destLen))
        let status = bytes.withUnsafeBufferPointer { src in
            dest.withUnsafeMutableBufferPointer { dst in
                compress2(dst.baseAddress, &destLen, src.baseAddress, uLong(bytes.count), level)
            }
        }
        guard status == Z_OK else { throw ReportError.zlib(call: "compress2", status: status) }
        dest.removeSubrange(Int(destLen)...)
        return dest
    }

    /// CRC-32 (as in PNG) of the bytes, from zlib's `crc32`.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buf in
            UInt32(CZlib.crc32(CZlib.crc32(0, nil, 0), buf.baseAddress, uInt(buf.count)))
        }
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        out.appendBigEndian(UInt32(data.count))
        let typeAndData = Array(type.utf8) + data
        out += typeAndData
        out.appendBigEndian(crc32(typeAndData))
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ v: UInt32) {
        append(UInt8(v >> 24)); append(UInt8((v >> 16) & 0xFF)); append(UInt8((v >> 8) & 0xFF)); append(UInt8(v & 0xFF))
    }
}
