import Foundation
import LNAHooks
import LNAModels
import LNATestSupport
import Testing

/// The fast path against the naive oracle, packing, the KV cache and hooks, on a real model.
@Suite(.serialized) struct EngineTests {
    static let tokens = [1, 504, 2365, 314, 260, 3359, 30, 378, 253, 1345, 28, 10866]

    @Test func fastForwardEqualsReferenceForward() throws {
        guard let url = try TestResources.model("smollm2-135m"),
              let model = try SharedModels.shared.model("smollm2-135m") else { return }
        let reference = try ReferenceModel(loading: url)
        let ids = Array(Self.tokens.prefix(6))
        let slow = try reference.logits(tokens: ids)
        let fast = try model.forward(TokenBatch(ids), logits: .all).logits
        let v = model.config.vocabularySize
        var worst: Float = 0
        for (t, row) in slow.enumerated() {
            for j in 0..<v { worst = max(worst, abs(row[j] - fast[t * v + j])) }
        }
        print("fast vs reference forward: max |Δlogit| = \(worst)")
        #expect(worst < 2e-3)
    }

    @Test func packedBatchEqualsOneByOne() throws {
        guard let model = try SharedModels.shared.model("smollm2-135m") else { return }
        let sequences = [Array(Self.tokens.prefix(5)), Array(Self.tokens.suffix(7)), [Self.tokens[3]]]
        let packed = try model.forward(TokenBatch(sequences), logits: .all).logits
        let v = model.config.vocabularySize
        var row = 0, worst: Float = 0
        for s in sequences {
            let alone = try model.forward(TokenBatch(s), logits: .all).logits
            for i in 0..<alone.count { worst = max(worst, abs(alone[i] - packed[row * v + i])) }
            row += s.count
        }
        print("packed vs one-by-one: max |Δlogit| = \(worst)")
        #expect(worst < 1e-3)
    }

    @Test func kvCacheContinuationEqualsFullForward() throws {
        guard let model = try SharedModels.shared.model("smollm2-135m") else { return }
        let full = try model.forward(TokenBatch(Self.tokens), logits: .lastOfEachSequence).logits
        let cache = KVCache(config: model.config, capacity: 32)
        _ = try model.forward(TokenBatch(Array(Self.tokens.prefix(7))), cache: cache, logits: .none)
        var last: [Float] = []
        for token in Self.tokens.dropFirst(7) {
            last = try model.forward(TokenBatch([token]), cache: cache, phase: .generated, logits: .lastOfEachSequence).logits
        }
        let worst = zip(full, last).map { abs($0 - $1) }.max() ?? .infinity
        #expect(cache.count == Self.tokens.count)
        #expect(worst < 1e-3, "max |Δ| \(worst)")
    }

