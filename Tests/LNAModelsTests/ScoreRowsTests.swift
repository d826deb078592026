import Foundation
import LNAHooks
import LNAModels
import LNATensor
import LNATestSupport
import Testing

/// The fused LM head + log-softmax (`Model.scoreRows`, used by `Model.score` and the perplexity grids) against
/// the materialised `.all` logits scored in Double, on the real Gemma-3-270M (vocabulary 262,144).
@Suite(.serialized) struct ScoreRowsTests {
    static let texts = [
        "The weather was warm, so we walked to the market and bought bread.",
        "El tiempo era cálido, así que fuimos al mercado.",
        "天气很暖和，所以我们走路去市场买了面包和水果。",
        "Погода была тёплой.",
        "Hi",
    ]

    /// Per row of `[T, V]` logits: Double log-sum-exp minus the next token's logit, and the first argmax.
    static func reference(_ logits: [Float], vocabulary v: Int, next: [Int]) -> (nll: [Double], argmax: [Int]) {
        var nll: [Double] = [], argmax: [Int] = []
        for (r, target) in next.enumerated() {
            let row = logits[r * v..<(r + 1) * v]
            var best = r * v
            for i in row.indices where logits[i] > logits[best] { best = i }
            let m = Double(logits[best])
            let lse = m + log(row.reduce(0.0) { $0 + exp(Double($1) - m) })
            nll.append(target >= 0 ? lse - Double(logits[r * v + target]) : .nan)
            argmax.append(best - r * v)
        }
        return (nll, argmax)
    }

    static func nextTokens(_ sequences: [[Int]]) -> [Int] {
        sequences.flatMap { s in Array(s.dropFirst()) + [-1] }
    }

    @Test func fusedScoresEqualMaterialisedLogits() throws {
        guard let model = try SharedModels.shared.model("gemma3-270m") else { return }
        let v = model.config.vocabularySize
        var worst = 0.0
        for text in Self.texts {
            let tokens = model.tokenizer.encode(text)
            let next = Self.nextTokens([tokens])
            let logits = try model.forward(TokenBatch(tokens), logits: .all).logits
            let expected = Self.reference(logits, vocabulary: v, next: next)
            let rows = try model.scoreRows(TokenBatch(tokens), nextTokens: next)
            let fusedSum = rows.dropLast().map(\.nll).reduce(0, +)
            let expectedSum = expected.nll.dropLast().reduce(0, +)
            let relative = abs(fusedSum - expectedSum) / max(1, abs(expectedSum))
            worst = max(worst, relative)
            #expect(relative <= 1e-5, "\(text): Σ nll \(fusedSum) vs \(expectedSum)")
            for r in 0..<tokens.count - 1 {
                #expect(abs(rows[r].nll - expected.nll[r]) <= 1e-5 * max(1, expected.nll[r]), "\(text) row \(r)")
            }
            #expect(rows.map(\.argmax) == expected.argmax, "\(text): argmax")
            #expect(rows.last!.nll.isNaN)
            // Model.score is the same computation.
            let score = try model.score(tokens: tokens)
            #expect(score.nll == rows.dropLast().map(\.nll))
            #expect(score.argmax == rows.map(\.argmax))
        }
        print("fused vs materialised scoring: worst relative Σ nll difference \(worst)")
    }

    @Test func packedBatchScoresEqualTextByText() throws {
        guard let model = try SharedModels.shared.model("gemma3-270m") else { return }
        let sequences = Self.texts.map { model.tokenizer.encode($0) }
        let rows = try model.scoreRows(TokenBatch(sequences), nextTokens: Self.nextTokens(sequences))
        var first = 0
        for tokens in sequences {
            let alone = try model.score(tokens: tokens)
            let packed = rows[first..<(first + tokens.count)]
            let packedSum = packed.dropLast().map(\.nll).reduce(0, +)
            #expect(abs(packedSum - alone.nllSum) <= 1e-5 * max(1, alone.nllSum))
            first += tokens.count
        }
    }

    @Test func hooksAtLogitsSeeAndEditTheRowsTheyScore() throws {
        guard let model = try SharedModels.shared.model("gemma3-270m") else { return }
        let v = model.config.vocabularySize
        let tokens = model.tokenizer.encode(Self.texts[0])
        let next = Self.nextTokens([tokens])
        // Push one token to the top of every row: the fused path must not bypass the edit.
        let boosted = 4242
        let hooks = HookSet(layerCount: model.config.layerCount)
        let seen = Counter()
        try hooks.observe("hook_logits") { t in seen.add(t.rows) }
        try hooks.intervene(Intervention(hook: "hook_logits", neurons: .indices([boosted]), positions: .all,
                                         operation: .add(50)))
        let logits = try model.forward(TokenBatch(tokens), hooks: hooks, logits: .all).logits
        let expected = Self.reference(logits, vocabulary: v, next: next)
        seen.reset()
        let rows = try model.scoreRows(TokenBatch(tokens), nextTokens: next, hooks: hooks)
        #expect(seen.value == tokens.count)
        #expect(rows.allSatisfy { $0.argmax == boosted })
        #expect(rows.map(\.argmax) == expected.argmax)
        for r in 0..<tokens.count - 1 {
            #expect(abs(rows[r].nll - expected.nll[r]) <= 1e-5 * max(1, expected.nll[r]), "row \(r)")
        }
    }

    @Test func badNextTokensAreRejected() throws {
        guard let model = try SharedModels.shared.model("gemma3-270m") else { return }
        let tokens = [2, 651, 5776]
        #expect(throws: ModelError.self) { _ = try model.scoreRows(TokenBatch(tokens), nextTokens: [651]) }
        #expect(throws: ModelError.self) {
            _ = try model.scoreRows(TokenBatch(tokens), nextTokens: [651, model.config.vocabularySize, -1])
        }
    }
}

/// A thread-safe count for hook callbacks.
private final class Counter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    func reset() { lock.lock(); count = 0; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
