/// A matrix of coloured cells with row and column labels, optional value annotations, a colour bar and
/// missing cells. Use a diverging scale for signed changes (Δ perplexity) and a sequential one for counts or rates.
///
/// ```swift
/// let langs = ["en", "中文", "বাংলা", "ไทย"]
/// var map = Heatmap(rowLabels: ["none"] + langs, columnLabels: langs,
///                   values: deltas,                       // [[Double?]], rows × columns, nil = missing
///                   scale: .diverging(.blueWhiteRed, center: 0))
/// map.title = "Δ perplexity after deactivation"
/// map.rowAxisTitle = "deactivated language"; map.columnAxisTitle = "evaluated language"
/// map.annotation = .signed(2); map.colorBarLabel = "Δ PPL"
/// map.rowSeparators = [0]                                 // a line under the baseline row
/// try Figure(map).write(to: outputDir, name: "ppl-delta")
/// ```
public struct Heatmap: Chart {
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// Rows × columns; nil (or NaN) marks a missing cell; ±∞ is drawn in the scale's end colour.
    public var values: [[Double?]]
    public var scale: ColorScale
    public var title: String?
    public var rowAxisTitle: String?
    public var columnAxisTitle: String?
    /// Format of the number printed in each cell; nil prints nothing.
    public var annotation: NumberFormat?
    /// Title of the colour bar; nil hides the bar's title (the bar itself is shown when `showColorBar`).
    public var colorBarLabel: String?
    public var showColorBar = true
    /// Format of the colour bar's tick labels (automatic when nil).
    public var colorBarFormat: NumberFormat?
    /// Cell width; widened automatically so annotations fit.
    public var cellWidth: Double = 48
    public var cellHeight: Double = 30
    /// Draw a dark line below these row indices (e.g. 0 under a baseline row).
    public var rowSeparators: Set<Int> = []
    /// Draw a dark line right of these column indices (e.g. between language families).
    public var columnSeparators: Set<Int> = []
    /// Text in missing cells.
    public var missingText = "–"
    public var missingColor = Color(hex: 0xF0F0F0)
    public var style = ChartStyle()

    /// `Heatmap(rowLabels: ["a"], columnLabels: ["x", "y"], values: [[1, nil]], scale: .sequential(.oranges))`.
    public init(rowLabels: [String], columnLabels: [String], values: [[Double?]],
                scale: ColorScale = .sequential(.viridis), title: String? = nil) {
        self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.values = values
        self.scale = scale; self.title = title
    }

    /// Convenience for a dense matrix (NaN marks missing values).
    public init(rowLabels: [String], columnLabels: [String], dense: [[Double]],
                scale: ColorScale = .sequential(.viridis), title: String? = nil) {
        self.init(rowLabels: rowLabels, columnLabels: columnLabels,
                  values: dense.map { $0.map { $0.isNaN ? nil : $0 } }, scale: scale, title: title)
    }

    func validate() throws {
        guard !rowLabels.isEmpty, !columnLabels.isEmpty else {
            throw ReportError.invalidChart("heatmap needs at least one row and one column (got \(rowLabels.count)×\(columnLabels.count))")
        }
        guard values.count == rowLabels.count else {
            throw ReportError.invalidChart("heatmap has \(rowLabels.count) row labels but \(values.count) rows of values")
        }
        for (i, row) in values.enumerated() where row.count != columnLabels.count {
            throw ReportError.invalidChart("heatmap row \(i) ('\(rowLabels[i])') has \(row.count) values, expected \(columnLabels.count)")
        }
    }

    /// The scale with its limits fixed from the data.
    public func resolvedScale() -> ResolvedColorScale {
        scale.resolved(for: values.flatMap { $0.compactMap { $0 } })
    }