    @Test func everyHookSiteFiresOncePerLayerPerForward() throws {
        guard let model = try SharedModels.shared.model("smollm2-135m") else { return }
        let c = model.config
        let hooks = HookSet(layerCount: c.layerCount)
        var calls: [HookPoint: Int] = [:]
        var shapes: [HookPoint: (Int, Int)] = [:]
        for site in HookSite.allCases where site != .attnPattern && !site.isExpertSite {
            let pattern = site.isPerLayer ? "blocks.*.\(site.rawValue)" : site.rawValue
            try hooks.observe(pattern) { t in
                calls[t.point, default: 0] += 1
                shapes[t.point] = (t.rows, t.columns)
            }
        }
        _ = try model.forward(TokenBatch(Self.tokens), hooks: hooks, logits: .lastOfEachSequence)
        let expected = HookPoint.all(layerCount: c.layerCount).filter { $0.site != .attnPattern }
        for point in expected { #expect(calls[point] == 1, "\(point.name) fired \(calls[point] ?? 0) times") }
        #expect(shapes[HookPoint(.mlpAct, layer: 4)]! == (Self.tokens.count, c.intermediateSize))
        #expect(shapes[HookPoint(.attnQ, layer: 0)]! == (Self.tokens.count, c.queryWidth))
        #expect(shapes[HookPoint(.logits)]! == (1, c.vocabularySize))
    }

    @Test func attentionPatternRowsSumToOneAndAreCausal() throws {
        guard let model = try SharedModels.shared.model("smollm2-135m") else { return }
        let hooks = HookSet(layerCount: model.config.layerCount)
        var heads = 0
        try hooks.observe("blocks.2.attn.hook_pattern") { t in
            heads += 1
            for r in 0..<t.rows {
                let row = t.row(r)
                #expect(abs(row.reduce(0, +) - 1) < 1e-4)
                for j in (r + 1)..<t.columns { #expect(row[j] == 0) }
            }
        }
        _ = try model.forward(TokenBatch(Array(Self.tokens.prefix(6))), hooks: hooks, logits: .none)
        #expect(heads == model.config.headCount)
    }

    @Test func zeroAtHookActEqualsZeroAtHookPost() throws {
        // act(gate)·up with act = 0 is 0: zeroing the neuron at hook_act or its product at hook_post must agree,
        // and both must change the logits.
        guard let model = try SharedModels.shared.model("smollm2-135m") else { return }
        let neurons = [3, 77, 500, 1200]
        func run(_ hook: String?) throws -> [Float] {
            let hooks = HookSet(layerCount: model.config.layerCount)
            if let hook {
                try hooks.intervene(Intervention(hook: hook, neurons: .indices(neurons), operation: .zero))
            }
            return try model.forward(TokenBatch(Self.tokens), hooks: hooks, logits: .lastOfEachSequence).logits
        }
        let base = try run(nil)
        let act = try run("blocks.*.mlp.hook_act")
        let post = try run("blocks.*.mlp.hook_post")
        #expect(zip(act, post).map { abs($0 - $1) }.max()! < 1e-5)
        #expect(zip(act, base).map { abs($0 - $1) }.max()! > 1e-3)
    }

    @Test func unknownHookNameSuggestsNearestNames() throws {
        let hooks = HookSet(layerCount: 4)
        #expect(throws: HookError.self) { try hooks.observe("blocks.1.mlp.hook_akt") { _ in } }
        do {
            try hooks.observe("blocks.1.mlp.hook_akt") { _ in }
        } catch {
            #expect("\(error)".contains("blocks.{l}.mlp.hook_act"))
        }
        #expect(throws: HookError.self) { try hooks.observe("blocks.9.mlp.hook_act") { _ in } }
        let points = try HookPattern("blocks.-1.hook_resid_post").points(layerCount: 4)
        #expect(points == [HookPoint(.residPost, layer: 3)])
    }

    @Test func interventionArithmeticMatchesMethodsSection86() throws {
        // METHODS.md §8.6: a = (0.40, −0.10, 0.00, 1.20, 0.05), D = {1, 4}, A = {3}, μ_tgt[3] = 0.25, others' mean 0.05.
        func apply(_ plan: [Intervention]) throws -> [Float] {
            var a: [Float] = [0.40, -0.10, 0.00, 1.20, 0.05]
            let hooks = HookSet(layerCount: 1)
            try hooks.intervene(plan)
            try a.withUnsafeMutableBufferPointer { b in
                try hooks.fire(HookTensor(point: HookPoint(.mlpAct, layer: 0), values: b.baseAddress!, rows: 1, columns: 5,
                                          context: HookContext(phase: .prompt, positions: [0], sequenceIndices: [0])))
            }
            return a
        }
        let off = Intervention(hook: "blocks.0.mlp.hook_act", neurons: .indices([1, 4]), operation: .set(-1))
        func close(_ x: [Float], _ y: [Float]) -> Bool { zip(x, y).allSatisfy { abs($0 - $1) < 1e-6 } }
        #expect(close(try apply([off]), [0.40, -1.0, 0.00, 1.20, -1.0]))
        let additive = Intervention(hook: "blocks.0.mlp.hook_act", neurons: .indices([3]),
                                    operation: .addEach([0.25], coefficient: 1))
        #expect(close(try apply([off, additive]), [0.40, -1.0, 0.00, 1.45, -1.0]))
        let additive2 = Intervention(hook: "blocks.0.mlp.hook_act", neurons: .indices([3]),
                                     operation: .addEach([0.25], coefficient: 2))
        #expect(abs(try apply([off, additive2])[3] - 1.70) < 1e-6)
        let replacement = Intervention(hook: "blocks.0.mlp.hook_act", neurons: .indices([3]), operation: .setEach([0.25]))
        #expect(abs(try apply([off, replacement])[3] - 0.25) < 1e-6)
        let diffmean = Intervention(hook: "blocks.0.mlp.hook_act", neurons: .indices([3]),
                                    operation: .addEach([0.25 - 0.05], coefficient: 1))
        #expect(abs(try apply([off, diffmean])[3] - 1.40) < 1e-6)
        let mask = Intervention(hook: "blocks.0.mlp.hook_act", neurons: .indices([1, 4]), operation: .scale(-0.1))
        #expect(close(Array(try apply([mask])[1...]), [0.01, 0.00, 1.20, -0.005]))
        let invert = Intervention(hook: "blocks.0.mlp.hook_act", neurons: .indices([1, 4]), operation: .invert)
        let inverted = try apply([invert])
        #expect(abs(inverted[1] - 0.10) < 1e-6 && abs(inverted[4] + 0.05) < 1e-6)
    }
}
