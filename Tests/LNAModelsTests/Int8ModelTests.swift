import Foundation
import LNAModels
import LNATensor
import LNATestSupport
import Testing

/// `--precision int8` on the real GGUF models: the Σ NLL of the first 12 public golden texts stays close to lna's
/// float32 result, and is compared with llama.cpp's own quantised path (which also multiplies int8 blocks by
/// Q8_0/Q8_K activations). Float32 is untouched by the int8 code (GoldenForwardTests keep checking it).
/// All 34 texts (docs/performance.md): `LNA_INT8_ALL_TEXTS=1`.
@Suite(.serialized) struct Int8ModelTests {
    /// Largest relative change of Σ NLL over all texts, and of one text's Σ NLL, against float32.
    static let totalTolerance = 0.01, textTolerance = 0.05

    @Test(arguments: ["smollm2-135m", "gemma3-270m", "qwen2.5-0.5b"])
    func int8NLLIsCloseToFloat32(model name: String) throws {
        guard Int8Kernel.vnniAvailable else {
            #expect(throws: ModelError.self) { try Model.load(name, precision: .int8) }   // refused, not emulated
            return
        }
        guard let float32 = try SharedModels.shared.model(name), let golden = try ForwardGolden.load(model: name),
              let url = try TestResources.model(name) else { return }
        let int8 = try Model.load(url: url, precision: .int8)
        #expect(int8.precision == .int8 && float32.precision == .float32)
        var sum32 = 0.0, sum8 = 0.0, sumLlama = 0.0, worstText = 0.0
        let all = ProcessInfo.processInfo.environment["LNA_INT8_ALL_TEXTS"] == "1"
        for text in golden.texts.prefix(all ? golden.texts.count : 12) {
            let a = try float32.score(tokens: text.token_ids).nllSum, b = try int8.score(tokens: text.token_ids).nllSum
            #expect(b.isFinite)
            worstText = max(worstText, abs(b - a) / a)
            #expect(abs(b - a) / a <= Self.textTolerance, "\(name) \(text.id): int8 \(b) float32 \(a)")
            sum32 += a; sum8 += b; sumLlama += text.sum_nll_nats
        }
        let total = abs(sum8 - sum32) / sum32
        print(String(format: "int8 %@ (%d texts): Σ NLL float32 %.4f int8 %.4f (rel. diff %.2e, worst text %.2e); llama.cpp quantised %.4f: float32 off by %.2e, int8 by %.2e; %.1f MB int8 vs float32 %.1f MB",
                     name, all ? golden.texts.count : 12, sum32, sum8, total, worstText, sumLlama, abs(sum32 - sumLlama) / sumLlama,
                     abs(sum8 - sumLlama) / sumLlama, Double(int8.residentWeightBytes) / 1e6, Double(float32.residentWeightBytes) / 1e6))
        #expect(total <= Self.totalTolerance)
        #expect(sum8 != sum32)   // the int8 path really ran
    }

    @Test func int8RefusesModelsWithoutQuantisedWeights() throws {
        let root = try TestResources.temporaryDirectory("int8-refuse")
        defer { try? FileManager.default.removeItem(at: root) }
        let tiny = TinyCheckpoint(architecture: "llama", seed: 1)
        let gguf = root.appendingPathComponent("tiny.gguf")
        try tiny.writeGGUF(to: gguf)   // float32 tensors: nothing for the int8 kernels
        #expect(throws: ModelError.self) { try Model.load(url: gguf, precision: .int8) }
        #expect(try Model.load(url: gguf, precision: .float32).precision == .float32)
    }
}
