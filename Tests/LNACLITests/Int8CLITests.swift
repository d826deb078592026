import Foundation
import Testing
import LNAAnalysis
import LNATensor
import LNATestSupport

/// `lna activation --precision int8`:
/// the statistics metadata says `precision: int8` (a float32 file has no such key), and the counts stay close to
/// float32's: the share of (token, neuron) signs that flip is reported.
@Suite(.serialized) struct Int8CLITests {
    @Test func activationRecordsPrecisionInt8() throws {
        guard try TestResources.model("gemma3-270m") != nil else { return }
        let dir = try TestResources.temporaryDirectory("lna-int8")
        defer { try? FileManager.default.removeItem(at: dir) }
        var statistics: [String: ActivationStatistics] = [:]
        for precision in ["float32", "int8"] {
            let out = dir.appendingPathComponent(precision)
            guard let run = try runLNA(["activation", "-m", "gemma3-270m", "-l", "fr", "-d", "builtin", "--limit", "24",
                                        "--quiet", "--precision", precision, "--out", out.path])
            else { return }
            if precision == "int8" && !Int8Kernel.vnniAvailable {
                #expect(run.status != 0 && run.err.contains("AVX512_VNNI"), "\(run.err)")
                return
            }
            #expect(run.status == 0, "\(precision): \(run.err)")
            statistics[precision] = try StatisticsFile.read(out.appendingPathComponent("fr.safetensors"))
        }
        let float32 = try #require(statistics["float32"]), int8 = try #require(statistics["int8"])
        #expect(int8.metadata.extra["precision"] == "int8")
        #expect(float32.metadata.extra["precision"] == nil)
        #expect(int8.full.totalTokens == float32.full.totalTokens)
        // |Δ count| summed over neurons bounds the (token, neuron) sign flips from below.
        let changed = zip(int8.full.overZero, float32.full.overZero).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        let cells = float32.full.overZero.count * Int(float32.full.totalTokens)
        print("int8 vs float32 (gemma3-270m, 24 French sentences): Σ|Δ over_zero| \(changed) of \(cells) (token, neuron) cells")
        #expect(changed > 0 && changed * 100 <= cells)   // int8 really ran, and fewer than 1 % of signs moved

        guard let bogus = try runLNA(["score", "gemma3-270m", "--text", "Bonjour", "--precision", "int4"]) else { return }
        #expect(bogus.status != 0 && bogus.err.contains("int4"), "\(bogus.err)")
    }
}
