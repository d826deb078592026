import Foundation
import LNAReport
import Testing

@Test func niceTicksCoverTheRange() {
    let t = NiceTicks(lower: 0.13, upper: 9.7, targetCount: 5)
    #expect(t.values == [0, 2, 4, 6, 8, 10])
    #expect(NiceTicks(lower: -0.31, upper: 0.42, targetCount: 5).values == [-0.4, -0.2, 0, 0.2, 0.4, 0.6])
    #expect(NiceTicks(lower: 0, upper: 100, targetCount: 4).values == [0, 25, 50, 75, 100])
    #expect(NiceTicks(lower: 0, upper: 0.3, targetCount: 3).values == [0, 0.1, 0.2, 0.3])
    #expect(NiceTicks(lower: 0, upper: 0.3, targetCount: 3).decimals == 1)
    #expect(NiceTicks(lower: 5, upper: 5).values.count >= 2)
    #expect(NiceTicks.inside(lower: -1.3, upper: 2.7) == [-1, 0, 1, 2])
}

@Test func numberFormats() {
    let nnbsp = "\u{202F}"
    #expect(NumberFormat.fixed(2).string(3.14159) == "3.14")
    #expect(NumberFormat.fixed(1).string(-2.25) == "−2.2" || NumberFormat.fixed(1).string(-2.25) == "−2.3")
    #expect(NumberFormat.signed(2).string(0.5) == "+0.50")
    #expect(NumberFormat.signed(2).string(-0.5) == "−0.50")
    #expect(NumberFormat.signed(1).string(0.01) == "0.0")
    #expect(NumberFormat.percent(0).string(87.4) == "87%")
    #expect(NumberFormat.fractionAsPercent(1).string(0.1234) == "12.3%")
    #expect(NumberFormat.integer.string(1_234_567) == "1\(nnbsp)234\(nnbsp)567")
    #expect(NumberFormat.integer.string(-386_926) == "−386\(nnbsp)926")
    #expect(NumberFormat.integer.string(999) == "999")
    // The three styles the issue found mixed in one figure (−0.0175, 386926, 3.64e6) now share one rule:
    // three significant digits below 1000, grouped whole numbers above, never e-notation.
    #expect(NumberFormat.automatic.string(-0.0175) == "−0.0175")
    #expect(NumberFormat.automatic.string(386_926.4) == "386\(nnbsp)926")
    #expect(NumberFormat.automatic.string(3_640_000) == "3\(nnbsp)640\(nnbsp)000")
    #expect(NumberFormat.automatic.string(12.5) == "12.5")
    #expect(NumberFormat.automatic.string(0.000123) == "0.000123")
    #expect(NumberFormat.automatic.string(0.0000123) == "1.23×10⁻⁵")
    #expect(NumberFormat.automatic.string(999.7) == "1\(nnbsp)000")
    #expect(NumberFormat.ratio.string(1.5) == "×1.5")
    #expect(NumberFormat.ratio.string(0.99812) == "×0.998")
    #expect(NumberFormat.ratio.string(1.04) == "×1.04")
    #expect(NumberFormat.ratio.string(832_353.2) == "×832\(nnbsp)353")
    #expect(NumberFormat.ratio.string(.infinity) == "×∞")
    #expect(NumberFormat.fixed(2).string(.nan) == "–")
    #expect(NumberFormat.ticks(decimals: 0) == .integer && NumberFormat.ticks(decimals: 2) == .fixed(2))
    for v in [-0.0175, 386_926, 3.64e6, 1e300, -1e-300, 5e-324] {
        #expect(!NumberFormat.automatic.string(v).contains("e"), "\(v)")
    }
}

