import Foundation
import LNAAnalysis
import LNATensor
import LNATestSupport
import Testing

// `--precision bf16` end to end on Gemma-3-270M: the precision report (`lna precision`) on built-in sentences,
// a recording that names its precision and report in the statistics metadata, and the refusals (a forced AVX2
// kernel set, int8 only where VNNI runs, float32 as the "reduced" precision).

/// The fields of the report this test checks.
private struct Report: Decodable {
    struct Language: Decodable {
        let language: String, tokens: Int, signFlips: Int, signsCompared: Int, maxProbabilityChange: Double
        let meanProbabilityChange: Double, maskJaccard: Double?
    }
    let format: String, model: String, precision: String, reference: String, languages: [Language]
    let signFlips: Int, signsCompared: Int, signFlipShare: Double, nllReference: Double, nllReduced: Double
    let nllDifference: Double, scoredTokens: Int, maskJaccard: Double?
}

@Suite(.serialized) struct PrecisionCLITests {
    var available: Bool { (try? ArithmeticPrecision.bf16.checkAvailable()) != nil }

    @Test func precisionReportAndAReducedPrecisionRecording() throws {
        guard try TestResources.model("gemma3-270m") != nil else { return }
        let dir = try TestResources.temporaryDirectory("lna-precision")
        defer { try? FileManager.default.removeItem(at: dir) }
        let reportURL = dir.appendingPathComponent("bf16.json")
        guard let run = try runLNA(["precision", "-m", "gemma3-270m", "--precision", "bf16", "-l", "en,fr,de",
                                    "-d", "builtin", "--limit", "6", "--out", reportURL.path]) else { return }
        guard available else {
            #expect(run.status != 0 && run.err.contains("AVX512_BF16"))
            return
        }
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("sign flips") && run.out.contains("all"))
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: reportURL))
        #expect(report.format == "lna.precision-report/1" && report.precision == "bf16" && report.reference == "float32")
        #expect(report.languages.map(\.language) == ["en", "fr", "de"])
        let tokens = report.languages.reduce(0) { $0 + $1.tokens }
        #expect(report.signsCompared == tokens * 18 * 2048)   // every (token, neuron) of every layer
        #expect(report.signFlips > 0 && report.signFlipShare < 0.01)
        #expect(report.scoredTokens > 0 && abs(report.nllDifference) / Double(report.scoredTokens) < 0.01)
        #expect(abs(report.nllDifference - (report.nllReduced - report.nllReference)) < 1e-9)
        #expect(report.languages.allSatisfy { $0.maxProbabilityChange < 0.2 && $0.meanProbabilityChange < 0.01 })
        #expect((report.maskJaccard ?? 0) > 0.5)

        // The recording names its precision and the report; float32 ones do not (and fingerprints differ).
        var fingerprints: [String] = []
        for (precision, extra) in [("bf16", ["--precision-report", reportURL.path]), ("float32", [])] {
            let out = dir.appendingPathComponent(precision)
            let recorded = try #require(try runLNA(["activation", "-m", "gemma3-270m", "-l", "fr", "-d", "builtin",
                                                    "--limit", "6", "--quiet", "--precision", precision, "--out", out.path] + extra))
            #expect(recorded.status == 0, "\(recorded.err)")
            let metadata = try StatisticsFile.read(out.appendingPathComponent("fr.safetensors")).metadata.extra
            #expect(metadata["precision"] == (precision == "bf16" ? "bf16" : nil))
            #expect(metadata["precision_report"] == (precision == "bf16" ? reportURL.standardizedFileURL.path : nil))
            fingerprints.append(metadata["fingerprint"] ?? "")
        }
        #expect(fingerprints[0] != fingerprints[1])
        // A report of another precision or model is refused.
        let mismatched = try #require(try runLNA(["activation", "-m", "smollm2-135m", "-l", "fr", "-d", "builtin", "--limit", "2",
                                                  "--quiet", "--precision", "bf16", "--precision-report", reportURL.path,
                                                  "--out", dir.appendingPathComponent("x").path]))
        #expect(mismatched.status != 0 && mismatched.err.contains("measured gemma3-270m at bf16"))
    }

    @Test func reducedPrecisionsAreRefusedWhereTheyCannotRun() throws {
        guard try TestResources.model("gemma3-270m") != nil else { return }
        let forced = try #require(try runLNA(["score", "gemma3-270m", "--precision", "bf16", "--text", "Hallo"],
                                             environment: ["LNA_KERNELS": "avx2"]))
        #expect(forced.status != 0 && forced.err.contains("--precision bf16") && forced.err.contains("avx512"))
        // int8 runs on the quantised GGUF where the CPU has VNNI (a float-only model is refused: Int8ModelTests).
        let int8 = try #require(try runLNA(["score", "gemma3-270m", "--precision", "int8", "--text", "Hallo"]))
        if Int8Kernel.vnniAvailable {
            #expect(int8.status == 0 && int8.err.contains("int8 arithmetic"), "\(int8.err)")
        } else {
            #expect(int8.status != 0 && int8.err.contains("AVX512_VNNI"), "\(int8.err)")
        }
        let float32 = try #require(try runLNA(["precision", "-m", "gemma3-270m", "-l", "en,fr", "-d", "builtin"]))
        #expect(float32.status != 0 && float32.err.contains("float32 is the reference"))
        let unknown = try #require(try runLNA(["score", "gemma3-270m", "--precision", "fp8", "--text", "Hallo"]))
        #expect(unknown.status != 0)
    }
}
