import Foundation
import LNAAnalysis
import LNAData
import LNAReport

/// The report's language-experts section, from `<run>/experts/experts.json` (`lna experts`, run by `lna run` on a
/// model with experts): the classification's settings and counts, the experts of each language, and the figures,
/// redrawn from the run's statistics (their routing counts) in the run's language order.
///
/// ```swift
/// if let section = try ExpertReportSections.section(run: run) { report.add(section) }
/// ```
public enum ExpertReportSections {
    public static func section(run: RunDirectory) throws -> HTMLSection? {
        let file = run.url.appendingPathComponent("experts/experts.json")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any],
              let languages = object["languages"] as? [String],
              let classification = object["classification"] as? [String: Any],
              let topRate = classification["top_rate"] as? Double, let bar = classification["bar"] as? Double else {
            throw PipelineError.invalid("\(file.path): expected lna experts' JSON (languages, classification with top_rate and bar)")
        }
        let experts = try LanguageExperts(statistics: try StatisticsLoader.load(run.activations, languages: languages))
        let result = try experts.classify(topRate: topRate, lambda: classification["lambda"] as? Double ?? 0, bar: bar)
        var section = HTMLSection(title: "Language experts")
        section.paragraph("Which experts each language's tokens are routed to (routing counts of the recorded statistics). An expert's routing probability for a language is the fraction of the language's tokens it processes; the classification is the neuron identification with experts as units (lowest normalised entropy over languages, then the languages above τ), see docs/methods.md §5b.")
        section.settings([
            ("layers × experts, top-k", "\(experts.layers) × \(experts.experts), top-\(experts.topK)"),
            ("top rate, λ, bar", "\(topRate), \(result.lambda), \(bar)"), ("τ (routing probability)", RunReport.display(Double(result.tau))),
            ("language-specific experts", String(result.classes.total(.specific))),
            ("related experts", String(result.classes.total(.related))),
            ("general experts (above τ in every language)", String(result.population.total)),
        ])
        var table = DataTable(columns: ["language", "tokens", "experts (layer.expert)"], caption: "Each language's selected experts.")
        for k in LanguageLabels.permutation(languages, like: run.languageOrder()) {
            let list = result.masks.lists[k].enumerated().flatMap { l, es in es.map { "\(l).\($0)" } }
            table.addRow([.text(LanguageLabels.label(languages[k])), .number(Double(experts.tokens[k]), .integer),
                          .text(list.isEmpty ? "–" : list.joined(separator: ", "))])
        }
        section.table(table)
        for entry in ExpertFigures.all(experts, classification: result, order: run.languageOrder()) {
            try section.figure(Figure(entry.chart), caption: entry.caption)
        }
        return section
    }
}
