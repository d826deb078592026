import Foundation
import LNAData
import LNALens
import LNAReport

/// The figures of `lna lens`: per language pair, the probability on the target's and the rival's (English's)
/// first tokens per layer, with the share of prompts whose top-1 token is in each (dashed); per direction, the
/// entropy per layer of every pair.
///
/// ```swift
/// let doc = try LensDocument.read(from: url)
/// try LensFigures.write(doc, to: outDir)   // lens_fr-en.png/.svg, …, lens_entropy_to-en.png/.svg, …
/// ```
public enum LensFigures {
    /// File name (without extension) of a pair's figure: `lens_fr-en`.
    public static func name(_ pair: LensPair) -> String { "lens_\(pair.source)-\(pair.target)" }

    public static func pairChart(_ pair: LensPair, intervention: String?) -> LineChart {
        var languages = [pair.target, pair.rival]
        for language in pair.layers.first?.mass.keys.sorted() ?? [] where !languages.contains(language) { languages.append(language) }
        var series: [LineSeries] = languages.filter { l in pair.layers.contains { $0.mass[l] != nil } }.map { language in
            LineSeries(name: "P(\(LanguageLabels.label(language)))", values: pair.layers.map { $0.mass[language]?.mean ?? 0 })
        }
        for language in [pair.target, pair.rival] where pair.layers.contains(where: { $0.top1[language] != nil }) {
            series.append(LineSeries(name: "top-1 \(language)", points: pair.layers.map { (Double($0.layer), $0.top1[language]?.mean ?? 0) },
                                     dashed: true))
        }
        let title = pair.source == pair.target ? "Logit lens on \(LanguageLabels.label(pair.source)) texts"
            : "Logit lens \(LanguageLabels.label(pair.source)) → \(LanguageLabels.label(pair.target))"
        var chart = LineChart(series: series, title: title + (intervention == nil ? "" : " (intervention)"))
        chart.xAxisTitle = "layer (block output)"
        chart.yAxisTitle = "probability / share of prompts"
        chart.yRange = 0...1
        chart.yTickFormat = .fractionAsPercent(0)
        return chart
    }

    /// Entropy per layer of every pair whose target (`to-en`) or source (`from-en`) is English.
    public static func entropyChart(_ pairs: [LensPair], title: String) -> LineChart {
        let series = pairs.map { pair in
            LineSeries(name: "\(pair.source)→\(pair.target)", values: pair.layers.map(\.entropy.mean))
        }
        var chart = LineChart(series: series, title: title)
        chart.xAxisTitle = "layer (block output)"
        chart.yAxisTitle = "entropy (nats)"
        return chart
    }

    /// The groups of the entropy figures: (file suffix, title, pairs), non-empty only.
    public static func entropyGroups(_ doc: LensDocument) -> [(name: String, title: String, pairs: [LensPair])] {
        let toEnglish = doc.pairs.filter { $0.target == "en" && $0.source != "en" }
        let fromEnglish = doc.pairs.filter { $0.source == "en" && $0.target != "en" }
        let rest = doc.pairs.filter { !toEnglish.contains($0) && !fromEnglish.contains($0) }
        return [("lens_entropy_to-en", "Entropy of the lens, X → English", toEnglish),
                ("lens_entropy_from-en", "Entropy of the lens, English → X", fromEnglish),
                ("lens_entropy", "Entropy of the lens", rest)].filter { !$0.pairs.isEmpty }
    }

    /// Writes every figure (PNG + SVG) and returns the files.
    @discardableResult
    public static func write(_ doc: LensDocument, to directory: URL) throws -> [URL] {
        var files: [URL] = []
        for pair in doc.pairs {
            let f = try Figure(pairChart(pair, intervention: doc.intervention)).write(to: directory, name: name(pair))
            files += [f.png, f.svg]
        }
        for group in entropyGroups(doc) {
            let f = try Figure(entropyChart(group.pairs, title: group.title)).write(to: directory, name: group.name)
            files += [f.png, f.svg]
        }
        return files
    }

    /// A plain-text summary: per pair, prompts, the target's and the rival's mass at the last layer, the rival's
    /// peak before the target overtakes, and the overtaking layer.
    public static func table(_ doc: LensDocument) -> String {
        let header = ["pair", "prompts", "P(target) last", "P(rival) last", "rival peak (layer)", "overtake", "min entropy (layer)"]
        var rows: [[String]] = []
        for pair in doc.pairs {
            guard let last = pair.layers.last else { continue }
            let minEntropy = pair.layers.min { $0.entropy.mean < $1.entropy.mean }
            rows.append(["\(pair.source)→\(pair.target)", "\(pair.prompts)",
                         percent(last.mass[pair.target]?.mean), percent(last.mass[pair.rival]?.mean),
                         pair.rivalPeak.map { "\(percent($0)) (\(pair.rivalPeakLayer ?? -1))" } ?? "–",
                         pair.overtakeLayer.map { "\($0)" } ?? "never",
                         minEntropy.map { String(format: "%.2f", $0.entropy.mean) + " (\($0.layer))" } ?? "–"])
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        let lines = ([header] + rows).map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }
}