    /// Lays the heatmap out; throws `ReportError.invalidChart` for empty or ragged input.
    public func scene(fonts: FontLibrary) throws -> Scene {
        try validate()
        let m = Measure(fonts: fonts)
        let s = style
        let resolved = resolvedScale()

        // Cell size: wide enough for the annotations and, if possible, for horizontal column labels.
        let annotations: [[String?]] = values.map { row in
            row.map { v in
                guard let v, !v.isNaN else { return nil }
                return annotation?.string(v)
            }
        }
        let annotationWidth = m.maxWidth(annotations.flatMap { $0.compactMap { $0 } }, s.annotationSize)
        let cellW = max(cellWidth, annotationWidth + 10)
        // Rows grow so that the rotated row-axis title fits beside them.
        let rowTitleWidth = rowAxisTitle.map { m.width($0, s.labelSize, .bold) } ?? 0
        let cellH = max(cellHeight, s.annotationSize * 1.9, (rowTitleWidth + 12) / Double(rowLabels.count))
        let columnLabelWidth = m.maxWidth(columnLabels, s.labelSize)
        let rotateColumns = columnLabelWidth > cellW - 6
        let columnLabelBand = rotateColumns ? columnLabelWidth + 8 : s.labelSize * 1.6

        let titleBand = title.map { _ in s.titleSize * 2 } ?? s.margin * 0.3
        let rowTitleBand = rowAxisTitle.map { _ in s.labelSize * 1.8 } ?? 0
        let rowLabelWidth = m.maxWidth(rowLabels, s.labelSize)
        let gridX = s.margin + rowTitleBand + rowLabelWidth + 8
        let gridY = s.margin + titleBand
        let gridW = cellW * Double(columnLabels.count), gridH = cellH * Double(rowLabels.count)

        var items = [SceneItem]()
        // Cells.
        for (r, row) in values.enumerated() {
            for (c, value) in row.enumerated() {
                let rect = Rect(x: gridX + Double(c) * cellW + 0.5, y: gridY + Double(r) * cellH + 0.5,
                                width: cellW - 1, height: cellH - 1)
                let center = Point(x: rect.midX, y: rect.midY)
                if let value, !value.isNaN {
                    // Infinite values (an overflowing perplexity) take the end colour and print as ±∞.
                    let fill = resolved.color(for: value)
                    let shown = (annotation ?? .automatic).string(value)
                    items.append(.rect(rect, fill: fill, tooltip: "\(rowLabels[r]) → \(columnLabels[c]): \(shown)"))
                    if let text = annotations[r][c] {
                        items.append(.text(text, at: center, style: TextStyle(size: s.annotationSize, color: fill.contrastingText,
                                                                              anchor: .middle, baseline: .middle)))
                    }
                } else {
                    items.append(.rect(rect, fill: missingColor, tooltip: "\(rowLabels[r]) → \(columnLabels[c]): missing"))
                    if annotation != nil {
                        items.append(.text(missingText, at: center, style: TextStyle(size: s.annotationSize, color: .muted,
                                                                                     anchor: .middle, baseline: .middle)))
                    }
                }
            }
        }
        for r in rowSeparators.sorted() where r >= 0 && r < rowLabels.count - 1 {
            let y = gridY + Double(r + 1) * cellH
            items.append(.polyline([Point(x: gridX, y: y), Point(x: gridX + gridW, y: y)], color: s.textColor, width: 2))
        }
        for c in columnSeparators.sorted() where c >= 0 && c < columnLabels.count - 1 {
            let x = gridX + Double(c + 1) * cellW
            items.append(.polyline([Point(x: x, y: gridY), Point(x: x, y: gridY + gridH)], color: s.textColor, width: 2))
        }
        // Row labels (right-aligned), column labels (below; rotated when they do not fit).
        for (r, label) in rowLabels.enumerated() {
            items.append(.text(label, at: Point(x: gridX - 8, y: gridY + (Double(r) + 0.5) * cellH),
                               style: TextStyle(size: s.labelSize, color: s.textColor, anchor: .end, baseline: .middle)))
        }
        for (c, label) in columnLabels.enumerated() {
            let x = gridX + (Double(c) + 0.5) * cellW
            if rotateColumns {
                items.append(.text(label, at: Point(x: x, y: gridY + gridH + 6),
                                   style: TextStyle(size: s.labelSize, color: s.textColor, anchor: .end, baseline: .middle, rotation: .up)))
            } else {
                items.append(.text(label, at: Point(x: x, y: gridY + gridH + 6),
                                   style: TextStyle(size: s.labelSize, color: s.textColor, anchor: .middle, baseline: .top)))
            }
        }
        var bottom = gridY + gridH + columnLabelBand
        var minimumWidth = 0.0
        if let columnAxisTitle {
            // Centred under the grid, but never cut off at the left edge.
            let titleWidth = m.width(columnAxisTitle, s.labelSize, .bold)
            let centerX = max(gridX + gridW / 2, s.margin + titleWidth / 2)
            minimumWidth = centerX + titleWidth / 2 + s.margin
            items.append(.text(columnAxisTitle, at: Point(x: centerX, y: bottom + 6),
                               style: TextStyle(size: s.labelSize, weight: .bold, color: s.textColor, anchor: .middle, baseline: .top)))
            bottom += s.labelSize * 1.9
        }
        if let rowAxisTitle {
            items.append(.text(rowAxisTitle, at: Point(x: s.margin, y: gridY + gridH / 2),
                               style: TextStyle(size: s.labelSize, weight: .bold, color: s.textColor, anchor: .middle, baseline: .top, rotation: .up)))
        }

        // Colour bar.
        var right = gridX + gridW
        if showColorBar {
            let bar = colorBar(x: right + 18, y: gridY, height: max(gridH, 120), scale: resolved, measure: m)
            items += bar.items
            right = bar.right
            bottom = max(bottom, gridY + max(gridH, 120) + 8)
        }
        var width = max(right + s.margin, minimumWidth)
        if let title {
            let titleWidth = m.width(title, s.titleSize, .bold)
            width = max(width, s.margin * 2 + titleWidth)
            items.append(.text(title, at: Point(x: s.margin, y: s.margin), style: TextStyle(size: s.titleSize, weight: .bold, color: s.textColor, baseline: .top)))
        }
        return Scene(width: width.rounded(.up), height: (bottom + s.margin).rounded(.up), items: items,
                     title: title ?? "heatmap \(rowLabels.count)×\(columnLabels.count)")
    }

