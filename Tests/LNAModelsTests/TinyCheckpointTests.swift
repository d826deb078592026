import Foundation
import LNAHooks
import LNAModels
import LNATestSupport
import LNATokenizers
import Testing

/// Every architecture on tiny random checkpoints the tests write themselves: GGUF and HF layouts load to the
/// same model, the fast forward equals the naive reference forward, and a zero intervention at
/// `mlp.hook_act` equals removing the neurons from the weights by hand.
struct TinyCheckpointTests {
    static let architectures = ["llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "phi3", "olmo2", "cohere"]
    /// llama.cpp writes Mistral GGUF files as `llama`; every other family has a GGUF layout of its own.
    static let ggufArchitectures = architectures.filter { $0 != "mistral" }
    static let tokens = [1, 40, 291, 7, 88, 150, 3, 299, 64, 12]

    func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        maxDifference(a, b) / max(b.map(abs).max() ?? 1, 1e-6)
    }

    @Test(arguments: architectures)
    func fastForwardEqualsReferenceForward(architecture: String) throws {
        let dir = try TestResources.temporaryDirectory("tiny-\(architecture)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tiny = TinyCheckpoint(architecture: architecture, seed: 7)
        try tiny.writeHF(to: dir)
        let tokenizer = try Tokenizer(vocabulary: tiny.tokenizerVocabulary)
        let model = try Model.load(url: dir, tokenizer: tokenizer)
        let fast = try model.forward(TokenBatch(Self.tokens), logits: .all).logits
        let slow = try ReferenceModel(loading: dir).logits(tokens: Self.tokens).flatMap { $0 }
        print("\(architecture): fast vs reference max |Δ| = \(maxDifference(fast, slow))")
        #expect(relativeDifference(fast, slow) < 1e-4)
    }

    /// Families whose tiny checkpoints are the transformers fixtures (Hugging Face only; lna reads no GGUF of
    /// them yet): fast vs reference, batches and the cache are tested on those in `FixtureFamilyTests`.
    static let fixtureOnlyArchitectures = FixtureFamilyTests.architectures.map(\.architecture)

    @Test func everyRegisteredArchitectureHasATinyCheckpoint() {
        #expect(Set(Model.supportedArchitectures) == Set(Self.architectures + Self.fixtureOnlyArchitectures))
    }

    @Test(arguments: ggufArchitectures)
    func ggufAndHuggingFaceLayoutsGiveTheSameLogits(architecture: String) throws {
        let dir = try TestResources.temporaryDirectory("tiny-\(architecture)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tiny = TinyCheckpoint(architecture: architecture, seed: 11)
        let hf = dir.appendingPathComponent("hf"), gguf = dir.appendingPathComponent("tiny.gguf")
        try tiny.writeHF(to: hf)
        try tiny.writeGGUF(to: gguf)
        let fromGGUF = try Model.load(url: gguf)
        let fromHF = try Model.load(url: hf, tokenizer: fromGGUF.tokenizer)
        #expect(fromGGUF.config == fromHF.config)
        let a = try fromGGUF.forward(TokenBatch(Self.tokens), logits: .all).logits
        let b = try fromHF.forward(TokenBatch(Self.tokens), logits: .all).logits
        print("\(architecture): GGUF vs HF max |Δ| = \(maxDifference(a, b))")
        #expect(relativeDifference(a, b) < 1e-5)
        // The tokenizer written in GGUF metadata is read back.
        #expect(fromGGUF.tokenizer.encode("hi") == [1, 3 + 104, 3 + 105])
    }

    @Test(arguments: architectures)
    func zeroAtHookActEqualsNeuronsRemovedFromTheWeights(architecture: String) throws {
        let dir = try TestResources.temporaryDirectory("tiny-\(architecture)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tiny = TinyCheckpoint(architecture: architecture, seed: 3)
        let removed = [0, 5, 17, 40]
        try tiny.writeHF(to: dir.appendingPathComponent("full"))
        try tiny.writeHF(to: dir.appendingPathComponent("removed"), removingNeurons: removed)
        let tokenizer = try Tokenizer(vocabulary: tiny.tokenizerVocabulary)
        let full = try Model.load(url: dir.appendingPathComponent("full"), tokenizer: tokenizer)
        let edited = try Model.load(url: dir.appendingPathComponent("removed"), tokenizer: tokenizer)
        let hooks = HookSet(layerCount: full.config.layerCount)
        try hooks.intervene(Intervention(hook: "blocks.*.mlp.hook_act", neurons: .indices(removed), operation: .zero))
        let intervened = try full.forward(TokenBatch(Self.tokens), hooks: hooks, logits: .all).logits
        let byHand = try edited.forward(TokenBatch(Self.tokens), logits: .all).logits
        let untouched = try full.forward(TokenBatch(Self.tokens), logits: .all).logits
        #expect(relativeDifference(intervened, byHand) < 1e-5)
        #expect(maxDifference(intervened, untouched) > 1e-4)
    }

    /// The fused scoring path (`scoreRows`) applies the logit transform (Gemma 2's final softcap, Cohere's
    /// logit scale) exactly as the materialised logits have it.
    @Test(arguments: ["gemma2", "cohere"])
    func scoreRowsAppliesTheLogitTransform(architecture: String) throws {
        try TinyCheckpoint(architecture: architecture, seed: 13).withLoadedHF("tiny-\(architecture)") { model in
            let next = Array(Self.tokens.dropFirst()) + [-1]
            let scores = try model.scoreRows(TokenBatch(Self.tokens), nextTokens: next)
            let logits = try model.forward(TokenBatch(Self.tokens), logits: .all).logits
            let v = model.config.vocabularySize
            for r in 0..<(Self.tokens.count - 1) {
                let row = logits[(r * v)..<((r + 1) * v)].map(Double.init)
                let top = row.max()!
                let nll = top + Foundation.log(row.map { Foundation.exp($0 - top) }.reduce(0, +)) - row[next[r]]
                #expect(abs(scores[r].nll - nll) < 1e-5)
            }
            if architecture == "gemma2" {
                // Final softcap 3: every logit lies within ±3, and the raw head outputs of random weights do not.
                #expect(logits.allSatisfy { abs($0) <= 3 })
            }
        }
    }

    @Test func slidingWindowMasksDistantKeys() throws {
        // With a window of 4 the logits at position 9 must not depend on token 0; without it they do.
        try TinyCheckpoint(architecture: "mistral", seed: 5).withLoadedHF("tiny-window") { model in
            #expect(model.config.window(layer: 0) == 4)
            var changed = Self.tokens
            changed[0] = 200
            let a = try model.forward(TokenBatch(Self.tokens), logits: .lastOfEachSequence).logits
            let b = try model.forward(TokenBatch(changed), logits: .lastOfEachSequence).logits
            // Two layers with window 4 see at most 2·3 = 6 positions back: position 9 cannot reach position 0.
            #expect(maxDifference(a, b) == 0)
        }
    }

    @Test func strictLoadingRejectsExtraAndMissingTensors() throws {
        let dir = try TestResources.temporaryDirectory("tiny-strict")
        defer { try? FileManager.default.removeItem(at: dir) }
        var tiny = TinyCheckpoint(architecture: "llama", seed: 1)
        tiny.weights["model.layers.0.mlp.extra.weight"] = ([2], [1, 2])
        try tiny.writeHF(to: dir)
        let tokenizer = try Tokenizer(vocabulary: tiny.tokenizerVocabulary)
        #expect(throws: ModelError.self) { try Model.load(url: dir, tokenizer: tokenizer) }
        tiny.weights["model.layers.0.mlp.extra.weight"] = nil
        tiny.weights["model.layers.1.mlp.up_proj.weight"] = nil
        try FileManager.default.removeItem(at: dir)
        try tiny.writeHF(to: dir)
        do {
            _ = try Model.load(url: dir, tokenizer: tokenizer)
            Issue.record("a missing tensor must throw")
        } catch {
            #expect("\(error)".contains("model.layers.1.mlp.up_proj.weight"))
        }
    }
}
