import Foundation
import LNAModels
import LNATestSupport
import Testing

/// `lna convert`'s exporter on a real model: the Hugging Face directory it writes loads to the same model.
@Suite(.serialized) struct ConvertTests {
    @Test func convertedSmolLM2GivesTheSameLogitsAndTokens() throws {
        guard let gguf = try TestResources.model("smollm2-135m"), let golden = try ForwardGolden.load(model: "smollm2-135m")
        else { return }
        let dir = try TestResources.temporaryDirectory("convert-smollm2")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ModelExporter.exportHuggingFace(from: gguf, to: dir, dtype: .f32)
        for file in ["config.json", "tokenizer.json", "model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path))
        }
        let original = try Model.load(url: gguf)
        let converted = try Model.load(url: dir)
        #expect(original.config == converted.config)
        try expectConfigRoundTrips(dir)
        var worst: Float = 0
        for text in golden.texts.prefix(4) {
            #expect(converted.tokenizer.encode(text.text) == text.token_ids)
            let a = try original.forward(TokenBatch(text.token_ids), logits: .lastOfEachSequence).logits
            let b = try converted.forward(TokenBatch(text.token_ids), logits: .lastOfEachSequence).logits
            let scale = a.map(abs).max() ?? 1
            worst = max(worst, zip(a, b).map { abs($0 - $1) }.max()! / scale)
        }
        print("GGUF vs converted HF: max relative |Δlogit| = \(worst)")
        #expect(worst <= 1e-4)
    }

    @Test func convertedGemmaStoresNormsAsTransformersExpects() throws {
        // Gemma's GGUF norms hold 1 + w; the HF export must store w, and load back to the same model.
        guard let gguf = try TestResources.model("gemma3-270m") else { return }
        let dir = try TestResources.temporaryDirectory("convert-gemma")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ModelExporter.exportHuggingFace(from: gguf, to: dir, dtype: .bf16)
        let original = try Model.load(url: gguf)
        let converted = try Model.load(url: dir)
        #expect(original.config == converted.config)
        try expectConfigRoundTrips(dir)
        let ids = original.tokenizer.encode("Der Hund schläft im Garten.")
        #expect(converted.tokenizer.encode("Der Hund schläft im Garten.") == ids)
        let a = try original.score(tokens: ids), b = try converted.score(tokens: ids)
        // bf16 matrices: the same model up to bf16 rounding.
        #expect(abs(a.nllSum - b.nllSum) / a.nllSum < 0.05)
    }

    /// The written config.json decodes and re-encodes to the same bytes: one struct reads and writes it.
    /// (`scripts/dev/check_exported_config.py` checks that transformers 5 reads these files as lna does.)
    func expectConfigRoundTrips(_ dir: URL) throws {
        let url = dir.appendingPathComponent("config.json")
        let written = try Data(contentsOf: url)
        #expect(try TransformersConfig(contentsOf: url).jsonData() == written)
        #expect(String(decoding: written, as: UTF8.self).contains("rope_parameters"))
    }
}
