import Foundation
import LNATestSupport
import LNATokenizers
import Testing

/// Encode throughput on SIB-200 sentences (all languages, all splits present). Opt-in with
/// `LNA_TOKENIZER_BENCH=1`; prints tokens/s and sentences/s, asserts only correctness of the round trip.
@Suite struct TokenizerSpeedTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LNA_TOKENIZER_BENCH"] == "1"),
          arguments: ["gemma3-270m", "smollm2-135m", "qwen2.5-0.5b"])
    func encodeThroughputOnSIB200(model: String) throws {
        let loadStart = Date()
        guard let folder = try TestResources.shared("datasets/sib200"),
              let tokenizer = try Goldens.tokenizer(model: model) else { return }
        print("[speed \(model)] GGUF tokenizer built in " + String(format: "%.2f s", Date().timeIntervalSince(loadStart)))
        var sentences: [String] = []
        for language in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let languageFolder = folder.appendingPathComponent(language)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: languageFolder.path)) ?? []
            where file.hasSuffix(".tsv") {
                let lines = try String(contentsOf: languageFolder.appendingPathComponent(file), encoding: .utf8)
                    .split(separator: "\n").dropFirst()
                sentences += lines.compactMap { $0.split(separator: "\t", maxSplits: 2).last.map(String.init) }
            }
        }
        let start = Date()
        var tokenCount = 0
        for sentence in sentences { tokenCount += tokenizer.encode(sentence).count }
        let seconds = Date().timeIntervalSince(start)
        print("[speed \(model)] \(sentences.count) SIB-200 sentences, \(tokenCount) tokens in "
              + String(format: "%.3f s: %.0f tokens/s, %.0f sentences/s", seconds, Double(tokenCount) / seconds,
                       Double(sentences.count) / seconds))
        #expect(tokenCount > sentences.count)
    }
}
