import Foundation
import LNAHooks
import LNAModels
import LNATestSupport
import Testing

/// The families added with issue 16 (ALiBi, learned and sinusoidal positions, plain MLPs, experts) on their
/// transformers fixtures: the fast forward equals the naive reference forward, packed batches equal one
/// sequence at a time, a KV-cache continuation equals the full forward, and zeroing plain-MLP neurons at
/// `mlp.hook_act` equals removing them from `down`'s input by hand (zeroing its columns).
struct FixtureFamilyTests {
    static let architectures: [(fixture: String, architecture: String)] = [
        ("bloom", "bloom"), ("gpt2", "gpt2"), ("xglm", "xglm"), ("mixtral", "mixtral"), ("qwen2_moe", "qwen2moe"),
    ]
    static let fixtures = architectures.map(\.fixture)

    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        (zip(a, b).map { abs($0 - $1) }.max() ?? .infinity) / max(b.map(abs).max() ?? 1, 1e-6)
    }

    static func ids(_ fixture: String, _ text: Int) throws -> [Int] {
        try TransformersGolden.load(TransformersParityTests.root, fixture).texts[text].ids
    }

    @Test(arguments: fixtures)
    func fastForwardEqualsReferenceForward(fixture: String) throws {
        let model = try TransformersParityTests.load(fixture, .v5)
        let directory = TransformersParityTests.root.appendingPathComponent(fixture)
        let temporary = try TestResources.temporaryDirectory("reference-\(fixture)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try FileManager.default.copyItem(at: directory.appendingPathComponent("config.json"),
                                         to: temporary.appendingPathComponent("config.json"))
        try FileManager.default.createSymbolicLink(at: temporary.appendingPathComponent("model.safetensors"),
                                                   withDestinationURL: directory.appendingPathComponent("model.safetensors"))
        let tokens = try Self.ids(fixture, 0)
        let fast = try model.forward(TokenBatch(tokens), logits: .all).logits
        let slow = try ReferenceModel(loading: temporary).logits(tokens: tokens).flatMap { $0 }
        #expect(Self.relativeDifference(fast, slow) < 1e-5, "\(fixture): fast vs reference")
    }

    @Test(arguments: fixtures)
    func packedBatchEqualsOneSequenceAtATime(fixture: String) throws {
        let model = try TransformersParityTests.load(fixture, .v5)
        let a = try Self.ids(fixture, 1), b = try Self.ids(fixture, 2)
        let packed = try model.forward(TokenBatch([a, b]), logits: .all).logits
        let alone = try model.forward(TokenBatch(a), logits: .all).logits + model.forward(TokenBatch(b), logits: .all).logits
        #expect(Self.relativeDifference(packed, alone) < 1e-5, "\(fixture): packed vs one by one")
    }

    @Test(arguments: fixtures)
    func cacheContinuationEqualsFullForward(fixture: String) throws {
        let model = try TransformersParityTests.load(fixture, .v5)
        let tokens = try Self.ids(fixture, 3)
        let full = try model.forward(TokenBatch(tokens), logits: .all).logits
        let cache = KVCache(config: model.config, capacity: tokens.count)
        _ = try model.forward(TokenBatch(Array(tokens.prefix(10))), cache: cache, logits: .none)
        var steps: [Float] = []
        for token in tokens.dropFirst(10) {
            steps += try model.forward(TokenBatch([token]), cache: cache, phase: .generated, logits: .all).logits
        }
        let v = model.config.vocabularySize
        #expect(Self.relativeDifference(steps, Array(full[(10 * v)...])) < 1e-5, "\(fixture): cache vs full")
    }

    /// Zeroing neurons of a plain MLP at `mlp.hook_act` is exactly dropping them from `fc2`'s input.
    @Test(arguments: ["bloom", "gpt2", "xglm"])
    func zeroingPlainNeuronsRemovesThemFromTheOutput(fixture: String) throws {
        let model = try TransformersParityTests.load(fixture, .v5)
        let tokens = try Self.ids(fixture, 0)
        let removed = [3, 17, 40]
        let zeroed = HookSet(layerCount: model.config.layerCount)
        try zeroed.intervene(Intervention(hook: "blocks.1.mlp.hook_act", neurons: .indices(removed), operation: .zero))
        var seen: [Float] = []
        try zeroed.observe("blocks.1.mlp.hook_post") { t in seen = removed.map { t.row(0)[$0] } }
        let a = try model.forward(TokenBatch(tokens), hooks: zeroed, logits: .all).logits
        let b = try model.forward(TokenBatch(tokens), logits: .all).logits
        #expect(seen == [0, 0, 0], "\(fixture): fc2's input still has the neurons")
        #expect(Self.relativeDifference(a, b) > 1e-4, "\(fixture): zeroing three neurons changed nothing")
    }
}
