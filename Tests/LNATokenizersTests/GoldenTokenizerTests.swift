import Foundation
import LNAModels
import LNATestSupport
import LNATokenizers
import Testing

/// The GGUF tokenizers against llama.cpp's token ids for every golden string (public set).
@Suite struct GoldenTokenizerTests {
    @Test(arguments: ["gemma3-270m", "smollm2-135m", "qwen2.5-0.5b"])
    func ggufTokenizerMatchesLlamaCpp(model: String) throws {
        guard let cases = try Goldens.cases(model: model), let tokenizer = try Goldens.tokenizer(model: model) else {
            return
        }
        #expect(cases.count == 234)
        #expect(Goldens.mismatches(tokenizer, cases, label: "gguf \(model)") == 0)
    }
}

/// The exported tokenizer.json, read back, must tokenize the goldens exactly like the GGUF tokenizer.
@Suite struct ExportedTokenizerJSONTests {
    @Test(arguments: ["gemma3-270m", "smollm2-135m", "qwen2.5-0.5b"])
    func exportedTokenizerJSONMatchesLlamaCpp(model: String) throws {
        guard let cases = try Goldens.cases(model: model), let gguf = try Goldens.tokenizer(model: model) else {
            return
        }
        let json = try gguf.vocabulary.huggingFaceTokenizerJSON()
        // For scripts/dev/check_exported_tokenizer_with_hf.py: compare with Hugging Face's own tokenizers library.
        if let folder = ProcessInfo.processInfo.environment["LNA_TOKENIZER_EXPORT_DIR"] {
            try Data(json.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(model).tokenizer.json"),
                                      options: .atomic)
        }
        let imported = try Tokenizer(huggingFaceJSON: Data(json.utf8), source: "exported \(model)")
        #expect(imported.vocabularySize == gguf.vocabularySize)
        #expect(imported.bosID == (gguf.addsBOS ? gguf.bosID : nil))
        #expect(Goldens.mismatches(imported, cases, label: "tokenizer.json \(model)") == 0)
    }
}
