import Foundation
import LNAData
import LNAFormats
import LNAModels
import LNARecording
import LNATestSupport
import LNATokenizers
import Testing

/// Every tokenizer type read from tokenizer.json gives Hugging Face `tokenizers`' ids, and decodes them to its text,
/// on the SIB-200 dev sentences of all 205 languages. Goldens: `scripts/dev/make_tokenizer_sib200_goldens.py` (per
/// tokenizer and language: the SHA-256 of the id lines, the token count of every sentence, the ids of the first
/// sentence, the SHA-256 of the decoded lines).
@Suite(.serialized) struct HuggingFaceSIB200Tests {
    static let fixtures = TestResources.repositoryRoot
        .appendingPathComponent("Tests/LNATokenizersTests/Fixtures/huggingface")

    struct LanguageGolden: Decodable {
        let sentences: Int
        let tokens: Int
        let sha256: String
        let first: [Int]
        let counts: [Int]
        let decoded_sha256: String
    }

    struct GoldenFile: Decodable {
        let split: String
        let languages: Int
        let tokenizers: [String: [String: LanguageGolden]]
    }

    static func goldens() throws -> GoldenFile {
        try JSONDecoder().decode(GoldenFile.self,
                                 from: Data(contentsOf: fixtures.appendingPathComponent("sib200-goldens.json")))
    }

    /// Sentences of every language folder of `sib200-full` (sorted), or nil (skip) when the dataset is missing.
    static func sentences(split: String) throws -> [(language: String, texts: [String])]? {
        guard let root = try TestResources.shared("datasets/sib200-full") else { return nil }
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/\(split).tsv").path)
        }
        return try names.map { name in
            let bytes = try Array(Data(contentsOf: root.appendingPathComponent("\(name)/\(split).tsv")))
            let records = try DelimitedReader.records(in: bytes, delimiter: "\t")
            return (name, records.dropFirst().map { $0.fields.last ?? "" })
        }
    }

    /// The tokenizer behind a golden name: a committed fixture, or a GGUF model's vocabulary exported as lna
    /// exports it (nil when the model is missing and not required).
    static func tokenizer(_ name: String) throws -> Tokenizer? {
        let fixture = fixtures.appendingPathComponent("\(name).tokenizer.json")
        if FileManager.default.fileExists(atPath: fixture.path) {
            return try Tokenizer(huggingFaceJSON: Data(contentsOf: fixture), source: fixture.lastPathComponent)
        }
        guard let url = try TestResources.model(name) else { return nil }
        let json = try Tokenizer(gguf: GGUFFile(contentsOf: url)).vocabulary.huggingFaceTokenizerJSON()
        return try Tokenizer(huggingFaceJSON: Data(json.utf8), source: "exported \(name)")
    }

    /// Compares one tokenizer on every language; returns a description of the first difference, or nil.
    static func firstDifference(_ tokenizer: Tokenizer, _ golden: [String: LanguageGolden],
                                _ languages: [(language: String, texts: [String])]) -> (String?, Int) {
        var tokens = 0
        for (language, texts) in languages {
            guard let expected = golden[language] else { return ("\(language): no golden", tokens) }
            var hash = SHA256()
            var decodedHash = SHA256()
            var firstDecodingDifference: Int?
            var counts: [Int] = []
            var firstIDs: [Int] = []
            for text in texts {
                let ids = tokenizer.encode(text)
                if firstIDs.isEmpty && counts.isEmpty { firstIDs = ids }
                counts.append(ids.count)
                hash.update(ids.map(String.init).joined(separator: " ") + "\n")
                let decoded = tokenizer.decode(ids)
                decodedHash.update(decoded + "\n")
                if firstDecodingDifference == nil && decoded != text { firstDecodingDifference = counts.count - 1 }
            }
            tokens += counts.reduce(0, +)
            let idsHash = hash.finalizeHex()
            if idsHash == expected.sha256 && decodedHash.finalizeHex() != expected.decoded_sha256 {
                let index = firstDecodingDifference ?? 0
                return ("\(language): decoded text differs from Hugging Face's decode (first sentence whose decoding "
                        + "is not the input: \(index) \(texts[index].prefix(60).debugDescription) → "
                        + "\(tokenizer.decode(tokenizer.encode(texts[index])).prefix(60).debugDescription))", tokens)
            }
            guard idsHash != expected.sha256 else { continue }
            let differing = counts.indices.first { $0 >= expected.counts.count || counts[$0] != expected.counts[$0] }
            if let index = differing ?? (firstIDs != expected.first ? 0 : nil) {
                let text = texts[index]
                return ("\(language) sentence \(index) \(text.prefix(80).debugDescription): \(counts[index]) tokens "
                        + "(Hugging Face: \(index < expected.counts.count ? expected.counts[index] : -1))"
                        + (index == 0 ? ", ids \(firstIDs.prefix(40)) vs \(expected.first.prefix(40))" : ""), tokens)
            }
            return ("\(language): ids differ (same token counts per sentence, first sentence equal)", tokens)
        }
        return (nil, tokens)
    }

    static let names = ["xglm-unigram", "spm-unigram-byte-fallback", "spm-bpe-byte-fallback", "bytelevel-bpe",
                        "wordlevel-bpe-unk", "hf-unigram", "llama3-bytelevel-bpe", "gemma3-270m", "smollm2-135m",
                        "qwen2.5-0.5b"]

    @Test(arguments: names)
    func idsEqualHuggingFaceOnAllLanguages(_ name: String) throws {
        let goldens = try Self.goldens()
        guard let languages = try Self.sentences(split: goldens.split) else { return }
        #expect(languages.count == 205)
        #expect(languages.count == goldens.languages)
        let golden = try #require(goldens.tokenizers[name], "no golden for \(name)")
        guard let tokenizer = try Self.tokenizer(name) else { return }
        let (difference, tokens) = Self.firstDifference(tokenizer, golden, languages)
        let sentences = languages.reduce(0) { $0 + $1.texts.count }
        print("[\(name)] \(languages.count) languages, \(sentences) sentences, \(tokens) tokens: "
              + (difference.map { "first difference: \($0)" } ?? "all equal"))
        #expect(difference == nil, "\(name): \(difference ?? "")")
    }

    @Test func everyGoldenHasATest() throws {
        #expect(Set(try Self.goldens().tokenizers.keys) == Set(Self.names))
    }
}
