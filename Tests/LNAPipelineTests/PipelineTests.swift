import Foundation
import Testing
import LNAAnalysis
import LNAPerplexity
import LNAPipeline
import LNAReport
import LNATestSupport

/// Three languages, two layers of 8 neurons: en {0,1,2 | 0}, fr {1,2,3 | 0,5}, zh {2 | 0,7}.
func toyMasks() throws -> MaskSet {
    try MaskSet(languages: ["en", "fr", "zh"], layers: 2, width: 8,
                lists: [[[0, 1, 2], [0]], [[1, 2, 3], [0, 5]], [[2], [0, 7]]])
}

func toyPerplexity() -> PerplexityDocument {
    func cell(_ nll: Double) -> [TextScore] { [TextScore(tokens: 5, nllSum: 5 * nll, njunlpMeanNLL: nll), TextScore(tokens: 7, nllSum: 7 * nll + 0.3, njunlpMeanNLL: nll)] }
    let result = PerplexityGridResult(rows: ["none", "en", "zh"], columns: ["en", "zh"],
                                      scores: [[cell(2), cell(3)], [cell(3), cell(3.1)], [cell(2.05), cell(4)]],
                                      measure: .tokenWeighted, deactivatedNeurons: [0, 4, 3])
    return result.document(metadata: ["model": "toy", "classes": "all"])
}

