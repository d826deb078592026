import Foundation
import Testing
import LNAAnalysis
import LNAFormats
import LNATestSupport
import LNAFiles

/// Statistics and mask files: round trips, validation, merge, comparison, reproducibility.
struct StatisticsFileTests {
    static func statistics(_ lang: String, counts: [Int64], total: Int64, prefix: ([Int64], Int64)? = nil,
                           sums: [Double]? = nil, model: String = "toy") throws -> ActivationStatistics {
        try ActivationStatistics(
            metadata: StatisticsMetadata(language: lang, dataset: "unit", model: model, modelSHA256: "abc", architecture: "llama",
                                         layers: 2, width: 2, tool: "test"),
            full: ActivationCounts(overZero: counts, totalTokens: total, sumActivation: sums),
            prefix: prefix.map { ActivationCounts(overZero: $0.0, totalTokens: $0.1) })
    }

    @Test func roundTripKeepsEveryTensorAndMetadata() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try Self.statistics("zh", counts: [1, 2, 3, 4], total: 10, prefix: ([0, 1, 1, 2], 4), sums: [0.5, -1, 2, 3.25])
        let url = dir.appendingPathComponent("sub/zh.safetensors")
        try StatisticsFile.write(original, to: url)
        let back = try StatisticsFile.read(url)
        #expect(back.full == original.full && back.prefix == original.prefix)
        #expect(back.metadata.language == "zh" && back.metadata.model == "toy" && back.metadata.modelSHA256 == "abc")
        let raw = try SafeTensorsFile(contentsOf: url)
        #expect(raw.metadata["format"] == StatisticsFile.formatTag && raw.metadata["tool_version"] != nil)
        #expect(raw.tensorInfo("over_zero")?.dtype == .i64 && raw.tensorInfo("sum_act")?.dtype == .f64)
        #expect(raw.tensorInfo("over_zero")?.shape == [2, 2] && raw.tensorInfo("total_tokens")?.shape == [1])
    }

    @Test func wrongShapesAndMissingTensorsAreClearErrors() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var writer = SafeTensorsWriter(metadata: ["language": "en", "layers": "3"])
        try writer.add("over_zero", [Int64](repeating: 1, count: 4), shape: [2, 2])
        try writer.add("total_tokens", [Int64(5)], shape: [1])
        let url = dir.appendingPathComponent("en.safetensors")
        try writer.write(to: url)
        #expect { try StatisticsFile.read(url) } throws: { "\($0)".contains("layers is 3") }
        var noTotal = SafeTensorsWriter(metadata: ["language": "en"])
        try noTotal.add("over_zero", [Int64](repeating: 1, count: 4), shape: [2, 2])
        try noTotal.write(to: url)
        #expect { try StatisticsFile.read(url) } throws: { "\($0)".contains("total_tokens") }
        var nan = SafeTensorsWriter(metadata: ["language": "en"])
        try nan.add("over_zero", [Int64](repeating: 1, count: 4), shape: [2, 2])
        try nan.add("total_tokens", [Int64(5)], shape: [1])
        try nan.add("sum_act", [0, .nan, 1, 2], shape: [2, 2])
        try nan.write(to: url)
        #expect { try StatisticsFile.read(url) } throws: { "\($0)".contains("NaN") }
    }

    @Test func loaderOrdersLanguagesAndReportsMissingOnes() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (lang, c) in [("zh", [Int64]([1, 2, 3, 4])), ("en", [4, 3, 2, 1]), ("xx", [1, 1, 1, 1])] {
            try StatisticsFile.write(try Self.statistics(lang, counts: c, total: 10), to: dir.appendingPathComponent("\(lang).safetensors"))
        }
        #expect(try StatisticsLoader.load(dir).map(\.language) == ["en", "zh", "xx"])
        #expect(try StatisticsLoader.load(dir, languages: ["zh", "en"]).map(\.language) == ["zh", "en"])
        #expect { try StatisticsLoader.load(dir, languages: ["en", "fr"]) } throws: { "\($0)".contains("fr") }
    }

    @Test func mergeSumsShardsAndRefusesMismatches() throws {
        let a = try Self.statistics("en", counts: [1, 2, 3, 4], total: 10, prefix: ([0, 0, 1, 1], 3), sums: [1, 1, 1, 1])
        let b = try Self.statistics("en", counts: [4, 3, 2, 1], total: 20, prefix: ([1, 1, 0, 0], 5), sums: [0.5, 0, 0, 0])
        let merged = try ActivationStatistics.merge([a, b])
        #expect(merged.full.overZero == [5, 5, 5, 5] && merged.full.totalTokens == 30)
        #expect(merged.prefix?.overZero == [1, 1, 1, 1] && merged.prefix?.totalTokens == 8)
        #expect(merged.full.sumActivation == [1.5, 1, 1, 1])
        let other = try Self.statistics("en", counts: [1, 1, 1, 1], total: 5, prefix: ([0, 0, 0, 0], 1), sums: [0, 0, 0, 0], model: "other")
        #expect { try ActivationStatistics.merge([a, other]) } throws: { "\($0)".contains("model") }
        let zh = try Self.statistics("zh", counts: [1, 1, 1, 1], total: 5, prefix: ([0, 0, 0, 0], 1), sums: [0, 0, 0, 0])
        #expect { try ActivationStatistics.merge([a, zh]) } throws: { "\($0)".contains("language") }
        let noPrefix = try Self.statistics("en", counts: [1, 1, 1, 1], total: 5, sums: [0, 0, 0, 0])
        #expect(throws: AnalysisError.self) { try ActivationStatistics.merge([a, noPrefix]) }
    }

    @Test func maskFilesRoundTripAndIdentifyIsBitReproducible() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let identifier = try MethodsToyTests.identifier()
        let result = try identifier.identify(topRate: 0.5, lambda: 0.35)
        let json = result.json(probabilityMode: .responseOnly).serialized(pretty: true)
        #expect(json == (try identifier.identify(topRate: 0.5, lambda: 0.35)).json(probabilityMode: .responseOnly).serialized(pretty: true))
        let jsonURL = dir.appendingPathComponent("masks.json"), tensorsURL = dir.appendingPathComponent("masks.safetensors")
        try AtomicFile.write(Data(json.utf8), to: jsonURL)
        try result.masks.writeSafeTensors(to: tensorsURL)
        #expect(try MaskSet.read(jsonURL) == result.masks)
        #expect(try MaskSet.read(tensorsURL) == result.masks)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL)) as? [String: Any])
        #expect(parsed["appear"] as? [Int] == [0, 2, 0, 1])
        // Shortest round-trip digits of the float32 τ (Foundation's JSON parser on Linux is not exact, so check the text).
        #expect(json.contains("\"tau\": \(Double(Float(0.1)))"))
        let classes = try #require(parsed["classes"] as? [String: Any])
        #expect((classes["general"] as? [String: Any])?["total"] as? Int == 1)
        #expect((parsed["active_in_all_languages"] as? [String: Any])?["total"] as? Int == 1)
    }

    @Test func overlapPerClassAndLanguageMatrix() throws {
        let a = try MaskSet(languages: ["en", "zh"], layers: 1, width: 4, lists: [[[0, 1]], [[1, 2]]])
        let b = try MaskSet(languages: ["en", "zh"], layers: 1, width: 4, lists: [[[0]], [[2, 3]]])
        #expect(a.languageOverlapMatrix == [[2, 1], [1, 2]])
        let rows = Dictionary(uniqueKeysWithValues: try a.classOverlap(with: b).map { ($0.name, $0.overlap) })
        // a: specific {0, 2}, general {1}; b: specific {0, 2, 3}.
        #expect(rows["specific"] == OverlapCount([0, 2], [0, 2, 3]))
        #expect(rows["specific"]?.ratioOfFirst == 1.0)
        #expect(rows["general"]?.common == 0)
        #expect(rows["all"]?.jaccard == 0.5)
        let wrong = try MaskSet(languages: ["en"], layers: 2, width: 4, lists: [[[], []]])
        #expect(throws: AnalysisError.self) { try a.classOverlap(with: wrong) }
    }
}
