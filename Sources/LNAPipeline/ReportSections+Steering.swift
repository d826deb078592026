import Foundation
import LNAReport
import LNASteering

/// The steering sections of `lna report`: the forcing grid, the amplification sweeps and progressive
/// deactivation, read from `RUN/steering/` (whatever of them exists).
///
/// ```swift
/// var report = HTMLReport(title: "gemma3-270m")
/// for section in try SteeringReportSections.sections(runDirectory: URL(fileURLWithPath: "runs/g")) {
///     report.add(section)
/// }
/// ```
public enum SteeringReportSections {
    /// Sections for every steering result in `runDirectory/steering`; empty when there is none.
    public static func sections(runDirectory: URL) throws -> [HTMLSection] {
        let directory = runDirectory.appendingPathComponent("steering")
        let fm = FileManager.default
        var sections: [HTMLSection] = []
        let grid = directory.appendingPathComponent("grid.json")
        let checkpoint = directory.appendingPathComponent("grid.checkpoint.json")
        if fm.fileExists(atPath: grid.path) {
            sections.append(try gridSection(SteeringGridResult.read(from: grid), order: RunDirectory(runDirectory).languageOrder()))
        } else if fm.fileExists(atPath: checkpoint.path) {
            sections.append(try gridSection(SteeringGridResult.read(from: checkpoint), order: RunDirectory(runDirectory).languageOrder()))
        }
        let names = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasPrefix("amplification-") && $0.hasSuffix(".json") }.sorted()
        let sweeps = try names.map { try AmplificationSweep.read(from: directory.appendingPathComponent($0)) }
        if !sweeps.isEmpty { sections.append(try amplificationSection(sweeps)) }
        let fallback = directory.appendingPathComponent("fallback.json")
        if fm.fileExists(atPath: fallback.path) {
            sections.append(try fallbackSection(FallbackExperiment.read(from: fallback)))
        }
        return sections
    }

    /// The forcing grid: settings, heatmap, success table with the baseline row, a few example outputs.
    public static func gridSection(_ grid: SteeringGridResult, order: [String]? = nil) throws -> HTMLSection {
        let c = grid.config
        var section = HTMLSection(title: "Steering: language forcing grid")
        section.paragraph("For every (source, target) pair the prompts of the source are answered with the source's neurons "
            + (c.deactivateSource ? "deactivated (\(c.deactivation)) " : "left alone ")
            + "and the target's neurons activated (\(c.method.rawValue), α = \(c.alpha)); a cell is the share of outputs "
            + "the language identifier labels as the target. The first row is the share of unsteered outputs already in each target."
            + (grid.complete ? "" : " The grid is incomplete (a checkpoint): missing cells are shown as –."))
        section.settings([
            ("model", c.model), ("sources", c.sources.joined(separator: ", ")), ("targets", c.targets.joined(separator: ", ")),
            ("prompts", "\(c.promptsPerLanguage) per source from \(c.prompts)"),
            ("generation", "max \(c.generation.maxTokens) tokens, temperature \(c.generation.temperature), repetition penalty \(c.generation.repetitionPenalty)"),
            ("positions", c.positions.rawValue),
        ])
        try section.figure(Figure(SteeringFigures.grid(grid, order: order)),
                           caption: "success rate (%), rows source, columns target")
        let summary = grid.summary
        section.paragraph(String(format: "Mean success %.1f %% against a mean baseline of %.1f %%; %d of %d targets above their baseline.",
                                 summary.meanSuccess * 100, summary.meanBaseline * 100, summary.targetsAboveBaseline, c.targets.count))
        section.table(DataTable.matrix(rowHeader: "source \\ target", rowLabels: ["no intervention"] + c.sources,
                                       columnLabels: c.targets, values: [grid.baselineRow()] + grid.successMatrix(),
                                       format: .fractionAsPercent(0), caption: "success rate"))
        var examples = DataTable(columns: ["source", "target", "question", "output", "identified"], caption: "first output of each cell")
        for cell in grid.baselines + grid.cells {
            guard let first = cell.outputs.first else { continue }
            examples.addRow([.text(cell.source), .text(cell.target ?? "none"), .text(first.question),
                             .text(String(first.text.prefix(160))), .text(first.language)])
        }
        section.table(examples)
        section.files([("steering/grid.json", "all outputs and settings"), ("steering/grid.png", nil), ("steering/grid.svg", nil)], linked: true)
        return section
    }

    /// Amplification sweeps: share in the language and PPL per factor, the smallest factor that steers.
    public static func amplificationSection(_ sweeps: [AmplificationSweep]) throws -> HTMLSection {
        var section = HTMLSection(title: "Steering: amplification")
        section.paragraph("Each language's neurons are multiplied by a factor at every position; per factor, the share of outputs "
            + "in that language and the perplexity on its texts. The smallest factor that steers reaches the threshold share.")
        var table = DataTable(columns: ["language", "factor", "neurons", "outputs in language", "PPL"])
        for sweep in sweeps {
            section.heading("\(sweep.config.language): smallest steering factor "
                + (sweep.smallestSteeringFactor.map { "\($0)" } ?? "none") + " (threshold \(Int(sweep.config.threshold * 100)) %)")
            try section.figure(Figure(SteeringFigures.amplificationShare(sweep)))
            if let ppl = SteeringFigures.amplificationPerplexity(sweep) { try section.figure(Figure(ppl)) }
            for p in sweep.points {
                table.addRow([.text(sweep.config.language), .number(Double(p.factor), .automatic),
                              .number(Double(p.editedNeurons), .integer), .number(p.targetShare, .fractionAsPercent(0)),
                              p.perplexity.map { .number($0, .fixed(2)) } ?? .missing])
            }
        }
        section.table(table)
        return section
    }

    /// Progressive deactivation: the output-language distribution after each step.
    public static func fallbackSection(_ experiment: FallbackExperiment) throws -> HTMLSection {
        var section = HTMLSection(title: "Steering: progressive deactivation (fallback)")
        section.paragraph("Languages are deactivated one more at a time (\(experiment.config.order.joined(separator: " → ")), "
            + "\(experiment.config.deactivation)); the bars show which languages the outputs then come out in.")
        try section.figure(Figure(SteeringFigures.fallback(experiment)))
        let languages = experiment.languagesSeen
        var table = DataTable(columns: ["deactivated"] + languages + ["most common"])
        for step in experiment.steps {
            let counts = step.distribution
            table.addRow([.text(step.deactivated.isEmpty ? "none" : step.deactivated.joined(separator: ","))]
                + languages.map { .number(Double(counts[$0] ?? 0), .integer) } + [.text(step.mostCommon ?? "–")])
        }
        section.table(table)
        section.files([("steering/fallback.json", nil)], linked: true)
        return section
    }
}
