/// Draws a `Scene` into a `RasterImage` at a pixel scale (2 gives crisp text on high-density screens).
///
/// ```swift
/// let image = try RasterRenderer(scale: 2).render(scene)
/// let png = try PNGEncoder().encode(image)
/// ```
public struct RasterRenderer: Sendable {
    public var scale: Double
    public var fonts: FontLibrary

    /// A renderer at `scale` pixels per user unit: `RasterRenderer(scale: 1, fonts: FontLibrary(catalog: .builtinOnly))`.
    public init(scale: Double = 2, fonts: FontLibrary = .shared) {
        self.scale = max(0.25, scale); self.fonts = fonts
    }

    /// Draws the scene on its background: `let image = try RasterRenderer().render(scene)`.
    public func render(_ scene: Scene) throws -> RasterImage {
        let w = Int((scene.width * scale).rounded(.up)), h = Int((scene.height * scale).rounded(.up))
        var image = try RasterImage(width: max(1, w), height: max(1, h), background: scene.background)
        for item in scene.items { draw(item, on: &image) }
        return image
    }

    private func p(_ point: Point) -> Point { Point(x: point.x * scale, y: point.y * scale) }

    private func draw(_ item: SceneItem, on image: inout RasterImage) {
        switch item {
        case .rect(let r, let fill, let stroke, let strokeWidth, _):
            image.fillRect(x: r.x * scale, y: r.y * scale, width: r.width * scale, height: r.height * scale, color: fill)
            if let stroke {
                let corners = [Point(x: r.x, y: r.y), Point(x: r.maxX, y: r.y), Point(x: r.maxX, y: r.maxY),
                               Point(x: r.x, y: r.maxY), Point(x: r.x, y: r.y)]
                drawPolyline(corners, color: stroke, width: strokeWidth, dash: [], on: &image)
            }
        case .polyline(let points, let color, let width, let dash):
            drawPolyline(points, color: color, width: width, dash: dash, on: &image)
        case .circle(let c, let r, let fill):
            image.fillCircle(center: p(c), radius: r * scale, color: fill)
        case .polygon(let points, let fill):
            image.fillPolygon(points.map(p), color: fill)
        case .text(let string, let at, let style):
            drawText(string, at: at, style: style, on: &image)
        }
    }

    private func drawPolyline(_ points: [Point], color: Color, width: Double, dash: [Double], on image: inout RasterImage) {
        guard points.count >= 2 else { return }
        let scaled = points.map(p)
        let pattern = dash.filter { $0 > 0 }.map { $0 * scale }
        if pattern.isEmpty {
            for i in 1..<scaled.count { image.drawLine(from: scaled[i - 1], to: scaled[i], width: width * scale, color: color) }
            return
        }
        // Walk the polyline, switching the pen on and off along the dash pattern.
        var patternIndex = 0, remaining = pattern[0], on = true
        for i in 1..<scaled.count {
            var a = scaled[i - 1]
            let b = scaled[i]
            var segment = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            while segment > 1e-9 {
                let step = min(segment, remaining)
                let t = step / segment
                let next = Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
                if on { image.drawLine(from: a, to: next, width: width * scale, color: color) }
                a = next; segment -= step; remaining -= step
                if remaining <= 1e-9 {
                    patternIndex = (patternIndex + 1) % pattern.count
                    remaining = pattern[patternIndex]; on.toggle()
                }
            }
        }
    }

    private func drawText(_ string: String, at: Point, style: TextStyle, on image: inout RasterImage) {
        guard !string.isEmpty else { return }
        let size = style.size * scale
        var mask = fonts.render(string, size: size, weight: style.weight)
        let shift = style.baselineShift * scale
        let offset: Double
        switch style.anchor {
        case .start: offset = 0
        case .middle: offset = mask.advance / 2
        case .end: offset = mask.advance
        }
        let x = at.x * scale, y = at.y * scale
        let left: Double, top: Double
        switch style.rotation {
        case .none:
            left = x - offset - Double(mask.originX)
            top = y + shift - Double(mask.baseline)
        case .up:
            mask = mask.rotatedCounterClockwise()
            left = x + shift - Double(mask.originX)
            top = y + offset - Double(mask.baseline)
        }
        image.drawMask(mask.pixels, maskWidth: mask.width, maskHeight: mask.height,
                       x: Int(left.rounded()), y: Int(top.rounded()), color: style.color)
    }
}
