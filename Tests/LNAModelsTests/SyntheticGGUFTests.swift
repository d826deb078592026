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

        // The file exists now: a second write is refused and leaves it as it was.
        #expect(throws: ModelError.self) {
            try SyntheticCheckpoint.writeGGUF(shape, tokenizer: vocabulary, tokenizerSource: smol.path, to: file, seed: 9)
        }
    }

    @Test func vocabulariesWithATokenizerJSONPipelineAreRefused() throws {
        var vocabulary = TokenizerVocabulary(model: .bpeByteFallback, tokens: ["a", "b", "ab"], merges: ["a b"])
        #expect(throws: TokenizerError.self) { try vocabulary.ggufMetadata(source: "tokenizer.json") }
        vocabulary.model = .gpt2
        #expect(try vocabulary.ggufMetadata(source: "x").map(\.key).contains("tokenizer.ggml.merges"))
    }
}
