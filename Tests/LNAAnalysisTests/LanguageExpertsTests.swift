import Foundation
import LNAAnalysis
import LNATestSupport
import Testing

/// `lna experts`' analysis on inline routing counts, and expert-neuron statistics (neurons counted over the tokens
/// routed to their expert) built as the recording writes them (docs/file-formats.md).
struct LanguageExpertsTests {
    /// Routing counts without a rank histogram or weights (zeros), as the analysis needs only the counts.
    static func routing(layers: Int, experts: Int, topK: Int, counts: [Int64]) -> RoutingCounts {
        RoutingCounts(layers: layers, experts: experts, topK: topK, counts: counts,
                      rankCounts: [Int64](repeating: 0, count: layers * experts * topK), weightSums: [Double](repeating: 0, count: layers * experts))
    }

    /// 3 languages × 100 tokens, 2 layers × 4 experts, top-2. Layer 0: expert 0 only en, expert 1 only fr and de;
    /// layer 1: expert 0 takes 80% of every language's tokens.
    static func toy() throws -> LanguageExperts {
        let counts: [String: [Int64]] = [
            "en": [100, 0, 50, 50, 80, 40, 40, 40],
            "fr": [0, 100, 50, 50, 80, 40, 40, 40],
            "de": [0, 100, 50, 50, 80, 40, 40, 40],
        ]
        let languages = ["en", "fr", "de"]
        return try LanguageExperts(languages: languages, tokens: [100, 100, 100],
                                   routing: languages.map { routing(layers: 2, experts: 4, topK: 2, counts: counts[$0]!) })
    }

    @Test func routingShareAndProbability() throws {
        let experts = try Self.toy()
        #expect(experts.share(language: 0, layer: 0, expert: 0) == 0.5)
        #expect(experts.probability(language: 0, layer: 0, expert: 0) == 1)
        #expect(experts.probability(language: 1, layer: 1, expert: 0) == Double(Float(0.8)))
        for k in 0..<3 { for l in 0..<2 { #expect(abs((0..<4).map { experts.share(language: k, layer: l, expert: $0) }.reduce(0, +) - 1) < 1e-12) } }
        #expect(experts.routingLayers == [0, 1])
    }

    /// Entropy selects the two most language-bound experts (round(8 · 0.25) = 2); τ is the 18th of 24 routing
    /// probabilities (0.5), so layer 0's expert 0 is specific to en, expert 1 related (fr, de), and layer 1's
    /// expert 0, routed above τ in every language, general.
    @Test func classificationMirrorsTheNeuronOne() throws {
        let result = try Self.toy().classify(topRate: 0.25, lambda: 0, bar: 0.75)
        #expect(result.tau == 0.5)
        #expect(Set(result.selected) == [0, 1])
        #expect(result.masks.lists[0] == [[0], []])
        #expect(result.masks.lists[1] == [[1], []])
        #expect(result.masks.lists[2] == [[1], []])
        #expect(result.classes.perLayer[.specific] == [1, 0])
        #expect(result.classes.perLayer[.related] == [1, 0])
        #expect(result.population.lists == [[], [0]])
    }

    @Test func topExpertsAreTheLargestSharesAndLeaveTopK() throws {
        let experts = try Self.toy()
        let top = try experts.topExperts(count: 1)
        #expect(top.width == 4)
        #expect(top.lists == [[[0], [0]], [[1], [0]], [[1], [0]]])
        #expect(try experts.topExperts(count: 2).lists[0] == [[0, 2], [0, 1]])   // ties to the lower index
        #expect(throws: AnalysisError.self) { try experts.topExperts(count: 3) }   // 4 experts, top-2
    }

    @Test func refusesMoreRoutedChoicesThanTokensTimesTopK() throws {
        let r = Self.routing(layers: 1, experts: 2, topK: 1, counts: [3, 2])
        #expect(throws: AnalysisError.self) { try LanguageExperts(languages: ["en"], tokens: [4], routing: [r]) }
    }

    /// One layer, 2 experts × 2 neurons, top-1: en routes 3 tokens to expert 0 and 1 to expert 1; fr all 4 to
    /// expert 0, so fr's expert-1 neurons have p = 0.
    static func expertStatistics(_ language: String, overZero: [Int64], routing: [Int64], sums: [Double]) throws -> ActivationStatistics {
        let metadata = StatisticsMetadata(language: language, architecture: "mixtral", hookSite: "blocks.*.mlp.experts.hook_act",
                                          layers: 1, width: 4,
                                          extra: ["experts": "2", "expert_width": "2", "neuron_unit": "routed-token", "top_k": "1",
                                                  "router_normalize": "true", "dense_layers": ""])
        let routed = RoutingCounts(layers: 1, experts: 2, topK: 1, counts: routing, rankCounts: routing, weightSums: routing.map(Double.init))
        return try ActivationStatistics(metadata: metadata, full: ActivationCounts(overZero: overZero, totalTokens: 4, sumActivation: sums, routing: routed))
    }

    @Test func expertNeuronsDivideByTheirRoutedTokens() throws {
        let en = try Self.expertStatistics("en", overZero: [3, 0, 1, 1], routing: [3, 1], sums: [3, 1.5, 2, -1])
        let fr = try Self.expertStatistics("fr", overZero: [2, 4, 0, 0], routing: [4, 0], sums: [1, 4, 0, 0])
        let p = try ActivationProbabilities(statistics: [en, fr])
        #expect((0..<4).map { p[0, $0, 0] } == [1, 0, 1, 1])
        #expect((0..<4).map { p[0, $0, 1] } == [0.5, 1, 0, 0])
        #expect(en.meanActivation == [1, 0.5, 2, -1])
        #expect(en.expertWidth == 2 && en.expertCount == 2)
        // over_zero above the expert's routed tokens is refused even though it is below total_tokens.
        let bad = try Self.expertStatistics("de", overZero: [0, 0, 2, 0], routing: [3, 1], sums: [0, 0, 0, 0])
        #expect(throws: AnalysisError.self) { try ActivationProbabilities(statistics: [en, bad]) }
    }

    @Test func routingSurvivesTheFileAndTheMerge() throws {
        let dir = try TestResources.temporaryDirectory("expert-statistics")
        defer { try? FileManager.default.removeItem(at: dir) }
        let en = try Self.expertStatistics("en", overZero: [3, 0, 1, 1], routing: [3, 1], sums: [3, 1.5, 2, -1])
        let url = dir.appendingPathComponent("en.safetensors")
        try StatisticsFile.write(en, to: url)
        let back = try StatisticsFile.read(url)
        #expect(back.full.routing == en.full.routing)
        #expect(back.expertWidth == 2)
        #expect(back.meanActivation == en.meanActivation)
        let merged = try ActivationStatistics.merge([en, en])
        #expect(merged.full.routing?.counts == [6, 2])
        #expect(merged.meanActivation == en.meanActivation)
        // An expert-neuron file without routing counts has no denominators: refused.
        var broken = en.metadata
        broken.extra["expert_width"] = "3"
        #expect(throws: AnalysisError.self) { try ActivationStatistics(metadata: broken, full: en.full) }
    }
}