/// A log-ratio scale is symmetric around ×1 and keeps a ×1.5 cell visibly coloured next to a ×1000 one.
@Test func logRatioScaleShowsSmallEffectsNextToHugeOnes() throws {
    let scale = ColorScale.logRatio(.blueWhiteRed).resolved(for: [1, 1.5, 1000, 0.9])
    #expect(scale.color(for: 1) == Palette.blueWhiteRed.color(at: 0.5))
    #expect(scale.color(for: 1000) == Palette.blueWhiteRed.stops.last)
    #expect(abs(scale.fraction(for: 10) - 0.5 - (0.5 - scale.fraction(for: 0.1))) < 1e-12)   // ×10 and ×0.1 mirror
    #expect(scale.fraction(for: 2) < scale.fraction(for: 5) && scale.fraction(for: 5) < scale.fraction(for: 1000))
    #expect(scale.ticks().contains(1) && scale.ticks().contains(1000) && scale.ticks().contains(0.001))
    // In a rendered heatmap: the ×1.5 cell differs from the ×1 cell by far more than rounding noise.
    var map = Heatmap(rowLabels: ["none", "a", "b"], columnLabels: ["x", "y"],
                      values: [[1, 1], [1.5, 1000], [1, 0.9]], scale: .logRatio(.blueWhiteRed))
    map.annotation = .ratio
    let scene = try map.scene(fonts: .shared)
    func fill(_ tip: String) -> Color? {
        for case .rect(_, let f, _, _, let t?) in scene.items where t == tip { return f }
        return nil
    }
    let one = try #require(fill("none → x: ×1")), oneAndHalf = try #require(fill("a → x: ×1.5"))
    #expect(colourDistance(one, oneAndHalf) > 60, "×1.5 \(oneAndHalf) too close to ×1 \(one)")
    #expect(scene.texts.contains("×1.5") && scene.texts.contains("×1\u{202F}000") && scene.texts.contains("×0.9"))
    // The linear Δ scale the figure used before would leave ×1.5 almost white.
    let linear = ColorScale.diverging(.blueWhiteRed, center: 0).resolved(for: [0, 0.5, 999])
    #expect(colourDistance(linear.color(for: 0), linear.color(for: 0.5)) < 5)
}

/// Euclidean distance in sRGB (0…441).
func colourDistance(_ a: Color, _ b: Color) -> Double {
    let d = [Double(a.r) - Double(b.r), Double(a.g) - Double(b.g), Double(a.b) - Double(b.b)]
    return d.map { $0 * $0 }.reduce(0, +).squareRoot()
}

/// Deuteranopia and protanopia simulation (Viénot, Brettel & Mollon 1999, on linear RGB).
func simulateColourBlind(_ c: Color, protan: Bool) -> (Double, Double, Double) {
    func lin(_ v: UInt8) -> Double { let x = Double(v) / 255; return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4) }
    let (r, g, b) = (lin(c.r), lin(c.g), lin(c.b))
    let m: [[Double]] = protan
        ? [[0.11238, 0.88762, 0], [0.11238, 0.88762, 0], [0.00401, -0.00401, 1]]
        : [[0.29275, 0.70725, 0], [0.29275, 0.70725, 0], [-0.02234, 0.02234, 1]]
    return (m[0][0] * r + m[0][1] * g + m[0][2] * b, m[1][0] * r + m[1][1] * g + m[1][2] * b, m[2][0] * r + m[2][1] * g + m[2][2] * b)
}