func isPNG(_ url: URL) -> Bool {
    guard let d = try? Data(contentsOf: url) else { return false }
    return Array(d.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
}

@Suite struct PipelineTests {
    @Test func maskFiguresWritePNGAndSVG() throws {
        let dir = try TestResources.temporaryDirectory("figures")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try MaskFigures.write(try toyMasks(), to: dir)
        #expect(files.count == 8)
        for name in ["classes_per_layer", "shared_by_n", "language_overlap", "language_per_layer"] {
            #expect(isPNG(dir.appendingPathComponent(name + ".png")))
            let svg = try String(contentsOf: dir.appendingPathComponent(name + ".svg"), encoding: .utf8)
            #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"))
        }
        let overlap = try String(contentsOf: dir.appendingPathComponent("language_overlap.svg"), encoding: .utf8)
        #expect(overlap.contains("中文"))
    }

    /// The classes figure plots the all-language population next to specific and related (general is empty
    /// under the NJUNLP rule, so it is left out); the per-language figure is one panel per language, in run order.
    @Test func maskFiguresPlotSharedNeuronsAndSmallMultiples() throws {
        let masks = try toyMasks()
        let classes = MaskFigures.classesPerLayer(masks, allLanguagePerLayer: [5, 9])
        #expect(classes.series.map(\.name) == ["specific", "related", "general", "active in all languages"])
        #expect(classes.series.last?.values == [5, 9] && classes.mode == .grouped)
        let noGeneral = try MaskSet(languages: ["en", "fr"], layers: 2, width: 8, lists: [[[0], [1]], [[2], []]])
        #expect(!MaskFigures.classesPerLayer(noGeneral, allLanguagePerLayer: [1, 2]).series.map(\.name).contains("general"))
        let panels = MaskFigures.perLanguagePerLayer(masks, order: ["zh", "en", "fr"])
        #expect(panels.charts.count == 3)
        let titles = panels.charts.compactMap { ($0 as? LineChart)?.title }
        #expect(titles == ["zh 中文", "en English", "fr Français"])
        let ranges = panels.charts.compactMap { ($0 as? LineChart)?.yRange }
        #expect(Set(ranges.map(\.upperBound)).count == 1)            // shared axes
        let overlap = MaskFigures.overlap(masks, order: ["zh", "en", "fr"])
        #expect(overlap.rowLabels.first == "zh 中文" && overlap.values[0][0] == 3)   // zh's mask: 3 neurons
        // masks.json written by identify carries the all-language population.
        let dir = try TestResources.temporaryDirectory("shared")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("masks.json")
        try Data(#"{"active_in_all_languages": {"total": 14, "per_layer": [5, 9]}}"#.utf8).write(to: url)
        #expect(MaskFigures.allLanguagePerLayer(masksJSON: url) == [5, 9])
    }

    @Test func comparisonCountsDeltas() throws {
        let a = try toyMasks()
        // B: en loses neuron 0 of layer 0; zh gains neuron 3 of layer 0.
        let b = try MaskSet(languages: ["en", "fr", "zh"], layers: 2, width: 8,
                            lists: [[[1, 2], [0]], [[1, 2, 3], [0, 5]], [[2, 3], [0, 7]]])
        let c = try MaskComparison(a: a, b: b, nameA: "base", nameB: "aligned")
        // A layer 0: 0→en (specific), 1→en,fr (related), 2→all (general), 3→fr (specific). B: 1 related, 2 general, 3 related.
        #expect(c.layerDelta[.specific] == [-2, 0])
        #expect(c.layerDelta[.related] == [1, 0])
        #expect(c.layerDelta[.general] == [0, 0])
        #expect(c.appearDelta == [-2, 1, 0])
        let overlap = try c.classOverlap()
        #expect(overlap.first { $0.name == "specific" }?.overlap.common == 2)   // layer-1 neurons 5 and 7
        let en = try #require(c.languageCounts(.specific).first { $0.language == "en" })
        #expect(en.a == 1 && en.b == 0)
        let dir = try TestResources.temporaryDirectory("compare")
        defer { try? FileManager.default.removeItem(at: dir) }
        try c.write(to: dir)
        #expect(isPNG(dir.appendingPathComponent("compare_layer_delta.png")))
        let json = try String(contentsOf: dir.appendingPathComponent("compare.json"), encoding: .utf8)
        #expect(json.contains("\"appear_delta\""))
        #expect(c.text().contains("specific"))
        #expect(throws: PipelineError.self) {
            try MaskComparison(a: a, b: try MaskSet(languages: ["en"], layers: 3, width: 8, lists: [[[], [], []]]))
        }
    }

    @Test func perplexityHeatmapHasBaselineAndNativeLabels() throws {
        let doc = toyPerplexity()
        let map = PerplexityFigures.deltaHeatmap(doc)
        #expect(map.rowLabels.first == "none (baseline)")
        #expect(map.columnLabels.contains("zh 中文"))
        #expect(map.values[0] == [1, 1])                       // ratios: the baseline row is ×1
        #expect(map.values[1][0] == doc.ratio[1][0] && map.annotation == .ratio)
        if case .logRatio = map.scale {} else { Issue.record("the perplexity grid is not on a log-ratio scale") }
        // The run's order puts zh first in rows and columns; the baseline stays on top.
        let ordered = PerplexityFigures.deltaHeatmap(doc, order: ["zh", "fr", "en"])
        #expect(ordered.rowLabels == ["none (baseline)", "zh 中文", "en English"])
        #expect(ordered.columnLabels == ["zh 中文", "en English"])
        #expect(ordered.values[1][1] == doc.ratio[2][0])
        let dir = try TestResources.temporaryDirectory("pplfig")
        defer { try? FileManager.default.removeItem(at: dir) }
        try PerplexityFigures.write(toyPerplexity(), to: dir)
        #expect(isPNG(dir.appendingPathComponent("ppl_delta.png")))
    }

    @Test func reportOfARunDirectoryHasEveryPart() throws {
        let dir = try TestResources.temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = RunDirectory(dir)
        try Data(#"{"name": "toy-run", "model": "gemma3-270m", "languages": ["en", "fr", "zh"]}"#.utf8).write(to: run.runJSON)
        try Data(#"{"lambda": 0.05, "appear": [0, 4, 2, 1], "steps": [{"kind": "lo", "iteration": 0, "lambda": 0, "appear": [0,1,1,3], "ok": false}, {"kind": "mid", "iteration": 1, "lambda": 0.05, "appear": [0,4,2,1], "ok": true}]}"#.utf8).write(to: run.autosweepJSON)
        try Data(try toyMasks().json().serialized(pretty: true).utf8).write(to: run.masksJSON)
        try toyPerplexity().write(to: run.ppl.appendingPathComponent("ppl.json"))
        try toyPerplexity().write(to: dir.appendingPathComponent("ppl-specific/ppl.json"))
        let html = try RunReport(run: run).build().html()
        #expect(html.contains("Perplexity under deactivation (ppl-specific)"))
        for needle in ["toy-run", "AutoSweep", "0.05", "Language neurons", "specific", "Figures", "Perplexity under deactivation",
                       "Δ perplexity against the baseline row", "Files", "ppl/ppl.json", "masks.json"] {
            #expect(html.contains(needle), "report lacks \(needle)")
        }
        // Four mask figures and the two Δ-PPL heatmaps are embedded.
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 6)
        let written = try RunReport(run: run).write()
        #expect(written.lastPathComponent == "report.html")
        #expect(FileManager.default.fileExists(atPath: written.path))
    }

    @Test func reportOfAnEmptyDirectoryStillWorks() throws {
        let dir = try TestResources.temporaryDirectory("empty-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try RunReport(run: RunDirectory(dir)).build().html()
        #expect(html.contains("No run.json"))
        #expect(throws: PipelineError.self) { try RunDirectory.masksFile(for: dir) }
    }
}
