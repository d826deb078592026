import Foundation
import Testing
import LNAPipeline
import LNAReport
import LNASteering

@Test func steeringSectionsReadTheRunDirectory() throws {
    let run = FileManager.default.temporaryDirectory.appendingPathComponent("lna-steer-report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: run) }
    let steering = run.appendingPathComponent("steering")
    #expect(try SteeringReportSections.sections(runDirectory: run).isEmpty)

    let out = { (language: String) in LabelledOutput(question: "q", text: "t", language: language) }
    let grid = SteeringGridResult(
        config: SteeringGridConfig(model: "toy", sources: ["en"], targets: ["en", "fr"], promptsPerLanguage: 2),
        baselines: [SteeringGridCell(source: "en", target: nil, outputs: [out("en"), out("en")])],
        cells: [SteeringGridCell(source: "en", target: "en", outputs: [out("en"), out("en")]),
                SteeringGridCell(source: "en", target: "fr", outputs: [out("fr"), out("en")])],
        complete: true)
    try grid.write(to: steering.appendingPathComponent("grid.json"))
    let sweep = AmplificationSweep(config: AmplificationConfig(model: "toy", language: "fr", factors: [1, 5]), points: [
        AmplificationPoint(factor: 1, editedNeurons: 0, targetShare: 0, perplexity: 20, outputs: [out("en")]),
        AmplificationPoint(factor: 5, editedNeurons: 10, targetShare: 1, perplexity: 35, outputs: [out("fr")]),
    ])
    try sweep.write(to: steering.appendingPathComponent("amplification-fr.json"))
    let fallback = FallbackExperiment(config: FallbackConfig(model: "toy", order: ["en"]), steps: [
        FallbackStep(deactivated: [], outputs: [out("en")]), FallbackStep(deactivated: ["en"], outputs: [out("fr")]),
    ])
    try fallback.write(to: steering.appendingPathComponent("fallback.json"))

    let sections = try SteeringReportSections.sections(runDirectory: run)
    #expect(sections.map(\.title) == ["Steering: language forcing grid", "Steering: amplification",
                                      "Steering: progressive deactivation (fallback)"])
    var report = HTMLReport(title: "toy")
    for section in sections { report.add(section) }
    let html = report.html()
    #expect(html.contains("no intervention"))
    #expect(html.contains("50%"))                       // en→fr success
    #expect(html.contains("smallest steering factor 5"))
    #expect(html.contains("data:image/png;base64,"))
}
