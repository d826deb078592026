/// Several charts laid out in a grid as one figure ("small multiples"), e.g. neurons per layer for each language.
///
/// ```swift
/// let panels = languages.map { lang in
///     var c = BarChart(categories: layers, series: [BarSeries(name: lang, values: counts[lang]!)])
///     c.title = lang; c.plotHeight = 120; c.plotWidth = 220
///     return c as any Chart
/// }
/// var grid = ChartGrid(charts: panels, columns: 3)
/// grid.title = "Language-specific neurons per layer"
/// ```
public struct ChartGrid: Chart {
    public var charts: [any Chart]
    public var columns: Int
    public var title: String?
    public var spacing: Double = 8
    public var style = ChartStyle()

    /// `ChartGrid(charts: panels, columns: 3, title: "per language")`.
    public init(charts: [any Chart], columns: Int, title: String? = nil) {
        self.charts = charts; self.columns = max(1, columns); self.title = title
    }

    /// Lays the panels out in equal cells, row by row.
    public func scene(fonts: FontLibrary) throws -> Scene {
        guard !charts.isEmpty else { throw ReportError.invalidChart("chart grid '\(title ?? "")' has no charts") }
        let scenes = try charts.map { try $0.scene(fonts: fonts) }
        let cellW = scenes.map(\.width).max() ?? 0, cellH = scenes.map(\.height).max() ?? 0
        let top = title == nil ? 0 : style.margin + style.titleSize * 1.6
        var items = [SceneItem]()
        if let title {
            items.append(.text(title, at: Point(x: style.margin, y: style.margin),
                               style: TextStyle(size: style.titleSize, weight: .bold, color: style.textColor, baseline: .top)))
        }
        for (i, scene) in scenes.enumerated() {
            let dx = Double(i % columns) * (cellW + spacing), dy = top + Double(i / columns) * (cellH + spacing)
            items += scene.items.map { $0.offset(dx: dx, dy: dy) }
        }
        let cols = min(columns, scenes.count), rows = (scenes.count + columns - 1) / columns
        var width = Double(cols) * cellW + Double(cols - 1) * spacing
        if let title { width = max(width, Measure(fonts: fonts).width(title, style.titleSize, .bold) + 2 * style.margin) }
        return Scene(width: width, height: top + Double(rows) * cellH + Double(rows - 1) * spacing, items: items,
                     title: title ?? "\(scenes.count) charts")
    }
}
