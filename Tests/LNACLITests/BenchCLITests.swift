import Foundation
import Testing
import LNATensor
import LNATestSupport

// `lna bench` end to end on SmolLM2-135M: the JSON report (FLOP and parameter accounting, peak memory), the
// SIB-200 token lists it writes for scripts/compare-llamacpp-sentences.sh, and the packing of many sequences.
// Timings are never asserted, only that they are there and consistent with the FLOP counts.

private struct Report: Decodable {
    struct Result: Decodable {
        let mode: String, packing: String, forwardCalls: Int, seconds: Double, tokensPerSecond: Double, gflops: Double
    }
    struct MLP: Decodable {
        let packing: String, forwardCalls: Int, meanRowsPerCall: Double
        let gateUpSeconds: Double, gateUpGFLOPS: Double, downSeconds: Double, downGFLOPS: Double
    }
    let model: String, sequences: Int, tokens: Int, threads: Int, kernels: String
    let parameters: Int, weightBytesF32: Int, peakResidentBytes: Int, residentOverWeights: Double
    let peakGFLOPS: Double?
    let results: [Result]
    let mlp: [MLP]
}

/// SmolLM2-135M's shapes (config.json of HuggingFaceTB/SmolLM2-135M-Instruct).
private enum Smol {
    static let d = 576.0, f = 1536.0, layers = 30.0, queryWidth = 576.0, kvWidth = 192.0, vocabulary = 49152.0
    /// 2 × multiply-adds of the decoder over sequences of these lengths (attention: half of each sequence).
    static func bodyFlops(_ lengths: [Int]) -> Double {
        let n = Double(lengths.reduce(0, +))
        let projections = d * queryWidth * 2 + d * kvWidth * 2 + 3 * d * f
        let attention = 4 * queryWidth * lengths.reduce(0.0) { $0 + Double($1) * Double($1) / 2 }
        return layers * (2 * projections * n + attention)
    }
}

private func runBench(_ arguments: [String]) throws -> Report? {
    guard try TestResources.model("smollm2-135m") != nil,
          let r = try runLNA(["bench", "smollm2-135m", "--repeats", "1", "--no-peak", "--json"] + arguments)
    else { return nil }
    #expect(r.status == 0, "\(r.err)")
    return try JSONDecoder().decode(Report.self, from: Data(r.out.utf8))
}

/// The first `count` texts of a SIB-200 TSV whose rows are plain (no quoting): index, category, text.
private func plainSIB200Texts(_ url: URL, count: Int) throws -> [String] {
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().prefix(count)
    return try lines.map { line in
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        try #require(fields.count == 3 && !line.contains("\""), "row needs CSV unquoting: \(line)")
        return String(fields[2])
    }
}

@Suite(.serialized) struct BenchCLITests {
    @Test func oneSequenceReportAccountsFlopsParametersAndMemory() throws {
        let dir = try TestResources.temporaryDirectory("lna-bench-cli")
        let tokensFile = dir.appendingPathComponent("tokens.json")
        guard let report = try runBench(["--tokens", "24", "--tokens-out", tokensFile.path]) else { return }
        #expect(report.model == "smollm2-135m")
        #expect(report.sequences == 1 && report.tokens == 24)
        #expect(report.kernels.hasPrefix("\(KernelSet.active) (CPU: "))   // the set in use, as lna inspect prints it
        #expect(report.parameters == 134_515_008)   // HF's count for SmolLM2-135M
        #expect(report.weightBytesF32 == 4 * 134_515_008)
        #expect(report.peakResidentBytes > 100_000_000)
        #expect(abs(report.residentOverWeights - Double(report.peakResidentBytes) / Double(report.weightBytesF32)) < 1e-9)
        #expect(report.peakGFLOPS == nil)
        #expect(report.results.map(\.mode) == ["prefill", "recording", "logits", "nll"])
        let body = Smol.bodyFlops([24]), head = 2 * Smol.d * Smol.vocabulary * 24
        for r in report.results {
            #expect(r.forwardCalls == 1 && r.packing == "packed")
            #expect(abs(r.tokensPerSecond * r.seconds - 24) < 1e-6)
            let expected = r.mode == "logits" || r.mode == "nll" ? body + head : body
            #expect(abs(r.gflops * r.seconds * 1e9 / expected - 1) < 1e-9, "\(r.mode)")
        }
        let mlp = try #require(report.mlp.first)
        #expect(report.mlp.count == 1 && mlp.meanRowsPerCall == 24)
        #expect(abs(mlp.gateUpGFLOPS * mlp.gateUpSeconds * 1e9 / (Smol.layers * 2 * 24 * Smol.d * 2 * Smol.f) - 1) < 1e-9)
        #expect(abs(mlp.downGFLOPS * mlp.downSeconds * 1e9 / (Smol.layers * 2 * 24 * Smol.f * Smol.d) - 1) < 1e-9)
        let ids = try JSONDecoder().decode([Int].self, from: Data(contentsOf: tokensFile))
        #expect(ids.count == 24)
    }

