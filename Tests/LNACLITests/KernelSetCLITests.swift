import Foundation
import Testing
import LNAAnalysis
import LNATensor
import LNATestSupport

// One `lna` binary, three kernel sets (LNA_KERNELS): the same recording and scoring under each. AVX-512 and
// AVX2 compute the same float32 operations in the same order, so their outputs are identical; the generic set
// rounds a·b + c twice (no FMA), so its counts and NLLs agree within float tolerance.

/// `lna activation` on 24 built-in French sentences and `lna score` on one text, with `LNA_KERNELS=set`.
private func runWithKernels(_ set: KernelSet, in dir: URL) throws -> (statistics: ActivationStatistics, nll: [Double])? {
    let environment = ["LNA_KERNELS": set.rawValue]
    let out = dir.appendingPathComponent(set.rawValue)
    guard let recorded = try runLNA(["activation", "-m", "gemma3-270m", "-l", "fr", "-d", "builtin", "--limit", "24",
                                     "--quiet", "--out", out.path], environment: environment) else { return nil }
    #expect(recorded.status == 0, "\(set): \(recorded.err)")
    let statistics = try StatisticsFile.read(out.appendingPathComponent("fr.safetensors"))
    guard let scored = try runLNA(["score", "gemma3-270m", "--json", "--text",
                                   "Les neurones de langue décident de la langue de sortie. 言語ニューロンは少ない。"],
                                  environment: environment) else { return nil }
    #expect(scored.status == 0, "\(set): \(scored.err)")
    struct Score: Decodable { let nll: [Double] }
    let nll = try JSONDecoder().decode(Score.self, from: Data(scored.out.utf8)).nll
    return (statistics, nll)
}

@Suite(.serialized) struct KernelSetCLITests {
    @Test func everyKernelSetGivesTheSameCountsAndNLL() throws {
        guard try TestResources.model("gemma3-270m") != nil else { return }
        let dir = try TestResources.temporaryDirectory("lna-kernels")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sets = KernelSet.allCases.filter(KernelSet.isSupported)
        #expect(sets.contains(.generic))
        var results: [KernelSet: (statistics: ActivationStatistics, nll: [Double])] = [:]
        for set in sets {
            guard let result = try runWithKernels(set, in: dir) else { return }
            #expect(result.statistics.metadata.extra["kernels"] == set.rawValue)
            results[set] = result
        }
        let reference = try #require(results[KernelSet.best])
        #expect(reference.statistics.full.totalTokens > 200)   // 301 tokens
        for (set, result) in results where set != KernelSet.best {
            let counts = result.statistics.full.overZero, expected = reference.statistics.full.overZero
            #expect(result.statistics.full.totalTokens == reference.statistics.full.totalTokens)
            #expect(result.nll.count == reference.nll.count)
            let nllDifference = zip(result.nll, reference.nll).map { abs($0 - $1) }.max() ?? 0
            let differing = zip(counts, expected).filter { $0 != $1 }
            print("kernels \(set) vs \(KernelSet.best): \(differing.count) of \(counts.count) counts differ, "
                  + "max |ΔNLL| \(nllDifference)")
            if set == .generic {
                // Unfused multiply-adds move activations by ~1e-6: a neuron sitting at 0 may flip for a token.
                #expect(differing.count * 1000 <= counts.count && differing.allSatisfy { abs($0 - $1) <= 2 })
                #expect(nllDifference < 1e-3)
            } else {
                #expect(differing.isEmpty && result.nll == reference.nll)
                #expect(result.statistics.full.sumActivation == reference.statistics.full.sumActivation)
            }
        }
    }

    @Test func inspectNamesTheKernelSetAndAnUnknownSetIsRefused() throws {
        guard try TestResources.model("gemma3-270m") != nil else { return }
        guard let forced = try runLNA(["inspect", "gemma3-270m"], environment: ["LNA_KERNELS": "generic"]) else { return }
        #expect(forced.status == 0, "\(forced.err)")
        #expect(forced.out.contains("kernels                        generic (CPU: "))
        guard let unknown = try runLNA(["inspect", "gemma3-270m"], environment: ["LNA_KERNELS": "avx1024"]) else { return }
        #expect(unknown.status != 0)
        #expect(unknown.err.contains("LNA_KERNELS=avx1024: unknown kernel set; expected one of generic, avx2, avx512"))
        if !KernelSet.isSupported(.avx512) {
            let lacking = try #require(try runLNA(["inspect", "gemma3-270m"], environment: ["LNA_KERNELS": "avx512"]))
            #expect(lacking.status != 0 && lacking.err.contains("this CPU lacks the avx512 kernel set"))
        }
    }
}
