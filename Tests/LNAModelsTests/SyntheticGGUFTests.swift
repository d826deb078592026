import Foundation
import LNAFormats
import LNAModels
import LNATestSupport
import LNATokenizers
import Testing

/// `SyntheticCheckpoint.writeGGUF` writes the model of `SyntheticCheckpoint.write` (same seed) as a llama GGUF file,
/// the way llama.cpp's converter stores Mistral: both load in lna to the same logits bit for bit (so the q/k
/// permutation, norms and metadata are right), and the SmolLM2 tokenizer written into it reads back unchanged.
struct SyntheticGGUFTests {
    @Test func ggufHoldsTheSameModelAsTheHuggingFaceFolder() throws {
        guard let smol = try TestResources.model("smollm2-135m") else { return }
        let source = try GGUFFile(contentsOf: smol)
        let vocabulary = try TokenizerVocabulary(gguf: source)
        let root = try TestResources.temporaryDirectory("synthetic-gguf")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("hf"), file = root.appendingPathComponent("model.gguf")
        // Window 6 < the longest sequence, 3 query heads per KV head, head 16: the permutation and window both matter.
        let shape = WeightStorageTests.shape
        try SyntheticCheckpoint.write(shape, tokenizer: vocabulary, to: folder, seed: 9)
        try SyntheticCheckpoint.writeGGUF(shape, tokenizer: vocabulary, tokenizerSource: smol.path, to: file, seed: 9)

        let gguf = try GGUFFile(contentsOf: file)
        #expect(try gguf.string("general.architecture") == "llama")
        #expect(gguf.tensorInfo("blk.0.attn_q.weight")?.type == .bf16)
        #expect(gguf.tensorInfo("blk.0.attn_norm.weight")?.type == .f32)
        let readBack = try TokenizerVocabulary(gguf: gguf)
        #expect(readBack == vocabulary)

        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        let fromFolder = try Model.load(url: folder, tokenizer: tokenizer, weights: .resident)
        let fromGGUF = try Model.load(url: file, weights: .resident)
        #expect(fromGGUF.config.slidingWindow == shape.slidingWindow)
        let tokens = tokenizer.encode("Language neurons live in the MLP; their signs are counted per language.", addSpecial: true)
        let batch = TokenBatch([tokens, Array(tokens.prefix(4))])
        let expected = try fromFolder.forward(batch, logits: .all).logits
        #expect(expected.allSatisfy(\.isFinite) && Set(expected).count > 100)
        #expect(try fromGGUF.forward(batch, logits: .all).logits == expected)
        // Streamed layers re-read tensors whose mapped pages were released after packing.
        let streamed = try Model.load(url: file, weights: .streamed)
        #expect(try streamed.forward(batch, logits: .all).logits == expected)
        #expect(try streamed.forward(batch, logits: .all).logits == expected)

        // The file exists now: a second write is refused and leaves it as it was.
        #expect(throws: ModelError.self) {
            try SyntheticCheckpoint.writeGGUF(shape, tokenizer: vocabulary, tokenizerSource: smol.path, to: file, seed: 9)
        }
    }

    /// `matrixType: .q8_0` quantises the same bf16 values: every dequantised weight is within half a Q8_0 step (and
    /// the fp16 rounding of the scale) of the bf16 file's, the norms stay f32, and the model loads.
    @Test func q8_0FileQuantisesTheSameWeights() throws {
        guard let smol = try TestResources.model("smollm2-135m") else { return }
        let vocabulary = try TokenizerVocabulary(gguf: GGUFFile(contentsOf: smol))
        let root = try TestResources.temporaryDirectory("synthetic-q8")
        defer { try? FileManager.default.removeItem(at: root) }
        let bf16 = root.appendingPathComponent("bf16.gguf"), q8 = root.appendingPathComponent("q8.gguf")
        try SyntheticCheckpoint.writeGGUF(.tiny, tokenizer: vocabulary, tokenizerSource: smol.path, to: bf16, seed: 4)
        try SyntheticCheckpoint.writeGGUF(.tiny, tokenizer: vocabulary, tokenizerSource: smol.path, to: q8, seed: 4, matrixType: .q8_0)
        let exact = try GGUFFile(contentsOf: bf16), quantised = try GGUFFile(contentsOf: q8)
        #expect(try quantised.int("general.file_type") == 7)
        #expect(quantised.tensorInfo("blk.1.ffn_down.weight")?.type == .q8_0)
        #expect(quantised.tensorInfo("output_norm.weight")?.type == .f32)
        for name in ["blk.1.ffn_down.weight", "blk.0.attn_k.weight", "output.weight"] {
            let a = try exact.floats(name), b = try quantised.floats(name)
            #expect(a.count == b.count)
            var worst: Float = 0
            for block in stride(from: 0, to: a.count, by: 32) {
                let step = a[block..<(block + 32)].reduce(0) { max($0, abs($1)) } / 127
                for i in block..<(block + 32) { worst = max(worst, abs(a[i] - b[i]) / max(step, .leastNormalMagnitude)) }
            }
            // Half a step from rounding, plus up to 127 · 2⁻¹¹ steps because the scale is stored as fp16.
            #expect(worst <= 0.5 + 127.0 / 2048 + 1e-3, "\(name): worst error \(worst) Q8_0 steps")
        }
        let logits = try Model.load(url: q8, weights: .resident).forward(TokenBatch([1, 2, 3, 4]), logits: .all).logits
        #expect(logits.allSatisfy { $0.isFinite })
        #expect(throws: ModelError.self) {
            try SyntheticCheckpoint.writeGGUF(.tiny, tokenizer: vocabulary, tokenizerSource: smol.path,
                                              to: root.appendingPathComponent("q4.gguf"), matrixType: .q4_K)
        }
    }

    @Test func vocabulariesWithATokenizerJSONPipelineAreRefused() throws {
        var vocabulary = TokenizerVocabulary(model: .bpeByteFallback, tokens: ["a", "b", "ab"], merges: ["a b"])
        #expect(throws: TokenizerError.self) { try vocabulary.ggufMetadata(source: "tokenizer.json") }
        vocabulary.model = .gpt2
        #expect(try vocabulary.ggufMetadata(source: "x").map(\.key).contains("tokenizer.ggml.merges"))
    }
}
