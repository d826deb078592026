import Foundation
import LNAData
import LNAAnalysis
import LNAReport
import LNAFiles

/// Two identifications of the same shape compared (before/after alignment, two datasets, two models of the
/// same shape): layer-wise Δ per class (Figure 4), Δ of the N-histogram (Figure 5), overlap per class
/// (Table 4), per-language Δ of specific and related neurons (Tables 2–3). Δ = B − A.
///
/// ```swift
/// let c = try MaskComparison(a: before, b: after, nameA: "base", nameB: "aligned")
/// try c.write(to: URL(fileURLWithPath: "cmp"))   // compare.json, figures, compare.html
/// ```
public struct MaskComparison: Sendable {
    public let nameA: String
    public let nameB: String
    public let a: MaskSet
    public let b: MaskSet
    public let classesA: NeuronClasses
    public let classesB: NeuronClasses

    public init(a: MaskSet, b: MaskSet, nameA: String = "A", nameB: String = "B") throws {
        guard a.layers == b.layers else {
            throw PipelineError.invalid("\(nameA) has \(a.layers) layers and \(nameB) \(b.layers); compare runs of models with the same shape")
        }
        self.a = a; self.b = b; self.nameA = nameA; self.nameB = nameB
        classesA = NeuronClasses(masks: a); classesB = NeuronClasses(masks: b)
    }

    /// Per class: B − A distinct neurons per layer.
    public var layerDelta: [NeuronClass: [Int]] {
        Dictionary(uniqueKeysWithValues: NeuronClass.allCases.map { cls in
            (cls, zip(classesB.perLayer[cls] ?? [], classesA.perLayer[cls] ?? []).map { $0 - $1 })
        })
    }

    /// appear(B)[N] − appear(A)[N] for N = 1…max(K).
    public var appearDelta: [Int] {
        let n = max(a.appear.count, b.appear.count)
        return (1..<n).map { i in (i < b.appear.count ? b.appear[i] : 0) - (i < a.appear.count ? a.appear[i] : 0) }
    }

    /// Languages in both sets, A's order.
    public var commonLanguages: [String] { a.languages.filter(b.languages.contains) }

    /// Per language: (A, B) counts of its specific and related mask neurons.
    public func languageCounts(_ cls: NeuronClass) -> [(language: String, a: Int, b: Int)] {
        commonLanguages.map { ($0, classesA.perLanguage[$0]?[cls] ?? 0, classesB.perLanguage[$0]?[cls] ?? 0) }
    }

    /// Overlap per class (needs the same neurons per layer).
    public func classOverlap() throws -> [(name: String, overlap: OverlapCount)] { try a.classOverlap(with: b) }

    public func layerDeltaChart() -> BarChart {
        var chart = BarChart(categories: (0..<a.layers).map(String.init),
                             series: NeuronClass.allCases.map { BarSeries(name: $0.rawValue, values: (layerDelta[$0] ?? []).map(Double.init)) },
                             mode: .grouped, title: "Δ neurons per layer (\(nameB) − \(nameA))")
        chart.xAxisTitle = "layer"; chart.yAxisTitle = "Δ neurons"
        return chart
    }

    public func appearDeltaChart() -> BarChart {
        var chart = BarChart(categories: appearDelta.indices.map { String($0 + 1) },
                             series: [BarSeries(name: "Δ", values: appearDelta.map(Double.init))],
                             mode: .grouped, title: "Δ neurons shared by N languages (\(nameB) − \(nameA))")
        chart.xAxisTitle = "N languages"; chart.yAxisTitle = "Δ neurons"; chart.valueLabels = .integer
        return chart
    }

    /// The JSON document (`compare.json`).
    public func json() -> JSONDocument {
        var pairs: [(String, JSONDocument)] = [
            ("format", .string("lna.compare/1")), ("a", .string(nameA)), ("b", .string(nameB)),
            ("layers", .int(a.layers)),
            ("layer_delta", .object(NeuronClass.allCases.map { ($0.rawValue, .ints(layerDelta[$0] ?? [])) })),
            ("appear_a", .ints(a.appear)), ("appear_b", .ints(b.appear)), ("appear_delta", .ints(appearDelta)),
            ("totals", .object(NeuronClass.allCases.map { cls in
                (cls.rawValue, .object([("a", .int(classesA.total(cls))), ("b", .int(classesB.total(cls)))]))
            })),
        ]
        for cls in [NeuronClass.specific, .related] {
            pairs.append(("per_language_\(cls.rawValue)", .object(languageCounts(cls).map { row in
                (row.language, .object([("a", .int(row.a)), ("b", .int(row.b)), ("delta", .int(row.b - row.a))]))
            })))
        }
        if let overlap = try? classOverlap() {
            pairs.append(("overlap", .object(overlap.map { row in
                (row.name, .object([("a", .int(row.overlap.first)), ("b", .int(row.overlap.second)), ("common", .int(row.overlap.common)),
                                    ("ratio_of_a", .number(row.overlap.ratioOfFirst)), ("jaccard", .number(row.overlap.jaccard))]))
            })))
        }
        return .object(pairs)
    }

