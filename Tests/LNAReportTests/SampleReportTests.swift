import Foundation
import LNAReport
import Testing

/// Builds every kind of figure the CLI will make, from made-up but plausible numbers, plus the HTML report that
/// embeds them. Writes to `LNA_REPORT_SAMPLE_DIR` when set (scripts/dev/report-screenshot.sh looks at them),
/// otherwise to a temporary folder that is removed.
enum SampleReport {
    static let codes = ["en", "de", "fr", "es", "ru", "zh", "ja", "ko", "th", "bn", "te", "sw", "ar"]
    static let names = ["English", "Deutsch", "Français", "Español", "Русский", "中文", "日本語", "한국어", "ไทย", "বাংলা",
                        "తెలుగు", "Kiswahili", "العربية"]

    /// A deterministic pseudo-random number in 0..<1.
    static func noise(_ a: Int, _ b: Int) -> Double {
        var x = UInt64(a &* 7919 &+ b &* 104_729 &+ 17)
        x ^= x >> 13; x = x &* 0x5DEE_CE66D; x ^= x >> 17
        return Double(x % 10_000) / 10_000
    }

    static func figures() -> [(name: String, caption: String, chart: any Chart)] {
        let n = codes.count
        // Δ PPL: large on the diagonal, small elsewhere, a baseline row of zeros, one missing cell.
        var delta: [[Double?]] = [Array(repeating: 0, count: n)]
        for i in 0..<n {
            delta.append((0..<n).map { j in i == j ? 2 + 30 * noise(i, j) : -0.4 + 1.2 * noise(i, j) })
        }
        delta[5][9] = nil
        var ppl = Heatmap(rowLabels: ["none"] + names, columnLabels: names, values: delta,
                          scale: .diverging(.blueWhiteRed, center: 0), title: "Δ perplexity after deactivating a language's neurons")
        ppl.rowAxisTitle = "deactivated language"; ppl.columnAxisTitle = "evaluated language"
        ppl.annotation = .signed(1); ppl.colorBarLabel = "Δ PPL"; ppl.rowSeparators = [0]

        let layers = (0..<24).map(String.init)
        func perLayer(_ scale: Double, _ salt: Int) -> [Double] {
            (0..<24).map { l in (scale * (0.3 + noise(l, salt)) * (l < 3 || l > 19 ? 3 : 1)).rounded() }
        }
        var classes = BarChart(categories: layers, series: [
            BarSeries(name: "language-specific", values: perLayer(40, 1)),
            BarSeries(name: "language-related", values: perLayer(90, 2)),
            BarSeries(name: "general", values: perLayer(150, 3)),
        ], mode: .stacked, title: "Neurons per layer by class")
        classes.xAxisTitle = "layer"; classes.yAxisTitle = "neurons"

        var grouped = classes
        grouped.mode = .grouped; grouped.title = "Neurons per layer by class (grouped)"

        var shared = Histogram(labels: (1...n).map(String.init),
                               counts: (1...n).map { k in (2400 * pow(0.55, Double(k - 1))).rounded() },
                               title: "Neurons shared by N languages")
        shared.xAxisTitle = "N (languages sharing the neuron)"; shared.yAxisTitle = "neurons"; shared.logScale = true

        let overlapValues: [[Double?]] = (0..<n).map { i in (0..<n).map { j in i == j ? 900 + 300 * noise(i, 0) : (400 * noise(min(i, j), max(i, j))).rounded() } }
        var overlap = Heatmap(rowLabels: names, columnLabels: names, values: overlapValues,
                              scale: .sequential(.oranges), title: "Overlap of language neurons |Sᵢ ∩ Sⱼ|")
        overlap.annotation = .integer; overlap.colorBarLabel = "shared neurons"

        var perLanguage = LineChart(series: (0..<n).map { i in LineSeries(name: names[i], values: perLayer(10, 10 + i)) },
                                    title: "Language-specific neurons per layer")
        perLanguage.xAxisTitle = "layer"; perLanguage.yAxisTitle = "neurons"; perLanguage.xTickFormat = .fixed(0)

        let small = ChartGrid(charts: (0..<6).map { i in
            var c = BarChart(categories: layers, series: [BarSeries(name: names[i], values: perLayer(10, 10 + i), color: Palette.seriesColor(i))], title: names[i])
            c.plotWidth = 230; c.plotHeight = 110
            return c
        }, columns: 3, title: "Per language (small multiples)")

        let steerValues: [[Double?]] = (0..<6).map { i in (0..<6).map { j in i == j ? nil : (100 * noise(i, j + 50)).rounded() } }
        var steer = Heatmap(rowLabels: Array(names[0..<6]), columnLabels: Array(names[0..<6]), values: steerValues,
                            scale: .sequential(.viridis, domain: 0...100), title: "Steering success rate")
        steer.rowAxisTitle = "deactivated (source) language"; steer.columnAxisTitle = "activated (target) language"
        steer.annotation = .percent(0); steer.colorBarLabel = "success rate"; steer.colorBarFormat = .percent(0)

        let factors: [Double] = [0, 1, 2, 4, 6, 8, 10]
        var share = LineChart(series: ["中文", "日本語", "Français", "other"].enumerated().map { k, name in
            LineSeries(name: name, points: factors.map { f in (f, k == 3 ? max(0, 1 - f / 8) * 0.3 : min(1, f / (4 + Double(k) * 3)) * (0.9 - 0.1 * Double(k))) })
        }, title: "Share of outputs in each language vs amplification")
        share.xAxisTitle = "amplification factor"; share.yAxisTitle = "share of outputs"
        share.yRange = 0...1; share.yTickFormat = .fractionAsPercent(0); share.xTicks = factors

        return [("ppl-delta", "Δ PPL = PPL(deactivated) − PPL(none).", ppl),
                ("layer-classes", "Stacked by class.", classes), ("layer-classes-grouped", "Grouped by class.", grouped),
                ("n-histogram", "How many languages share each neuron.", shared), ("overlap", "Pairwise overlaps.", overlap),
                ("per-language-layers", "One line per language.", perLanguage), ("per-language-grid", "Small multiples.", small),
                ("steer-success", "Success rate per (source, target).", steer), ("steer-share", "Amplification sweep.", share)]
    }

