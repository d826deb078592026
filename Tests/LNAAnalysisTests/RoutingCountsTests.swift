import Foundation
import LNAAnalysis
import LNAFormats
import Testing

/// The routing tensors of statistics files: written, read back, merged, and refused when malformed.
struct RoutingCountsTests {
    /// 2 layers × 3 experts, top-2; layer 0 dense (no routing), layer 1 routed 4 tokens.
    static func routing() -> RoutingCounts {
        RoutingCounts(layers: 2, experts: 3, topK: 2, counts: [0, 0, 0, 3, 1, 4],
                      rankCounts: [0, 0, 0, 0, 0, 0, 2, 1, 0, 1, 2, 2], weightSums: [0, 0, 0, 2.25, 0.25, 1.5])
    }

    static func statistics(prefix: Bool) throws -> ActivationStatistics {
        var meta = StatisticsMetadata(language: "xx", hookSite: "blocks.*.mlp.experts.hook_act", layers: 2, width: 6)
        meta.extra = ["experts": "3", "expert_width": "2", "top_k": "2", "neuron_unit": "routed-token"]
        let full = ActivationCounts(overZero: [0, 0, 0, 0, 0, 0, 3, 1, 0, 1, 4, 2], totalTokens: 4,
                                    sumActivation: (0..<12).map { Double($0) / 4 },
                                    sumWeightedActivation: (0..<12).map { Double($0) / 8 }, routing: routing())
        var part = full
        part.totalTokens = 1
        return try ActivationStatistics(metadata: meta, full: full, prefix: prefix ? part : nil)
    }

    @Test func readerAnswersPerLayerAndExpert() {
        let r = Self.routing()
        #expect(r.tokens(layer: 1, expert: 2) == 4)
        #expect(r.rankCount(layer: 1, expert: 0, rank: 0) == 2 && r.rankCount(layer: 1, expert: 2, rank: 1) == 2)
        #expect(r.weightSum(layer: 1, expert: 0) == 2.25)
        #expect(r.share(layer: 1, expert: 2) == 0.5)
        #expect(r.share(layer: 0, expert: 2) == 0)
        #expect(r.neuronTokens(expertWidth: 2) == [0, 0, 0, 0, 0, 0, 3, 3, 1, 1, 4, 4])
    }

    @Test(arguments: [false, true])
    func routingTensorsRoundTrip(prefix: Bool) throws {
        let stats = try Self.statistics(prefix: prefix)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("routing-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try StatisticsFile.write(stats, to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.tensorInfo("routing_rank_counts")?.shape == [2, 3, 2])
        #expect(file.tensorInfo("routing_counts")?.shape == [2, 3])
        #expect(file.tensorInfo("sum_weighted_act")?.shape == [2, 6])
        #expect((file.tensorInfo("prefix_routing_weight_sum") != nil) == prefix)
        let back = try StatisticsFile.read(url)
        #expect(back.full == stats.full && back.prefix == stats.prefix)
    }

    @Test func mergeSumsRoutingAndWeightedSums() throws {
        let a = try Self.statistics(prefix: true)
        let merged = try ActivationStatistics.merge([a, a])
        #expect(merged.full.routing?.counts == a.full.routing!.counts.map { $0 * 2 })
        #expect(merged.full.routing?.rankCounts == a.full.routing!.rankCounts.map { $0 * 2 })
        #expect(merged.prefix?.routing?.weightSums == a.prefix!.routing!.weightSums.map { $0 * 2 })
        #expect(merged.full.sumWeightedActivation == a.full.sumWeightedActivation!.map { $0 * 2 })
        var dense = a
        dense.full.routing = nil
        dense.prefix?.routing = nil
        #expect(throws: AnalysisError.self) { _ = try ActivationStatistics.merge([a, dense]) }
    }

    @Test func malformedRoutingIsRefused() throws {
        var stats = try Self.statistics(prefix: false)
        stats.full.routing!.counts[4] = -1
        #expect(throws: AnalysisError.self) { try stats.validate(source: "x") }
        stats = try Self.statistics(prefix: false)
        stats.full.routing = RoutingCounts(layers: 3, experts: 3, topK: 2)
        #expect(throws: AnalysisError.self) { try stats.validate(source: "x") }
        // A file with one routing tensor of three is refused by name.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("routing-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var writer = SafeTensorsWriter(metadata: ["format": StatisticsFile.formatTag])
        try writer.add("over_zero", [Int64](repeating: 0, count: 6), shape: [2, 3])
        try writer.add("total_tokens", [Int64(1)], shape: [1])
        try writer.add("routing_counts", [Int64](repeating: 0, count: 6), shape: [2, 3])
        try writer.write(to: url)
        do {
            _ = try StatisticsFile.read(url)
            Issue.record("a lone routing_counts was read")
        } catch {
            #expect("\(error)".contains("routing_rank_counts"))
        }
    }
}
