import Foundation
import LNAHooks
import LNAModels
import LNATestSupport
import LNATokenizers
import Testing

/// `Model.unembed`: a hand-written final norm × LM head (× softcap) on tiny checkpoints, and the logit lens at the
/// last layer equal to the model's own next-token logits (tiny checkpoints and the real Gemma-3-270M).
struct UnembedTests {
    static let tokens = [1, 40, 291, 7, 88, 150, 3, 299, 64, 12]

    /// The last row of `blocks.-1.hook_resid_post` of one forward call, and that call's last-row logits.
    static func lastResidualAndLogits(_ model: Model, _ tokens: [Int]) throws -> (residual: [Float], logits: [Float]) {
        let d = model.config.hiddenSize
        var residual: [Float] = []
        let hooks = HookSet(layerCount: model.config.layerCount)
        try hooks.observe("blocks.-1.hook_resid_post") { t in residual = Array(t.row(t.rows - 1)) }
        let logits = try model.forward(TokenBatch(tokens), hooks: hooks, logits: .lastOfEachSequence).logits
        #expect(residual.count == d)
        return (residual, logits)
    }

    /// Final RMS norm (Gemma stores w and computes 1 + w), the LM head row by row in Double, then Gemma 2's softcap.
    static func byHand(_ tiny: TinyCheckpoint, residual x: [Float]) -> [Float] {
        let d = tiny.hidden
        let norm = tiny.weights["model.norm.weight"]!.values.map { tiny.isGemma ? 1 + $0 : $0 }
        let head = tiny.weights[tiny.tied ? "model.embed_tokens.weight" : "lm_head.weight"]!.values
        let meanSquare = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(d)
        let normed = (0..<d).map { Double(x[$0]) / (meanSquare + 1e-6).squareRoot() * Double(norm[$0]) }
        return (0..<tiny.vocabulary).map { token in
            let logit = (0..<d).reduce(0.0) { $0 + normed[$1] * Double(head[token * d + $1]) }
            return Float(tiny.architecture == "gemma2" ? tiny.finalSoftcap * tanh(logit / tiny.finalSoftcap) : logit)
        }
    }

    @Test(arguments: ["llama", "gemma2", "gemma3"])
    func unembedEqualsHandWrittenProduct(architecture: String) throws {
        let tiny = TinyCheckpoint(architecture: architecture, seed: 21)
        try tiny.withLoadedHF("unembed-\(architecture)") { model in
            let (residual, _) = try Self.lastResidualAndLogits(model, Self.tokens)
            let expected = Self.byHand(tiny, residual: residual)
            let got = try model.unembed(residual)
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            let scale = expected.map(abs).max() ?? 1
            print("\(architecture): unembed vs hand-written max |Δ| = \(worst) (max |logit| \(scale))")
            #expect(got.count == tiny.vocabulary)
            #expect(worst / scale < 1e-5)
            // Two rows at once are the rows one by one (to the GEMM's rounding: its blocking depends on the row count).
            let twice = try model.unembed(residual + residual.map { -$0 })
            let negated = try model.unembed(residual.map { -$0 })
            let rowWise = zip(twice, got + negated).map { abs($0 - $1) }.max() ?? .infinity
            #expect(rowWise / scale < 1e-5)
        }
    }

    @Test(arguments: TinyCheckpointTests.architectures)
    func lensAtTheLastLayerIsTheModelsOwnLogits(architecture: String) throws {
        try TinyCheckpoint(architecture: architecture, seed: 5).withLoadedHF("lens-\(architecture)") { model in
            let (residual, logits) = try Self.lastResidualAndLogits(model, Self.tokens)
            #expect(try model.unembed(residual) == logits)
        }
    }

    @Test func lensAtTheLastLayerIsGemmasOwnLogits() throws {
        guard let model = try SharedModels.shared.model("gemma3-270m") else { return }
        let tokens = model.tokenizer.encode("Français: \"fleur\" - English: \"")
        let (residual, logits) = try Self.lastResidualAndLogits(model, tokens)
        let lens = try model.unembed(residual)
        #expect(lens == logits)
        #expect(lens.count == model.config.vocabularySize)
    }

    @Test func unembedRefusesRowsOfTheWrongWidth() throws {
        let tiny = TinyCheckpoint(architecture: "llama", seed: 1)
        try tiny.withLoadedHF("unembed-width") { model in
            #expect(throws: ModelError.self) { try model.unembed([Float](repeating: 0, count: tiny.hidden + 1)) }
            #expect(throws: ModelError.self) { try model.unembed([]) }
        }
    }
}

/// `Model.runWithCache` keeps what the hooks see, at the widths `ModelConfig.width(of:)` gives.
struct RunWithCacheTests {
    @Test(arguments: ["gemma3", "phi3"])
    func everySiteIsCachedAtItsWidth(architecture: String) throws {
        try TinyCheckpoint(architecture: architecture, seed: 13).withLoadedHF("cache-\(architecture)") { model in
            let tokens = UnembedTests.tokens, t = tokens.count, c = model.config
            let sites = HookPoint.all(layerCount: c.layerCount).map(\.name)
            let edit = Intervention(hook: "blocks.1.mlp.hook_act", neurons: .indices([0, 3]), operation: .zero)
            let (out, cache) = try model.runWithCache(TokenBatch(tokens), sites: sites, interventions: [edit], logits: .all)
            #expect(cache.points == HookPoint.all(layerCount: c.layerCount))
            for point in cache.points {
                let tensor = try #require(cache[point])
                if point.site == .attnPattern {
                    #expect(tensor.rows == c.headCount * t && tensor.columns == t, "\(point)")
                } else {
                    #expect(tensor.rows == t && tensor.columns == c.width(of: point.site), "\(point)")
                }
                #expect(tensor.values.count == tensor.rows * tensor.columns)
            }
            // The cache holds the edited tensor, and the logits are the call's own.
            let act = try #require(cache[HookPoint(.mlpAct, layer: 1)])
            #expect((0..<t).allSatisfy { act.row($0)[0] == 0 && act.row($0)[3] == 0 })
            #expect(cache[HookPoint(.logits)]!.values == out.logits)
            // The last block's output, unembedded, is the model's logits of that row.
            let last = try model.unembed(cache[HookPoint(.residPost, layer: c.layerCount - 1)]!.row(t - 1))
            let v = c.vocabularySize
            let forwardLast: [Float] = Array(out.logits[((t - 1) * v)..<(t * v)])
            #expect(zip(last, forwardLast).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        }
    }
}