    /// Plain-text tables for the terminal.
    public func text() -> String {
        var lines = ["A = \(nameA), B = \(nameB); Δ = B − A", "", "class      A total  B total      Δ"]
        for cls in NeuronClass.allCases {
            let x = classesA.total(cls), y = classesB.total(cls)
            lines.append(pad(cls.rawValue, 9) + lpad(x, 9) + lpad(y, 9) + lpad(y - x, 7))
        }
        lines += ["", "N-histogram Δ (N = 1…): " + appearDelta.map(String.init).joined(separator: " ")]
        if let overlap = try? classOverlap() {
            lines += ["", "overlap    |A|      |B|      |A∩B|   |A∩B|/|A|  Jaccard"]
            for row in overlap {
                lines.append(pad(row.name, 9) + lpad(row.overlap.first, 7) + lpad(row.overlap.second, 9) + lpad(row.overlap.common, 9)
                             + String(format: "%11.3f %8.3f", row.overlap.ratioOfFirst, row.overlap.jaccard))
            }
        }
        lines += ["", "language   specific A   B     Δ   related A   B     Δ"]
        let s = languageCounts(.specific), r = languageCounts(.related)
        for (x, y) in zip(s, r) {
            lines.append(pad(x.language, 9) + lpad(x.a, 11) + lpad(x.b, 5) + lpad(x.b - x.a, 6) + lpad(y.a, 11) + lpad(y.b, 5) + lpad(y.b - y.a, 6))
        }
        return lines.joined(separator: "\n")
    }

    /// Writes compare.json, the two Δ figures (PNG + SVG) and compare.html into `directory`.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        var files: [URL] = []
        let jsonURL = directory.appendingPathComponent("compare.json")
        try AtomicFile.write(Data(json().serialized(pretty: true).utf8), to: jsonURL)
        files.append(jsonURL)
        let layer = Figure(layerDeltaChart()), appear = Figure(appearDeltaChart())
        let l = try layer.write(to: directory, name: "compare_layer_delta")
        let n = try appear.write(to: directory, name: "compare_shared_by_n_delta")
        files += [l.png, l.svg, n.png, n.svg]
        var report = HTMLReport(title: "Comparison: \(nameA) → \(nameB)")
        var section = HTMLSection(title: "Language neurons, \(nameB) − \(nameA)")
        var totals = DataTable(columns: ["class", nameA, nameB, "Δ"])
        for cls in NeuronClass.allCases {
            let x = classesA.total(cls), y = classesB.total(cls)
            totals.addRow([.text(cls.rawValue), .number(Double(x), .integer), .number(Double(y), .integer), .number(Double(y - x), .signed(0))])
        }
        section.table(totals)
        try section.figure(layer, caption: "Layer-wise Δ per class (Figure 4).")
        try section.figure(appear, caption: "Δ of the N-histogram (Figure 5).")
        if let overlap = try? classOverlap() {
            var t = DataTable(columns: ["class", "|A|", "|B|", "|A∩B|", "|A∩B|/|A|", "Jaccard"], caption: "Overlap per class (Table 4).")
            for row in overlap {
                t.addRow([.text(row.name), .number(Double(row.overlap.first), .integer), .number(Double(row.overlap.second), .integer),
                          .number(Double(row.overlap.common), .integer), .number(row.overlap.ratioOfFirst, .fixed(3)), .number(row.overlap.jaccard, .fixed(3))])
            }
            section.table(t)
        }
        var perLanguage = DataTable(columns: ["language", "specific \(nameA)", "specific \(nameB)", "Δ specific", "related \(nameA)", "related \(nameB)", "Δ related"],
                                    caption: "Per-language specific and related neurons (Tables 2–3).")
        for (x, y) in zip(languageCounts(.specific), languageCounts(.related)) {
            perLanguage.addRow([.text(LanguageLabels.label(x.language)), .number(Double(x.a), .integer), .number(Double(x.b), .integer), .number(Double(x.b - x.a), .signed(0)),
                                .number(Double(y.a), .integer), .number(Double(y.b), .integer), .number(Double(y.b - y.a), .signed(0))])
        }
        section.table(perLanguage)
        report.add(section)
        let html = directory.appendingPathComponent("compare.html")
        try report.write(to: html)
        files.append(html)
        return files
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ x: Int, _ n: Int) -> String { let s = String(x); return s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}
