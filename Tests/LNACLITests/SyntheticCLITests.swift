import Foundation
import LNATestSupport
import Testing

// `lna synthetic` writes a bf16 checkpoint; `lna activation --weights` records the same statistics with every
// weight storage.

/// The data section of a safetensors file (after the header, whose metadata may hold timings).
private func dataSection(_ url: URL) throws -> Data {
    let bytes = try Data(contentsOf: url)
    let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    return bytes.dropFirst(8 + headerLength)
}

@Suite(.serialized) struct SyntheticCLITests {
    @Test func syntheticCheckpointRecordsTheSameCountsWithEveryWeightStorage() throws {
        guard try TestResources.model("smollm2-135m") != nil, try TestResources.lnaBinary() != nil else { return }
        let dir = try TestResources.temporaryDirectory("lna-synthetic-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("tiny")
        guard let written = try runLNA(["synthetic", "tiny", "--out", model.path, "--tokenizer", "smollm2-135m",
                                        "--shard-mib", "1"]) else { return }
        #expect(written.status == 0, "\(written.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: model.path)
        #expect(files.contains("config.json") && files.contains("tokenizer.json")
                && files.contains("model.safetensors.index.json"))
        #expect(files.filter { $0.hasSuffix(".safetensors") }.count >= 2)
        let again = try runLNA(["synthetic", "tiny", "--out", model.path, "--tokenizer", "smollm2-135m"])
        #expect(again?.status != 0, "an existing folder is refused")

        var sections: [String: Data] = [:]
        for weights in ["resident", "bf16", "streamed"] {
            let out = dir.appendingPathComponent("acts-\(weights)")
            guard let run = try runLNA(["activation", "-m", model.path, "-l", "en,zh", "-d", "builtin",
                                        "--max-texts", "5", "--weights", weights, "--out", out.path]) else { return }
            #expect(run.status == 0, "\(run.err)")
            #expect(run.err.contains("\(weights) weights"), "\(run.err)")
            for language in ["en", "zh"] {
                sections["\(weights)/\(language)"] = try dataSection(out.appendingPathComponent("\(language).safetensors"))
            }
        }
        for language in ["en", "zh"] {
            #expect(sections["bf16/\(language)"] == sections["resident/\(language)"])
            #expect(sections["streamed/\(language)"] == sections["resident/\(language)"])
        }
        let bad = try runLNA(["activation", "-m", model.path, "-l", "en", "--weights", "f16", "--out", dir.path])
        #expect(bad?.status != 0 && bad?.err.contains("f16") == true)
    }
}