    private func colorBar(x: Double, y: Double, height: Double, scale: ResolvedColorScale, measure m: Measure) -> (items: [SceneItem], right: Double) {
        let s = style
        let barWidth = 14.0, steps = 96
        var items = [SceneItem]()
        for i in 0..<steps {
            // Top of the bar is the upper limit.
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            let y0 = y + height * Double(i) / Double(steps)
            items.append(.rect(Rect(x: x, y: y0, width: barWidth, height: height / Double(steps) + 0.6), fill: scale.palette.color(at: t)))
        }
        items.append(.rect(Rect(x: x, y: y, width: barWidth, height: height), fill: .clear, stroke: s.axisColor, strokeWidth: 0.8))
        let ticks = scale.ticks(targetCount: 5)
        let tickFormat = colorBarFormat ?? (scale.isLogRatio ? .ratio
            : NumberFormat.ticks(decimals: NiceTicks(lower: scale.lower, upper: scale.upper, targetCount: 5).decimals))
        var labelWidth = 0.0
        for v in ticks {
            let ty = y + height * (1 - scale.fraction(for: v))
            items.append(.polyline([Point(x: x + barWidth, y: ty), Point(x: x + barWidth + 4, y: ty)], color: s.axisColor, width: 1))
            let label = tickFormat.string(v)
            labelWidth = max(labelWidth, m.width(label, s.tickSize))
            items.append(.text(label, at: Point(x: x + barWidth + 7, y: ty), style: TextStyle(size: s.tickSize, color: s.textColor, baseline: .middle)))
        }
        var right = x + barWidth + 7 + labelWidth
        if let colorBarLabel {
            items.append(.text(colorBarLabel, at: Point(x: right + 8, y: y + height / 2),
                               style: TextStyle(size: s.labelSize, color: s.textColor, anchor: .middle, baseline: .top, rotation: .up)))
            right += 8 + s.labelSize * 1.3
        }
        return (items, right)
    }
}
