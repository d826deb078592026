import Foundation
import LNAReport
import Testing

/// A raster with varied content (gradients, noise) so every filter type gets chosen somewhere.
private func sampleImage(width: Int = 37, height: Int = 23) throws -> RasterImage {
    var rgba = [UInt8]()
    var seed: UInt32 = 12345
    for y in 0..<height {
        for x in 0..<width {
            seed = seed &* 1_103_515_245 &+ 12345
            let noise = UInt8((seed >> 16) & 0xFF)
            rgba += [UInt8(x * 255 / width), UInt8(y * 255 / height), x % 5 == 0 ? noise : UInt8((x + y) & 0xFF), UInt8(255 - (x * 3 % 200))]
        }
    }
    return try RasterImage(width: width, height: height, rgba: rgba)
}

@Test(arguments: [PNGEncoder.Filtering.none, .adaptive])
func pngRoundTripsRGBA(filtering: PNGEncoder.Filtering) throws {
    let image = try sampleImage()
    let bytes = try PNGEncoder(channels: .rgba, filtering: filtering).encode(image)
    let png = try DecodedPNG(bytes)
    #expect(png.width == 37 && png.height == 23 && png.colorType == 6)
    #expect(png.rgba == image.pixels)
}

@Test func pngRGBDropsAlphaAndKeepsColours() throws {
    let image = try sampleImage()
    let png = try DecodedPNG(try PNGEncoder(channels: .rgb).encode(image))
    #expect(png.colorType == 2)
    for y in [0, 11, 22] {
        for x in [0, 18, 36] {
            let want = image.pixel(x: x, y: y)!
            #expect(png.pixel(x, y) == Color(r: want.r, g: want.g, b: want.b))
        }
    }
}

@Test func pngChunkStructureAndCRCs() throws {
    let image = try sampleImage(width: 64, height: 64)
    // A tiny IDAT limit forces the stream to be split over several chunks.
    let bytes = try PNGEncoder(maxIDATSize: 100).encode(image)
    let png = try DecodedPNG(bytes)
    #expect(png.chunks.first?.type == "IHDR")
    #expect(png.chunks.last?.type == "IEND" && png.chunks.last?.data.isEmpty == true)
    #expect(png.chunks.filter { $0.type == "IDAT" }.count > 2)
    #expect(Set(png.chunks.map(\.type)) == ["IHDR", "IDAT", "IEND"])
    for chunk in png.chunks {
        #expect(chunk.storedCRC == DecodedPNG.independentCRC(Array(chunk.type.utf8) + chunk.data), "CRC of \(chunk.type)")
    }
    // IHDR: 8-bit, colour type 6, deflate, adaptive filtering, no interlace.
    #expect(Array(png.chunks[0].data[8...]) == [8, 6, 0, 0, 0])
    #expect(png.chunks.last?.storedCRC == 0xAE42_6082)   // the well-known CRC of an empty IEND
    #expect(png.rgba == image.pixels)
}

@Test func zlibCRCMatchesIndependentCRC() {
    let data = Array("The quick brown fox jumps over the lazy dog".utf8)
    #expect(PNGEncoder.crc32(data) == 0x414F_A339)
    #expect(DecodedPNG.independentCRC(data) == 0x414F_A339)
}

@Test func rasterRejectsBadSizes() {
    #expect(throws: ReportError.self) { try RasterImage(width: 0, height: 5) }
    #expect(throws: ReportError.self) { try RasterImage(width: 2, height: 2, rgba: [0, 0, 0]) }
}

@Test func adaptiveFilteringCompressesCharts() throws {
    var image = try RasterImage(width: 300, height: 200, background: .white)
    for i in 0..<10 { image.fillRect(x: Double(i * 30), y: 0, width: 30, height: 200, color: Palette.seriesColor(i)) }
    image.drawLine(from: Point(x: 0, y: 0), to: Point(x: 300, y: 200), width: 2, color: .black)
    let plain = try PNGEncoder(filtering: .none).encode(image)
    let adaptive = try PNGEncoder(filtering: .adaptive).encode(image)
    #expect(adaptive.count <= plain.count)
    #expect(try DecodedPNG(adaptive).rgba == image.pixels)
}
