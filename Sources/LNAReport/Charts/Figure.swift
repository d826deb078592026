import Foundation
import LNAFiles

/// A chart ready to be written: renders one scene to PNG (at `pngScale` pixels per unit) and to SVG.
///
/// ```swift
/// let figure = Figure(heatmap)
/// let files = try figure.write(to: URL(fileURLWithPath: "out"), name: "ppl-delta")  // out/ppl-delta.png + .svg
/// let png = try figure.pngData()          // for HTMLReport
/// ```
public struct Figure: Sendable {
    public var chart: any Chart
    /// Pixels per user unit in the PNG (2 = sharp on high-density screens, and 12 px labels become 24 px).
    public var pngScale: Double
    public var fonts: FontLibrary
    /// Upper bound on PNG pixels: a huge chart (say a 200 × 200 language grid) is drawn at a lower scale
    /// instead of allocating hundreds of megabytes. The SVG is unaffected.
    public var maxPixels: Double = 16_000_000

    /// `Figure(heatmap, pngScale: 1)`; fonts default to the standard catalog.
    public init(_ chart: any Chart, pngScale: Double = 2, fonts: FontLibrary = .shared) {
        self.chart = chart; self.pngScale = pngScale; self.fonts = fonts
    }

    /// The laid-out scene: `try Figure(chart).scene().texts` lists every label.
    public func scene() throws -> Scene { try chart.scene(fonts: fonts) }

    /// The PNG scale actually used for `scene`: `pngScale`, reduced if the image would exceed `maxPixels`.
    public func effectiveScale(for scene: Scene) -> Double {
        let area = max(1, scene.width * scene.height)
        return min(pngScale, (maxPixels / area).squareRoot())
    }

    /// The PNG raster before encoding: `try Figure(chart).raster().pixel(x: 0, y: 0)`.
    public func raster() throws -> RasterImage { try raster(of: try scene()) }

    func raster(of scene: Scene) throws -> RasterImage {
        try RasterRenderer(scale: effectiveScale(for: scene), fonts: fonts).render(scene)
    }

    /// PNG bytes (RGB): `try Figure(chart).pngData()`.
    public func pngData() throws -> Data { try PNGEncoder(channels: .rgb).encodeData(try raster()) }

    /// The SVG document: `try Figure(chart).svg()`.
    public func svg() throws -> String { SVGRenderer().render(try scene()) }

    /// Writes `name.png` and `name.svg` into `directory` (created if needed), each atomically.
    /// Both are rendered before either is written, so a chart error leaves no file behind.
    @discardableResult
    public func write(to directory: URL, name: String) throws -> (png: URL, svg: URL) {
        guard !name.isEmpty, !name.contains("/") else {
            throw ReportError.invalidChart("figure name '\(name)' must be a plain file name without '/'")
        }
        let scene = try scene()
        let png = try PNGEncoder(channels: .rgb).encodeData(try raster(of: scene))
        let svg = SVGRenderer().render(scene)
        let pngURL = directory.appendingPathComponent(name + ".png"), svgURL = directory.appendingPathComponent(name + ".svg")
        try AtomicFile.write(png, to: pngURL)
        try AtomicFile.write(svg, to: svgURL)
        return (pngURL, svgURL)
    }
}
