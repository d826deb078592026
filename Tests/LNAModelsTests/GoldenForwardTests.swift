import Foundation
import LNAModels
import LNATestSupport
import Testing

/// The fast forward against llama.cpp run on a float32 copy of the same GGUF (`f32_dequant`), and loosely
/// against the quantised-path fields. Tolerances: ../shared/reference/README.md.
@Suite(.serialized) struct GoldenForwardTests {
    struct Tolerance {
        let nllRelative: Double
        let logit: Double
    }

    static let tolerances: [String: Tolerance] = [
        "smollm2-135m": Tolerance(nllRelative: 1e-4, logit: 1e-3),
        "qwen2.5-0.5b": Tolerance(nllRelative: 1e-4, logit: 1e-3),
        "gemma3-270m": Tolerance(nllRelative: 1e-3, logit: 0.15),
    ]

    @Test(arguments: ["smollm2-135m", "gemma3-270m", "qwen2.5-0.5b"])
    func scoresMatchLlamaCppFloat32(model name: String) throws {
        guard let model = try SharedModels.shared.model(name), let golden = try ForwardGolden.load(model: name) else { return }
        let tolerance = Self.tolerances[name]!
        var worstRelative = 0.0, worstLogit = 0.0
        var argmaxAgree = 0, argmaxTotal = 0
        for text in golden.texts {
            let result = try model.score(tokens: text.token_ids)
            let expected = text.f32_dequant.sum_nll_nats
            let relative = abs(result.nllSum - expected) / max(abs(expected), 1e-9)
            worstRelative = max(worstRelative, relative)
            #expect(relative <= tolerance.nllRelative, "\(name) \(text.id): nll_sum \(result.nllSum) vs \(expected)")
            // Quantised-path values: a different function of the same weights (README §3), within 5 %.
            #expect(abs(result.nllSum - text.sum_nll_nats) / text.sum_nll_nats <= 0.05, "\(name) \(text.id) vs quantised path")
            for (a, b) in zip(result.argmax, text.f32_dequant.argmax_ids) { argmaxTotal += 1; if a == b { argmaxAgree += 1 } }
            // Last-position logits: top-10 values and ids.
            let last = try model.forward(.init(text.token_ids), logits: .lastOfEachSequence).logits
            for (id, logit) in zip(text.f32_dequant.last_top10_ids, text.f32_dequant.last_top10_logits) {
                worstLogit = max(worstLogit, abs(Double(last[id]) - logit))
                #expect(abs(Double(last[id]) - logit) <= tolerance.logit, "\(name) \(text.id): logit[\(id)] \(last[id]) vs \(logit)")
            }
            let ours = Array(last.indices.sorted { (last[$0], -$0) > (last[$1], -$1) }.prefix(10))
            let tenth = text.f32_dequant.last_top10_logits[9]
            // Same top-10 set except near-ties at the boundary.
            for id in Set(ours).symmetricDifference(text.f32_dequant.last_top10_ids) {
                #expect(abs(Double(last[id]) - tenth) <= tolerance.logit, "\(name) \(text.id): top-10 differs at \(id)")
            }
        }
        print("\(name): worst nll_sum rel diff \(worstRelative), worst top-10 logit diff \(worstLogit), argmax agreement \(argmaxAgree)/\(argmaxTotal)")
        #expect(Double(argmaxAgree) / Double(argmaxTotal) >= 0.99)
    }

    @Test(arguments: ["smollm2-135m", "gemma3-270m", "qwen2.5-0.5b"])
    func greedyContinuationMatches(model name: String) throws {
        guard let model = try SharedModels.shared.model(name), let golden = try ForwardGolden.load(model: name) else { return }
        let tolerance = Self.tolerances[name]!
        for text in golden.texts.prefix(8) {
            var sampler = Sampler()
            let ids = try model.generate(prompt: text.token_ids, maxTokens: 16, sampler: &sampler)
            let f = text.f32_dequant
            let comparable = f.greedy_top1_margins.firstIndex { $0 < tolerance.logit } ?? f.greedy_ids.count
            #expect(Array(ids.prefix(comparable)) == Array(f.greedy_ids.prefix(comparable)), "\(name) \(text.id)")
        }
    }
}