    @Test func sib200SentencesAreTokenizedAsTheModelDoesAndTimedPackedAndOneByOne() throws {
        guard let sib = try TestResources.shared("datasets/sib200") else { return }
        let dir = try TestResources.temporaryDirectory("lna-bench-cli")
        let lists = dir.appendingPathComponent("lists.json")
        guard let report = try runBench(["--sib200", sib.path, "--lang", "eng_Latn", "--sentences", "3",
                                         "--only", "recording", "--tokens-out", lists.path]) else { return }
        let written = try JSONDecoder().decode([[Int]].self, from: Data(contentsOf: lists))
        let texts = try plainSIB200Texts(sib.appendingPathComponent("eng_Latn/train.tsv"), count: 3)
        #expect(written.count == 3)
        for (ids, text) in zip(written, texts) {
            let r = try #require(try runLNA(["tokenize", "smollm2-135m", text, "--json"]))
            struct Tokens: Decodable { let ids: [Int] }
            #expect(ids == (try JSONDecoder().decode(Tokens.self, from: Data(r.out.utf8))).ids)
        }
        #expect(report.sequences == 3 && report.tokens == written.reduce(0) { $0 + $1.count })
        #expect(report.results.map(\.packing) == ["packed", "single"])
        #expect(report.results.map(\.forwardCalls) == [1, 3])
        #expect(report.results.allSatisfy { abs($0.gflops * $0.seconds * 1e9 / Smol.bodyFlops(written.map(\.count)) - 1) < 1e-9 })
    }

    @Test func tokenListsArePackedGreedilyAsLnaActivationPacks() throws {
        let dir = try TestResources.temporaryDirectory("lna-bench-cli")
        let lists = dir.appendingPathComponent("lists.json")
        let sequences = [[1, 2, 3, 4], [5, 6, 7], [8, 9], [10, 11, 12, 13, 14], [15]]   // lengths 4 3 2 5 1
        try Data("[[1,2,3,4],[5,6,7],[],[8,9],[10,11,12,13,14],[15]]".utf8).write(to: lists)
        // Greedy up to 6 rows: [4] [3 2] [5 1] (the empty list is dropped).
        guard let report = try runBench(["--token-lists", lists.path, "--batch-tokens", "6", "--only", "prefill",
                                         "--only", "mlp"]) else { return }
        #expect(report.sequences == 5 && report.tokens == 15)
        #expect(report.results.map(\.forwardCalls) == [3, 5])
        #expect(report.mlp.map(\.forwardCalls) == [3, 5])
        #expect(report.mlp.map(\.meanRowsPerCall) == [5, 3])
        #expect(abs(report.results[0].gflops * report.results[0].seconds * 1e9 / Smol.bodyFlops(sequences.map(\.count)) - 1) < 1e-9)
    }

    @Test func malformedTokenListsFailWithOneLine() throws {
        guard try TestResources.model("smollm2-135m") != nil else { return }
        let dir = try TestResources.temporaryDirectory("lna-bench-cli")
        let lists = dir.appendingPathComponent("bad.json")
        try Data("[[1, 2], \"three\"]".utf8).write(to: lists)
        guard let r = try runLNA(["bench", "smollm2-135m", "--token-lists", lists.path, "--json"]) else { return }
        #expect(r.status != 0)
        #expect(r.err.contains(lists.path) && r.err.contains("JSON array of arrays"))
        #expect(r.out.isEmpty)
    }
}
