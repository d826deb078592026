import Foundation
import LNALens
import LNAReport

/// The logit-lens section of `lna report`, from `RUN/lens*/lens.json` (`lna lens --out RUN/lens`): per folder, a
/// summary table, the entropy figures and every pair's figure.
///
/// ```swift
/// for section in try LensReportSections.sections(runDirectory: URL(fileURLWithPath: "runs/g")) { report.add(section) }
/// ```
public enum LensReportSections {
    /// One section per `lens*` folder holding a lens.json, in name order; empty when there is none.
    public static func sections(runDirectory: URL) throws -> [HTMLSection] {
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: runDirectory.path)) ?? [])
            .filter { $0.hasPrefix("lens") }.sorted()
        return try folders.compactMap { folder in
            let file = runDirectory.appendingPathComponent(folder).appendingPathComponent("lens.json")
            guard FileManager.default.fileExists(atPath: file.path) else { return nil }
            return try section(try LensDocument.read(from: file), folder: folder)
        }
    }

    /// The section of one lens document.
    public static func section(_ doc: LensDocument, folder: String) throws -> HTMLSection {
        var section = HTMLSection(title: "Logit lens" + (doc.intervention.map { " under intervention: \($0)" } ?? "")
            + (folder == "lens" ? "" : " (\(folder))"))
        section.paragraph("Each block's output at the last position is decoded through the final norm and the LM head (the logit lens). "
            + "For translation prompts, P(language) is the probability on the first tokens of the answer word in that language, "
            + "averaged over prompts; top-1 is the share of prompts whose most probable token is in the language. The rival of a "
            + "target is English, or the source when the target is English; the target overtakes at the first layer from which its "
            + "mass stays above the rival's. Intervals in lens.json are bootstrap 95 % over prompts.")
        section.settings([("model", doc.model), ("input", doc.input), ("shots", "\(doc.shots)"),
                          ("intervention", doc.intervention ?? "none"), ("layers", "\(doc.layerCount)")])
        var table = DataTable(columns: ["pair", "prompts", "P(target) last layer", "P(rival) last layer", "rival peak before overtaking",
                                        "overtaking layer", "min entropy (layer)"], caption: "per pair")
        for pair in doc.pairs {
            guard let last = pair.layers.last else { continue }
            let minEntropy = pair.layers.min { $0.entropy.mean < $1.entropy.mean }
            table.addRow([.text("\(pair.source)→\(pair.target)"), .number(Double(pair.prompts), .integer),
                          cell(last.mass[pair.target]?.mean), cell(last.mass[pair.rival]?.mean),
                          .text(pair.rivalPeak.map { String(format: "%.1f %% at layer %d", $0 * 100, pair.rivalPeakLayer ?? -1) } ?? "–"),
                          .text(pair.overtakeLayer.map { "\($0)" } ?? "never"),
                          .text(minEntropy.map { String(format: "%.2f (%d)", $0.entropy.mean, $0.layer) } ?? "–")])
        }
        section.table(table)
        for group in LensFigures.entropyGroups(doc) {
            try section.figure(Figure(LensFigures.entropyChart(group.pairs, title: group.title)))
        }
        for pair in doc.pairs {
            try section.figure(Figure(LensFigures.pairChart(pair, intervention: doc.intervention)))
        }
        section.files([("\(folder)/lens.json", "every layer of every pair with intervals and examples")], linked: true)
        return section
    }

    static func cell(_ value: Double?) -> DataTable.Cell { value.map { .number($0, .fractionAsPercent(1)) } ?? .missing }
}
