/// An RGBA8 raster (row-major, 4 bytes per pixel, straight alpha) with simple anti-aliased drawing.
///
/// ```swift
/// var image = try RasterImage(width: 64, height: 32, background: .white)
/// image.fillRect(x: 4, y: 4, width: 20, height: 10, color: Color(hex: 0x1F77B4))
/// let png = try PNGEncoder().encode(image)
/// ```
public struct RasterImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// RGBA bytes, `width * height * 4` of them.
    public private(set) var pixels: [UInt8]

    /// Largest side accepted; bigger rasters are almost certainly a units mistake.
    public static let maxSide = 32_768

    /// A raster filled with `background`; throws for sizes outside 1...`maxSide`: `try RasterImage(width: 4, height: 4)`.
    public init(width: Int, height: Int, background: Color = .white) throws {
        guard width > 0, height > 0, width <= Self.maxSide, height <= Self.maxSide else {
            throw ReportError.invalidRaster("size \(width)x\(height) is outside 1...\(Self.maxSide)")
        }
        self.width = width
        self.height = height
        var px = [UInt8](repeating: 0, count: width * height * 4)
        for i in stride(from: 0, to: px.count, by: 4) {
            px[i] = background.r; px[i + 1] = background.g; px[i + 2] = background.b; px[i + 3] = background.a
        }
        pixels = px
    }

    /// Wraps existing RGBA bytes; throws if the count is not `width * height * 4`.
    public init(width: Int, height: Int, rgba: [UInt8]) throws {
        guard width > 0, height > 0, width <= Self.maxSide, height <= Self.maxSide else {
            throw ReportError.invalidRaster("size \(width)x\(height) is outside 1...\(Self.maxSide)")
        }
        guard rgba.count == width * height * 4 else {
            throw ReportError.invalidRaster("\(rgba.count) bytes for \(width)x\(height) RGBA (expected \(width * height * 4))")
        }
        self.width = width; self.height = height; pixels = rgba
    }

    /// The colour at a pixel (nil outside the raster).
    public func pixel(x: Int, y: Int) -> Color? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = (y * width + x) * 4
        return Color(r: pixels[i], g: pixels[i + 1], b: pixels[i + 2], a: pixels[i + 3])
    }

    /// Composites `color` over one pixel with extra coverage `coverage` (0...1); outside pixels are ignored.
    @inline(__always)
    public mutating func blend(x: Int, y: Int, color: Color, coverage: Double = 1) {
        guard x >= 0, y >= 0, x < width, y < height, coverage > 0 else { return }
        let alpha = min(1, coverage) * Double(color.a) / 255
        let i = (y * width + x) * 4
        if alpha >= 0.999 {
            pixels[i] = color.r; pixels[i + 1] = color.g; pixels[i + 2] = color.b; pixels[i + 3] = 255
            return
        }
        let dstA = Double(pixels[i + 3]) / 255
        let outA = alpha + dstA * (1 - alpha)
        guard outA > 0 else { return }
        func ch(_ s: UInt8, _ d: UInt8) -> UInt8 {
            UInt8(min(255, max(0, ((Double(s) * alpha + Double(d) * dstA * (1 - alpha)) / outA).rounded())))
        }
        pixels[i] = ch(color.r, pixels[i]); pixels[i + 1] = ch(color.g, pixels[i + 1])
        pixels[i + 2] = ch(color.b, pixels[i + 2]); pixels[i + 3] = UInt8((outA * 255).rounded())
    }

    /// Fills a rectangle given in (possibly fractional) pixel coordinates; edge pixels get partial coverage.
    public mutating func fillRect(x: Double, y: Double, width w: Double, height h: Double, color: Color) {
        guard w > 0, h > 0 else { return }
        let x0 = max(0, Int(x.rounded(.down))), x1 = min(width - 1, Int((x + w).rounded(.up)) - 1)
        let y0 = max(0, Int(y.rounded(.down))), y1 = min(height - 1, Int((y + h).rounded(.up)) - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        for py in y0...y1 {
            let cy = min(Double(py + 1), y + h) - max(Double(py), y)
            for px in x0...x1 {
                let cx = min(Double(px + 1), x + w) - max(Double(px), x)
                blend(x: px, y: py, color: color, coverage: cx * cy)
            }
        }
    }

    /// Draws a straight segment of the given width with round ends, anti-aliased by distance to the segment.
    public mutating func drawLine(from a: Point, to b: Point, width lineWidth: Double, color: Color) {
        let half = max(0.5, lineWidth / 2)
        let minX = max(0, Int((min(a.x, b.x) - half - 1).rounded(.down)))
        let maxX = min(width - 1, Int((max(a.x, b.x) + half + 1).rounded(.up)))
        let minY = max(0, Int((min(a.y, b.y) - half - 1).rounded(.down)))
        let maxY = min(height - 1, Int((max(a.y, b.y) + half + 1).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        // Thin lines get their ink spread so that a 1 px line still looks 1 px dark, not washed out.
        let strength = min(1, lineWidth)
        for py in minY...maxY {
            for px in minX...maxX {
                let cx = Double(px) + 0.5, cy = Double(py) + 0.5
                var t = len2 > 0 ? ((cx - a.x) * dx + (cy - a.y) * dy) / len2 : 0
                t = min(1, max(0, t))
                let ex = a.x + t * dx - cx, ey = a.y + t * dy - cy
                let d = (ex * ex + ey * ey).squareRoot()
                let coverage = min(1, max(0, half + 0.5 - d)) * strength
                if coverage > 0 { blend(x: px, y: py, color: color, coverage: coverage) }
            }
        }
    }

    /// Fills a circle, anti-aliased at its edge.
    public mutating func fillCircle(center c: Point, radius r: Double, color: Color) {
        let minX = max(0, Int((c.x - r - 1).rounded(.down))), maxX = min(width - 1, Int((c.x + r + 1).rounded(.up)))
        let minY = max(0, Int((c.y - r - 1).rounded(.down))), maxY = min(height - 1, Int((c.y + r + 1).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        for py in minY...maxY {
            for px in minX...maxX {
                let dx = Double(px) + 0.5 - c.x, dy = Double(py) + 0.5 - c.y
                let coverage = min(1, max(0, r + 0.5 - (dx * dx + dy * dy).squareRoot()))
                if coverage > 0 { blend(x: px, y: py, color: color, coverage: coverage) }
            }
        }
    }

    /// Fills a polygon (even-odd rule) with 4×4 supersampling per pixel; meant for small shapes like markers.
    public mutating func fillPolygon(_ points: [Point], color: Color) {
        guard points.count >= 3 else { return }
        let xs = points.map(\.x), ys = points.map(\.y)
        let minX = max(0, Int(xs.min()!.rounded(.down))), maxX = min(width - 1, Int(xs.max()!.rounded(.up)))
        let minY = max(0, Int(ys.min()!.rounded(.down))), maxY = min(height - 1, Int(ys.max()!.rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        for py in minY...maxY {
            for px in minX...maxX {
                var inside = 0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let p = Point(x: Double(px) + (Double(sx) + 0.5) / 4, y: Double(py) + (Double(sy) + 0.5) / 4)
                        if Self.contains(points, p) { inside += 1 }
                    }
                }
                if inside > 0 { blend(x: px, y: py, color: color, coverage: Double(inside) / 16) }
            }
        }
    }

    private static func contains(_ poly: [Point], _ p: Point) -> Bool {
        var inside = false
        var j = poly.count - 1
        for i in 0..<poly.count {
            let a = poly[i], b = poly[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside
    }

    /// Composites an 8-bit coverage mask (e.g. a glyph) in `color` with its top-left corner at (x, y).
    public mutating func drawMask(_ mask: [UInt8], maskWidth: Int, maskHeight: Int, x: Int, y: Int, color: Color) {
        guard maskWidth > 0, maskHeight > 0, mask.count >= maskWidth * maskHeight else { return }
        for my in 0..<maskHeight {
            let py = y + my
            guard py >= 0, py < height else { continue }
            for mx in 0..<maskWidth {
                let v = mask[my * maskWidth + mx]
                if v != 0 { blend(x: x + mx, y: py, color: color, coverage: Double(v) / 255) }
            }
        }
    }
}

/// A point in pixel (PNG) or user (SVG) units; y grows downwards.
public struct Point: Sendable, Hashable {
    public var x: Double
    public var y: Double
    /// `Point(x: 3, y: 4)`.
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle; y grows downwards.
public struct Rect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    /// `Rect(x: 0, y: 0, width: 10, height: 5)`.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
}
