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