    static func build(into dir: URL) throws -> URL {
        var report = HTMLReport(title: "lna sample report", subtitle: "made-up numbers, every figure type")
        var settings = HTMLSection(title: "Settings")
        settings.settings([("model", "gemma3-270m (Q4_K_M)"), ("top rate", "1%"), ("languages", codes.joined(separator: ", "))])
        settings.paragraph("Text with <markup> & ampersands is escaped. Names in their own scripts: " + names.joined(separator: " · "))
        report.add(settings)
        var section = HTMLSection(title: "Figures")
        var files: [(String, String?)] = []
        for f in figures() {
            let figure = Figure(f.chart)
            try figure.write(to: dir, name: f.name)
            section.heading(f.name)
            try section.figure(figure, caption: f.caption)
            files.append((f.name + ".png", f.caption)); files.append((f.name + ".svg", nil))
        }
        report.add(section)
        var tables = HTMLSection(title: "Tables")
        tables.table(.matrix(rowHeader: "deactivated", rowLabels: ["none", "English", "中文"], columnLabels: ["English", "中文"],
                             values: [[12.31, 20.5], [45.02, 21.0], [12.9, nil]], format: .fixed(2), caption: "Perplexity"))
        tables.files(files, linked: true)
        report.add(tables)
        report.footer = "LNAReport sample"
        let url = dir.appendingPathComponent("report.html")
        try report.write(to: url)
        return url
    }
}

@Test func sampleReportRendersEveryFigure() throws {
    let env = ProcessInfo.processInfo.environment["LNA_REPORT_SAMPLE_DIR"]
    let dir = env.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("lna-sample-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { if env == nil { try? FileManager.default.removeItem(at: dir) } }
    let url = try SampleReport.build(into: dir)
    let html = try String(contentsOf: url, encoding: .utf8)
    #expect(html.components(separatedBy: "data:image/png;base64,").count == SampleReport.figures().count + 1)
    for f in SampleReport.figures() {
        let png = try DecodedPNG([UInt8](try Data(contentsOf: dir.appendingPathComponent(f.name + ".png"))))
        #expect(png.width > 200 && png.height > 150, "\(f.name) is \(png.width)x\(png.height)")
        _ = try parseSVG(try String(contentsOf: dir.appendingPathComponent(f.name + ".svg"), encoding: .utf8))
    }
}