/// No built-in ramp pairs red with green, and the two ends of every diverging ramp stay far apart for
/// deuteranopes and protanopes (RdYlGn's ends, the old steering palette, nearly merge).
@Test func palettesAreColourBlindSafe() {
    func hue(_ c: Color) -> Double {
        let r = Double(c.r) / 255, g = Double(c.g) / 255, b = Double(c.b) / 255
        let mx = max(r, g, b), mn = min(r, g, b)
        guard mx - mn > 0.15 else { return -1 }   // greys have no hue
        var h: Double = mx == r ? (g - b) / (mx - mn) : mx == g ? 2 + (b - r) / (mx - mn) : 4 + (r - g) / (mx - mn)
        h *= 60; if h < 0 { h += 360 }
        return h
    }
    func isRed(_ h: Double) -> Bool { h >= 0 && (h < 20 || h > 340) }
    func isGreen(_ h: Double) -> Bool { h >= 90 && h <= 160 }
    for palette in Palette.all {
        let hues = palette.stops.map(hue)
        #expect(!(hues.contains(where: isRed) && hues.contains(where: isGreen)), "\(palette.name) pairs red and green")
    }
    func simulatedDistance(_ a: Color, _ b: Color, protan: Bool) -> Double {
        let x = simulateColourBlind(a, protan: protan), y = simulateColourBlind(b, protan: protan)
        return ((x.0 - y.0) * (x.0 - y.0) + (x.1 - y.1) * (x.1 - y.1) + (x.2 - y.2) * (x.2 - y.2)).squareRoot()
    }
    for palette in [Palette.coolWarm, .blueWhiteRed, .purpleOrange] {
        let lo = palette.stops.first!, hi = palette.stops.last!
        for protan in [false, true] { #expect(simulatedDistance(lo, hi, protan: protan) > 0.09, "\(palette.name) ends merge") }
    }
    let rdYlGn = (Color(hex: 0xA50026), Color(hex: 0x006837))   // the palette the steering grid used to have
    #expect(simulatedDistance(rdYlGn.0, rdYlGn.1, protan: false) < 0.05)
}

@Test func divergingScaleIsCentred() {
    let scale = ColorScale.diverging(.coolWarm, center: 0).resolved(for: [-1, 0.5, 4])
    #expect(scale.lower == -4 && scale.upper == 4)
    #expect(scale.color(for: 0) == Palette.coolWarm.color(at: 0.5))
    #expect(scale.color(for: 4) == Palette.coolWarm.stops.last)
    let seq = ColorScale.sequential(.viridis, domain: 0...100).resolved(for: [3, 4])
    #expect(seq.color(for: 100) == Palette.viridis.stops.last && seq.color(for: -5) == Palette.viridis.stops.first)
}

/// Languages with names in their own scripts, as the PPL heatmap shows them.
let languageNames = ["English", "中文", "বাংলা", "ไทย", "日本語", "Русский"]

func deltaHeatmap() -> Heatmap {
    var values: [[Double?]] = [[0, 0, 0, 0, 0, 0]]
    for i in 0..<6 { values.append((0..<6).map { j in i == j ? Double(4 + i) : -0.3 + Double(j) * 0.1 }) }
    values[3][2] = nil
    var map = Heatmap(rowLabels: ["none"] + languageNames, columnLabels: languageNames, values: values,
                      scale: .diverging(.coolWarm, center: 0), title: "Δ perplexity <after> deactivation")
    map.rowAxisTitle = "deactivated language"; map.columnAxisTitle = "evaluated language"
    map.annotation = .signed(2); map.colorBarLabel = "Δ PPL"; map.rowSeparators = [0]
    return map
}

@Test func heatmapCellColoursMatchThePalette() throws {
    let map = deltaHeatmap()
    let scene = try map.scene(fonts: .shared)
    let rects: [(Rect, Color, String?)] = scene.items.compactMap {
        if case .rect(let r, let fill, _, _, let tip) = $0 { return (r, fill, tip) } else { return nil }
    }
    // The "none" row holds zeros: the centre colour of the diverging palette.
    let none = rects.filter { $0.2?.hasPrefix("none → ") == true }
    #expect(none.count == 6)
    #expect(none.allSatisfy { $0.1 == Palette.coolWarm.color(at: 0.5) })
    // Largest |value| (9 on the diagonal) gets the end colour.
    let top = try #require(rects.first { $0.2 == "Русский → Русский: +9.00" })
    #expect(top.1 == Palette.coolWarm.stops.last)
    // Missing cell.
    let missing = try #require(rects.first { $0.2 == "বাংলা → বাংলা: missing" })
    #expect(missing.1 == map.missingColor)

    // The PNG shows those colours at the cell centres.
    let figure = Figure(map, pngScale: 2)
    let png = try DecodedPNG([UInt8](try figure.pngData()))
    #expect(Double(png.width) == scene.width * 2)
    for (rect, colour, _) in [none[0], top, missing] {
        // Sample off the annotation text: a quarter of the way into the cell.
        let x = Int((rect.x + rect.width * 0.12) * 2), y = Int((rect.y + rect.height * 0.2) * 2)
        #expect(png.pixel(x, y) == colour)
    }
    #expect(scene.texts.contains("+9.00") && scene.texts.contains("−0.30") && scene.texts.contains("–"))
}

@Test func heatmapShowsInfinityAndShrinksHugePNGs() throws {
    let values: [[Double?]] = (0..<60).map { i in (0..<60).map { j in i == j ? .infinity : Double(i - j) } }
    var map = Heatmap(rowLabels: (0..<60).map { "l\($0)" }, columnLabels: (0..<60).map { "l\($0)" }, values: values,
                      scale: .diverging(.coolWarm))
    map.annotation = .fixed(0)
    let scene = try map.scene(fonts: .shared)
    #expect(scene.texts.contains("∞"))
    let top = scene.items.first { if case .rect(_, _, _, _, let t?) = $0 { return t == "l0 → l0: ∞" } else { return false } }
    if case .rect(_, let fill, _, _, _)? = top { #expect(fill == Palette.coolWarm.stops.last) } else { Issue.record("no ∞ cell") }
    var figure = Figure(map)
    figure.maxPixels = 2_000_000
    let image = try figure.raster()
    #expect(Double(image.width * image.height) <= 2_000_000 * 1.01)
    #expect(figure.effectiveScale(for: scene) < 2)
}

@Test func heatmapSeparatorsSpanTheGrid() throws {
    var map = Heatmap(rowLabels: ["a", "b", "c"], columnLabels: ["x", "y", "z"], dense: [[1, 2, 3], [4, 5, 6], [7, 8, .nan]])
    map.rowSeparators = [0, 2]       // 2 is the last row: ignored
    map.columnSeparators = [1]
    let scene = try map.scene(fonts: .shared)
    let thick = scene.items.compactMap { if case .polyline(let p, _, 2, _) = $0 { return p } else { return nil } }
    #expect(thick.count == 2)
    #expect(thick.contains { $0[0].y == $0[1].y } && thick.contains { $0[0].x == $0[1].x })
    #expect(map.values[2][2] == nil)
}

@Test func heatmapRejectsRaggedRows() {
    let bad = Heatmap(rowLabels: ["a", "b"], columnLabels: ["x"], values: [[1], [1, 2]])
    #expect(throws: ReportError.invalidChart("heatmap row 1 ('b') has 2 values, expected 1")) { try bad.scene(fonts: .shared) }
    #expect(throws: ReportError.self) { try Heatmap(rowLabels: [], columnLabels: [], values: []).scene(fonts: .shared) }
}

@Test func barChartsStackAndGroup() throws {
    let series = [BarSeries(name: "specific", values: [1, 2, 3]), BarSeries(name: "related", values: [2, 2, 2]),
                  BarSeries(name: "general", values: [0, 1, 5])]
    let stacked = try BarChart.stacked(categories: ["0", "1", "2"], series: series, title: "per layer").scene(fonts: .shared)
    let grouped = try BarChart.grouped(categories: ["0", "1", "2"], series: series).scene(fonts: .shared)
    func bars(_ s: Scene) -> [Rect] { s.items.compactMap { if case .rect(let r, _, _, _, let t?) = $0, !t.isEmpty { return r } else { return nil } } }
    #expect(bars(stacked).count == 9 && bars(grouped).count == 9)   // a zero-valued bar is still a (flat) rect
    // Stacked bars of one category share x and touch each other.
    let layer2 = bars(stacked).filter { abs($0.x - bars(stacked)[8].x) < 0.01 }
    #expect(layer2.count == 3)
    #expect(stacked.texts.contains("specific") && stacked.texts.contains("general") && stacked.texts.contains("per layer"))
    #expect(throws: ReportError.self) {
        try BarChart(categories: ["a"], series: [BarSeries(name: "s", values: [1, 2])]).scene(fonts: .shared)
    }
}

@Test func histogramBinsValues() throws {
    let h = Histogram(values: [0, 0.1, 0.2, 0.9, 1.0, .nan], binCount: 2)
    #expect(h.counts == [3, 2])
    #expect(h.labels == ["0.25", "0.75"])
    let scene = try Histogram(labels: ["1", "2", "3"], counts: [812, 301, 5], title: "shared by N languages").scene(fonts: .shared)
    #expect(scene.texts.contains("812") && scene.texts.contains("shared by N languages"))
}

@Test func logScaleHistogramUsesDecades() throws {
    var h = Histogram(labels: ["1", "2", "3", "4"], counts: [2400, 130, 0, 3])
    h.logScale = true
    let scene = try h.scene(fonts: .shared)
    for tick in ["1", "10", "100", "1\u{202F}000", "10\u{202F}000"] { #expect(scene.texts.contains(tick), "tick \(tick)") }
    let bars = scene.items.compactMap { if case .rect(let r, _, _, _, let t?) = $0 { return (r, t) } else { return nil } }
    #expect(bars.count == 3)   // the zero bin draws nothing
    // Decades are evenly spaced: 3 (count) sits at log10(3) / 4 of the plot height above 1.
    let tall = try #require(bars.first { $0.1.hasSuffix(": 2\u{202F}400") }).0, short = try #require(bars.first { $0.1.hasSuffix(": 3") }).0
    #expect(abs(short.height / tall.height - log10(3) / log10(2400)) < 0.01)
}

@Test func lineChartDrawsSeriesAndBreaksAtGaps() throws {
    var chart = LineChart(series: [LineSeries(name: "中文", points: [(1, 0.1), (2, .nan), (4, 0.8), (8, 0.9)]),
                                   LineSeries(name: "en", values: [0.5, 0.4, 0.2])])
    chart.yRange = 0...1; chart.yTickFormat = .fractionAsPercent(0); chart.xAxisTitle = "amplification factor"
    let scene = try chart.scene(fonts: .shared)
    let lines = scene.items.compactMap { if case .polyline(let p, _, 2, _) = $0 { return p.count } else { return nil } }
    #expect(lines.contains(2) && lines.contains(3))   // 中文 splits at NaN: [1] alone is no line, [4, 8] is
    #expect(scene.texts.contains("100%") && scene.texts.contains("中文") && scene.texts.contains("amplification factor"))
    #expect(throws: ReportError.self) { try LineChart(series: []).scene(fonts: .shared) }
}

@Test func chartGridPlacesPanels() throws {
    let panels: [any Chart] = ["en", "fr", "de"].map { BarChart(categories: ["0", "1"], series: [BarSeries(name: $0, values: [1, 2])], title: $0) }
    let one = try panels[0].scene(fonts: .shared)
    let grid = try ChartGrid(charts: panels, columns: 2, title: "per language").scene(fonts: .shared)
    #expect(grid.width >= one.width * 2 && grid.height >= one.height * 2)
    #expect(grid.texts.filter { ["en", "fr", "de"].contains($0) }.count == 3)
}

@Test func figureWritesBothFilesAtomically() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lna-report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try Figure(deltaHeatmap()).write(to: dir, name: "ppl-delta")
    #expect(files.png.lastPathComponent == "ppl-delta.png" && files.svg.lastPathComponent == "ppl-delta.svg")
    let png = try DecodedPNG([UInt8](try Data(contentsOf: files.png)))
    #expect(png.width > 300)
    #expect(try String(contentsOf: files.svg, encoding: .utf8).contains("বাংলা"))
    // Only the two files: no temporary leftovers.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["ppl-delta.png", "ppl-delta.svg"])
    // A bad chart writes nothing.
    let bad = Heatmap(rowLabels: ["a"], columnLabels: ["x"], values: [[1, 2]])
    #expect(throws: ReportError.self) { try Figure(bad).write(to: dir, name: "bad") }
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.png").path))
    #expect(throws: ReportError.self) { try Figure(deltaHeatmap()).write(to: dir, name: "a/b") }
}

@Test func negativeBarsHangBelowZero() throws {
    let chart = BarChart(categories: ["a", "b"], series: [BarSeries(name: "Δ", values: [2, -1])])
    let scene = try chart.scene(fonts: .shared)
    let bars = scene.items.compactMap { if case .rect(let r, _, _, _, let t?) = $0 { return (r, t) } else { return nil } }
    let up = try #require(bars.first { $0.1.hasPrefix("Δ, a") }).0, down = try #require(bars.first { $0.1.hasPrefix("Δ, b") }).0
    #expect(abs(up.maxY - down.y) < 0.01)            // both start at the zero line
    #expect(abs(up.height - 2 * down.height) < 0.01)
    #expect(scene.texts.contains("−1") || scene.texts.contains("−1.0"))
}
