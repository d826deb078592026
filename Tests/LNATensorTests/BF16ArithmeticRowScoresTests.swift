import Foundation
import LNATensor
import Testing

/// The bf16-arithmetic LM head (`--precision bf16`): the sliced logits and the fused scoring give `apply`'s logits
/// bit for bit (for more than one row; one row's `apply` is the GEMV), and against float64 references each logit is within `errorBound(inputs:)` and each NLL within the
/// bound it implies (docs/kernels.md, "bf16 arithmetic": |Δ nll| ≤ max_o e_o + e_target).
struct BF16ArithmeticRowScoresTests {
    var available: Bool { (try? ArithmeticPrecision.bf16.checkAvailable()) != nil }

    // Several tasks and row blocks (1000 × 97 × 70 is over the one-task size; 70 rows > the 64-row block; 97 odd
    // inputs; 1000 outputs end in a partial slice and panel), one task, one row, and depth over one 4096-input block.
    @Test(arguments: [(1000, 97, 70), (300, 64, 9), (300, 64, 1), (260, 4099, 3)])
    func slicedLogitsAndFusedNLLWithinTheBoundOfFloat64References(shape: (outputs: Int, inputs: Int, rows: Int)) throws {
        guard available else { return }
        let (outputs, inputs, rows) = shape
        let w = randomValues(outputs * inputs, seed: UInt64(outputs + inputs))
        let x = randomValues(rows * inputs, seed: UInt64(rows + 3), scale: 3)
        // Built a block of rows at a time (blocks of 64 outputs: several blocks), as the model builds its head.
        let head = try BF16ArithmeticLinear(outputs: outputs, inputs: inputs, blockRows: 64) { range in
            Array(w[(range.lowerBound * inputs)..<(range.upperBound * inputs)])
        }
        var plain = [Float](repeating: .nan, count: rows * outputs), sliced = plain
        head.apply(x, rows: rows, into: &plain)
        head.applyBySlices(x, rows: rows, into: &sliced)
        #expect(sliced.map(\.bitPattern) == plain.map(\.bitPattern))
        var whole = [Float](repeating: .nan, count: rows * outputs)
        try BF16ArithmeticLinear(weight: w, outputs: outputs, inputs: inputs).apply(x, rows: rows, into: &whole)
        #expect(whole.map(\.bitPattern) == plain.map(\.bitPattern))

        let targets = (0..<rows).map { r in r == 1 ? -1 : (r * 7919) % outputs }
        let scores = try head.scoreRows(x, rows: rows, targets: targets)
        let reference = referenceLinearSums(x: x, rows: rows, weight: w, outputs: outputs, inputs: inputs, bias: nil)
        let bound = BF16ArithmeticLinear.errorBound(inputs: inputs)
        var worst = 0.0
        for r in 0..<rows {
            let row = Array(plain[(r * outputs)..<((r + 1) * outputs)])
            // The fused fold sees exactly `apply`'s logits.
            let twoPass = row.withUnsafeBufferPointer { RowScore(logits: $0.baseAddress!, count: outputs, target: targets[r] >= 0 ? targets[r] : nil) }
            if rows > 1 { #expect(scores[r].argmax == twoPass.argmax && scores[r].maximum == twoPass.maximum) }
            if rows > 1 {
                #expect(scores[r].targetLogit.bitPattern == twoPass.targetLogit.bitPattern)
            } else {
                // One row: `apply` takes the GEMV, whose float32 sums may differ from the tile kernel's in the last bit.
                #expect(abs(scores[r].targetLogit - twoPass.targetLogit) <= 1e-5 * (1 + abs(twoPass.targetLogit)))
            }
            #expect(abs(scores[r].logSumExp - twoPass.logSumExp) <= 1e-6 * (1 + abs(twoPass.logSumExp)))
            // Against float64: each logit within its bound, the NLL within the bound the logits' bounds imply.
            let sums = Array(reference.sum[(r * outputs)..<((r + 1) * outputs)])
            let errors = reference.magnitude[(r * outputs)..<((r + 1) * outputs)].map { bound * $0 }
            for o in 0..<outputs { #expect(abs(Double(row[o]) - sums[o]) <= errors[o]) }
            guard targets[r] >= 0 else { #expect(scores[r].nll.isNaN); continue }
            let top = sums.max()!
            let referenceLSE = top + log(sums.reduce(0) { $0 + exp($1 - top) })
            let referenceNLL = referenceLSE - sums[targets[r]]
            let nllBound = errors.max()! + errors[targets[r]] + 1e-6 * (1 + abs(referenceLSE))
            worst = max(worst, abs(scores[r].nll - referenceNLL) / nllBound)
        }
        print("bf16 head \(outputs)×\(inputs), \(rows) rows: fused NLL error / bound \(worst)")
        #expect(worst <= 1)
    }

    /// A logit transform (Gemma 2's softcap) is applied to each slice as `apply` + transform would.
    @Test func fusedScoringAppliesTheTransformToApplysLogits() throws {
        guard available else { return }
        let outputs = 600, inputs = 48, rows = 11
        let w = randomValues(outputs * inputs, seed: 41), x = randomValues(rows * inputs, seed: 42, scale: 3)
        let head = try BF16ArithmeticLinear(weight: w, outputs: outputs, inputs: inputs)
        let cap = LogitTransform(softcap: 5)
        var logits = [Float](repeating: .nan, count: rows * outputs)
        head.apply(x, rows: rows, into: &logits)
        logits.withUnsafeMutableBufferPointer { cap.apply($0.baseAddress!, count: $0.count) }
        let targets = (0..<rows).map { ($0 * 131) % outputs }
        let scores = try head.scoreRows(x, rows: rows, targets: targets, transform: cap)
        for r in 0..<rows {
            #expect(scores[r].targetLogit.bitPattern == logits[r * outputs + targets[r]].bitPattern)
            #expect(scores[r].maximum <= 5)
        }
        #expect(throws: TensorError.self) { try head.scoreRows(x, rows: rows, targets: [outputs] + targets.dropFirst()) }
        #expect(throws: TensorError.self) { try BF16ArithmeticLinear(outputs: 3, inputs: 2) { _ in [1, 2] } }
    }
}
