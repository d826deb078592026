import Foundation
import LNAModels
import LNATensor
import LNATestSupport
import Testing

/// `precision: .bf16` at model level: Gemma-3-270M's NLL stays close to float32 (the bound of docs/kernels.md), the
/// float32 model is untouched by loading a bf16 one, and on a tiny bf16 checkpoint the resident and streamed bf16
/// arithmetic give the same logits bit for bit.
struct BF16ArithmeticModelTests {
    var available: Bool { (try? ArithmeticPrecision.bf16.checkAvailable()) != nil }

    /// Sentences in five scripts (Latin, Cyrillic, Han, Devanagari, Arabic).
    static let texts = [
        "The committee published its final report on the state of the national railways last Thursday.",
        "Le gouvernement a annoncé hier une nouvelle réforme des retraites qui entrera en vigueur l'année prochaine.",
        "В понедельник учёные представили результаты исследования о влиянии климата на урожай пшеницы.",
        "研究人员在周一发表了一项关于气候变化对农作物产量影响的新研究。",
        "वैज्ञानिकों ने सोमवार को गेहूं की फसल पर जलवायु के प्रभाव के बारे में एक अध्ययन प्रकाशित किया।",
        "نشر الباحثون يوم الاثنين دراسة جديدة حول تأثير تغير المناخ على إنتاج القمح.",
    ]

    /// Measured on this machine (16–21 tokens per text), with the LM head in bf16 too: |Δ mean NLL| 0.0009–0.0075
    /// nats/token per text, largest |Δ nll| of a token 0.168 (with a float32 head: 0.00006–0.0095 and 0.068 — the
    /// bf16 head rounds the final hidden state and the 262,144 × 640 head, which moves single tokens more). The
    /// bounds leave a factor of 4 (mean) and 1.5 (token): bf16 activations move logits by ~2⁻⁹ relative, a few
    /// hundredths of a nat per token; on SIB-200 the mean over 33,992 tokens moved by 0.0005 (0.0003 with a float32
    /// head; docs/performance.md).
    static let meanBound = 0.03, tokenBound = 0.25

    @Test func gemmaNLLInBF16StaysCloseToFloat32() throws {
        guard let url = try TestResources.model("gemma3-270m") else { return }
        guard available else {
            #expect(throws: (any Error).self) { try Model.load(url: url, precision: .bf16) }
            return
        }
        let float32 = try Model.load(url: url)
        let before = try float32.score(tokens: float32.tokenizer.encode(Self.texts[0]))
        let bf16 = try Model.load(url: url, precision: .bf16)
        #expect(float32.precision == .float32 && bf16.precision == .bf16)
        #expect(bf16.residentWeightBytes * 2 <= float32.residentWeightBytes + 1_000_000)
        var worstMean = 0.0, worstToken = 0.0, differs = false
        for text in Self.texts {
            let tokens = float32.tokenizer.encode(text)
            let a = try float32.score(tokens: tokens), b = try bf16.score(tokens: tokens)
            let meanChange = abs(b.nllSum - a.nllSum) / Double(a.scoredCount)
            let tokenChange = zip(a.nll, b.nll).map { abs($0 - $1) }.max() ?? 0
            print(String(format: "bf16 vs float32: %d tokens, ΣNLL %.4f vs %.4f, |Δ mean| %.5f, max |Δ token| %.4f",
                         a.scoredCount, a.nllSum, b.nllSum, meanChange, tokenChange))
            worstMean = max(worstMean, meanChange)
            worstToken = max(worstToken, tokenChange)
            differs = differs || a.nll != b.nll
        }
        #expect(worstMean <= Self.meanBound)
        #expect(worstToken <= Self.tokenBound)
        #expect(differs)   // really bf16 arithmetic
        // The float32 model is unchanged by the bf16 one next to it.
        #expect(try float32.score(tokens: float32.tokenizer.encode(Self.texts[0])).nll == before.nll)
        // One row (generation) takes the bf16 GEMV: close to the packed batch's last row.
        let tokens = float32.tokenizer.encode(Self.texts[0])
        let batch = try bf16.forward(TokenBatch(tokens), logits: .all).logits
        let single = try bf16.forward(TokenBatch([tokens[0]]), logits: .all).logits
        let first = Array(batch.prefix(single.count))
        let scale = first.map { abs($0) }.max() ?? 1
        #expect(zip(first, single).map { abs($0 - $1) }.max()! <= 0.01 * scale)
        // The LM head is bf16 too, in both its uses: the fused NLL of `score` is the NLL of the sliced logits of
        // `forward`, and the head alone (`unembed` of one residual row) differs from float32's within the bound.
        let v = bf16.config.vocabularySize
        let scored = try bf16.score(tokens: tokens)
        for (r, nll) in scored.nll.enumerated() {
            let fromLogits = batch.withUnsafeBufferPointer { RowScore(logits: $0.baseAddress! + r * v, count: v, target: tokens[r + 1]) }
            #expect(abs(fromLogits.nll - nll) <= 1e-5 * (1 + abs(nll)))
        }
        let residual = (0..<bf16.config.hiddenSize).map { Float(sin(Double($0))) * 10 }
        let headFloat32 = try float32.unembed(residual), headBF16 = try bf16.unembed(residual)
        let headScale = headFloat32.map { abs($0) }.max() ?? 1
        #expect(headBF16 != headFloat32)
        #expect(zip(headBF16, headFloat32).map { abs($0 - $1) }.max()! <= 0.01 * headScale)
    }

    @Test func residentAndStreamedBF16ArithmeticAgreeBitForBit() throws {
        guard available else { return }
        let tests = WeightStorageTests()
        let tiny = try tests.writeTiny("bf16-arithmetic")
        defer { try? FileManager.default.removeItem(at: tiny.root) }
        let float32 = try Model.load(url: tiny.model, tokenizer: tiny.tokenizer, weights: .resident)
        let resident = try Model.load(url: tiny.model, tokenizer: tiny.tokenizer, weights: .resident, precision: .bf16)
        let streamed = try Model.load(url: tiny.model, tokenizer: tiny.tokenizer, weights: .streamed, precision: .bf16)
        let a = try tests.run(resident, WeightStorageTests.batch), b = try tests.run(streamed, WeightStorageTests.batch)
        #expect(a.logits.map(\.bitPattern) == b.logits.map(\.bitPattern))
        #expect(a.counts == b.counts)
        let reference = try tests.run(float32, WeightStorageTests.batch)
        #expect(a.logits != reference.logits)
        let scale = reference.logits.map { abs($0) }.max() ?? 1
        #expect(zip(a.logits, reference.logits).map { abs($0 - $1) }.max()! <= 0.02 * scale)
        #expect(throws: (any Error).self) {
            try Model.load(url: tiny.model, tokenizer: tiny.tokenizer, precision: .int8)
        }
    }
}
