import Foundation
import Testing
import LNAAnalysis
import LNASteering

private func statistics(_ language: String, sums: [Double]?, tokens: Int64) throws -> ActivationStatistics {
    try ActivationStatistics(metadata: StatisticsMetadata(language: language, layers: 2, width: 2),
                             full: ActivationCounts(overZero: [1, 1, 1, 1], totalTokens: tokens, sumActivation: sums))
}

@Test func meansAreSumOverTokensFromStatisticsFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lna-steer-means-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try StatisticsFile.write(statistics("en", sums: [10, -2, 0, 4], tokens: 4), to: dir.appendingPathComponent("en.safetensors"))
    try StatisticsFile.write(statistics("fr", sums: [2, 2, 8, 0], tokens: 2), to: dir.appendingPathComponent("fr.safetensors"))
    try StatisticsFile.write(statistics("zh", sums: [0, 0, 0, 3], tokens: 3), to: dir.appendingPathComponent("zh.safetensors"))
    let means = try MeanActivations(statistics: StatisticsLoader.load(dir, languages: ["en", "fr", "zh"]))
    #expect(means.layers == 2 && means.width == 2)
    #expect(means.values[0] == [2.5, -0.5, 0, 1])
    #expect(try means.mean(language: "fr", layer: 1, neuron: 0) == 4)
    // Others of "en": mean of fr (1, 1, 4, 0) and zh (0, 0, 0, 1).
    #expect(try means.meanOfOthers(excluding: "en") == [0.5, 0.5, 2, 0.5])
    #expect(throws: SteeringError.self) { _ = try means.index(of: "de") }
}

@Test func statisticsWithoutSumsAreRejected() throws {
    let stats = try statistics("en", sums: nil, tokens: 4)
    #expect(throws: SteeringError.self) { _ = try MeanActivations(statistics: [stats]) }
    #expect(throws: SteeringError.self) { _ = try MeanActivations(statistics: []) }
}

@Test func generationSettingsTemplateAndStopStrings() {
    let settings = GenerationSettings()
    #expect(settings.prompt(for: "How are you?") == "Q: How are you?\nA:")
    #expect(settings.cut(" Fine.\nQ: next").text == " Fine.")
    #expect(settings.cut(" Fine.\nA: x\nQ: y").text == " Fine.")
    #expect(settings.cut(" Fine.\nA: x").stopped)
    #expect(settings.cut(" Fine.").text == " Fine.")
    #expect(!settings.cut(" Fine.").stopped)
    #expect(throws: SteeringError.self) { try GenerationSettings(maxTokens: 0).validate() }
    #expect(throws: SteeringError.self) { try GenerationSettings(repetitionPenalty: 0).validate() }
}
