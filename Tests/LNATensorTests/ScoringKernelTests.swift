import Foundation
import LNATensor
import Testing

// The vectorised scoring kernels (exp, log-sum-exp, argmax, the online accumulator, the output-range product
// and the fused row scores) against plain Double references on inline data.

/// Distance in units in the last place of `expected` (as a float) between a float result and a Double value.
private func ulps(_ value: Float, _ expected: Double) -> Double {
    let e = Float(expected)
    if value == e { return 0 }
    return abs(Double(value) - expected) / Double(e.ulp)
}

/// log Σ e^x in Double, two passes, as the engine computed it before vectorisation.
private func referenceLogSumExp(_ row: [Float]) -> Double {
    guard let top = row.filter({ !$0.isNaN }).max(), top > -.infinity else {
        return row.contains { $0.isNaN } ? .nan : -.infinity
    }
    let m = Double(top)
    return m + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) })
}

/// First index of the largest non-NaN value; 0 when there is none above −∞.
private func referenceArgmax(_ row: [Float]) -> Int {
    var best = 0, value = -Float.infinity
    for (i, x) in row.enumerated() where x > value { best = i; value = x }
    return best
}

/// Rows with the awkward cases: extreme ranges, −∞ entries, ties, NaN, lengths not a multiple of 16.
private func awkwardRows() -> [(String, [Float])] {
    var rows: [(String, [Float])] = []
    for count in [1, 5, 15, 16, 17, 31, 33, 100, 1000, 262_147] {
        rows.append(("random \(count)", randomValues(count, seed: UInt64(count), scale: 20)))
    }
    var wide = randomValues(4099, seed: 7, scale: 300)           // most terms far below the maximum
    wide[4000] = 1e4
    rows.append(("wide range", wide))
    rows.append(("large", randomValues(77, seed: 8, scale: 1).map { $0 + 3e4 }))
    rows.append(("tiny", randomValues(77, seed: 9, scale: 1e-30)))
    var masked = randomValues(70, seed: 10, scale: 5)
    for i in stride(from: 0, to: 70, by: 3) { masked[i] = -.infinity }
    rows.append(("-inf entries", masked))
    rows.append(("all -inf", [Float](repeating: -.infinity, count: 37)))
    var ties = [Float](repeating: 1, count: 50)
    ties[20] = 4; ties[36] = 4; ties[49] = 4
    rows.append(("ties in several lanes", ties))
    var tiesSameLane = randomValues(64, seed: 11)
    tiesSameLane[3] = 9; tiesSameLane[19] = 9; tiesSameLane[35] = 9
    rows.append(("ties in one lane", tiesSameLane))
    rows.append(("constant", [Float](repeating: -2.5, count: 48)))
    var nanFirst = randomValues(40, seed: 12)
    nanFirst[0] = .nan; nanFirst[25] = 7
    rows.append(("NaN first", nanFirst))
    var nanTail = randomValues(40, seed: 13)
    nanTail[39] = .nan
    rows.append(("NaN in tail", nanTail))
    return rows
}

@Test func vectorExpIsWithinTwoUlpOfDoubleExp() {
    var worst = 0.0, worstAt: Float = 0
    var x: Float = -87.3
    var lanes = SIMD16<Float>()
    var filled = 0
    var inputs: [Float] = []
    // Dense on [−87.3, 88.37] (above, 2^n leaves the float range and the result is +∞): every ~1/1024, with a
    // nudge so the fractional parts vary. Scoring only needs x ≤ 0.
    while x < 88.37 {
        inputs.append(x)
        x += 0.000_976_562_5 * 1.000_173
    }
    inputs += [0, -0.0, 1e-20, -1e-20, -1e-7, 1e-7, -0.5, -0.346_573_6, 0.346_573_6, -87.0]
    for (i, v) in inputs.enumerated() {
        lanes[filled] = v
        filled += 1
        if filled == 16 || i == inputs.count - 1 {
            let e = vectorExp(lanes)
            for lane in 0..<filled {
                let expected = Foundation.exp(Double(lanes[lane]))
                guard expected >= Double(Float.leastNormalMagnitude) else { continue }
                let error = ulps(e[lane], expected)
                if error > worst { worst = error; worstAt = lanes[lane] }
            }
            filled = 0
        }
    }
    print("vectorExp: worst error \(worst) ulp at x = \(worstAt) over \(inputs.count) inputs")
    #expect(worst <= 2)
    let edges = vectorExp(SIMD16<Float>(-.infinity, -1000, -87.5, .nan, 89, .infinity, 0, -100,
                                        -1, 1, 2, -2, 10, -10, 50, -50))
    #expect(edges[0] == 0 && edges[1] == 0 && edges[2] == 0 && edges[7] == 0)
    #expect(edges[3].isNaN)
    #expect(edges[4] == .infinity && edges[5] == .infinity)
    #expect(edges[6] == 1)
}

@Test func logSumExpAndArgmaxMatchDoubleReference() {
    for (name, row) in awkwardRows() {
        let expected = referenceLogSumExp(row)
        let (lse, best) = row.withUnsafeBufferPointer { logSumExpAndArgmax($0.baseAddress!, count: $0.count) }
        let standalone = row.withUnsafeBufferPointer { logSumExp($0.baseAddress!, count: $0.count) }
        let index = row.withUnsafeBufferPointer { argmax($0.baseAddress!, count: $0.count) }
        #expect(best == referenceArgmax(row), "\(name): argmax \(best) vs \(referenceArgmax(row))")
        #expect(index == best, "\(name)")
        if expected.isNaN {
            #expect(lse.isNaN && standalone.isNaN, "\(name): \(lse)")
        } else if expected.isInfinite {
            #expect(lse == expected && standalone == expected, "\(name): \(lse)")
        } else {
            let error = abs(lse - expected) / max(1, abs(expected))
            #expect(error <= 2e-7, "\(name): lse \(lse) vs \(expected) (relative \(error))")
            #expect(standalone == lse)
        }
    }
    #expect(logSumExp([Float](), count: 0) == -.infinity)
    #expect(argmax([Float](), count: 0) == 0)
}

@Test func sumOfExponentialsIsDoubleAccurateAtLength() {
    // 262,147 terms near 1: a float accumulator would drift by ~1e-4 relative; Double keeps ~1e-7.
    let row = randomValues(262_147, seed: 21, scale: 0.01)
    let expected = row.reduce(0.0) { $0 + Foundation.exp(Double($1)) }
    let sum = row.withUnsafeBufferPointer { sumOfExponentials($0.baseAddress!, count: $0.count, shift: 0) }
    print("sumOfExponentials: relative error \(abs(sum - expected) / expected)")
    #expect(abs(sum - expected) / expected < 1e-7)
}

@Test func accumulatorOverPiecesEqualsWholeRow() {
    for (name, row) in awkwardRows() {
        let whole = row.withUnsafeBufferPointer { logSumExpAndArgmax($0.baseAddress!, count: $0.count) }
        for piece in [1, 7, 16, 100, 8192] {
            var acc = LogSumExpAccumulator()
            // Also through merge: the second half in its own accumulator.
            let half = (row.count / 2 / piece) * piece
            var later = LogSumExpAccumulator()
            row.withUnsafeBufferPointer { r in
                for first in stride(from: 0, to: row.count, by: piece) {
                    let count = min(piece, row.count - first)
                    if first < half {
                        acc.add(r.baseAddress! + first, count: count, firstIndex: first)
                    } else {
                        later.add(r.baseAddress! + first, count: count, firstIndex: first)
                    }
                }
            }
            acc.merge(later)
            #expect(acc.argmax == whole.argmax, "\(name) piece \(piece): argmax \(acc.argmax) vs \(whole.argmax)")
            if whole.logSumExp.isNaN || whole.logSumExp.isInfinite {
                #expect(acc.logSumExp.isNaN == whole.logSumExp.isNaN, "\(name) piece \(piece)")
                if !whole.logSumExp.isNaN { #expect(acc.logSumExp == whole.logSumExp, "\(name) piece \(piece)") }
            } else {
                let error = abs(acc.logSumExp - whole.logSumExp) / max(1, abs(whole.logSumExp))
                #expect(error <= 2e-7, "\(name) piece \(piece): \(acc.logSumExp) vs \(whole.logSumExp)")
            }
        }
    }
}

@Test(arguments: GEMMBackend.allCases)
func outputRangeProductsEqualTheFullProduct(backend: GEMMBackend) throws {
    // Several scratch blocks of the own path: > 8 row tiles and > 16 output panels.
    let rows = 70, inputs = 300, outputs = 1100
    let w = randomValues(outputs * inputs, seed: 31), b = randomValues(outputs, seed: 32)
    let x = randomValues(rows * inputs, seed: 33)
    for bias in [nil, b] {
        let layer = try PackedLinear(weight: w, outputs: outputs, inputs: inputs, bias: bias, backend: backend)
        var full = [Float](repeating: 0, count: rows * outputs)
        layer.apply(x, rows: rows, into: &full)
        var bySlices = [Float](repeating: 0, count: rows * outputs)
        layer.applyBySlices(x, rows: rows, into: &bySlices)
        #expect(bySlices == full, "\(backend) bias=\(bias != nil): applyBySlices")
        let packed = x.withUnsafeBufferPointer { layer.packRows($0.baseAddress!, rows: rows) }
        for (rowRange, outputRange) in [(0..<70, 0..<1100), (8..<16, 32..<96), (3..<69, 5..<1099), (69..<70, 1099..<1100),
                                         (10..<60, 500..<1050)] {
            let stride = outputRange.count + 3
            var y = [Float](repeating: .nan, count: rowRange.count * stride)
            try y.withUnsafeMutableBufferPointer { out in
                try layer.apply(packed, rows: rowRange, outputs: outputRange, into: out.baseAddress!, rowStride: stride)
            }
            // The own kernel gives bit-identical values; OpenBLAS may pick other edge kernels for a sub-range.
            let tolerance: Float = backend == .own ? 0 : 1e-5
            var same = true
            for r in rowRange {
                for o in outputRange {
                    let value = y[(r - rowRange.lowerBound) * stride + o - outputRange.lowerBound]
                    let expected = full[r * outputs + o]
                    if !(abs(value - expected) <= tolerance * max(1, abs(expected))) { same = false }
                }
                // The padding after each row is left alone.
                for j in outputRange.count..<stride where !y[(r - rowRange.lowerBound) * stride + j].isNaN { same = false }
            }
            #expect(same, "\(backend) bias=\(bias != nil) rows \(rowRange) outputs \(outputRange)")
        }
        #expect(throws: TensorError.self) {
            var y = [Float](repeating: 0, count: 10)
            try y.withUnsafeMutableBufferPointer {
                try layer.apply(packed, rows: 0..<1, outputs: 0..<1101, into: $0.baseAddress!, rowStride: 1101)
            }
        }
    }
}

@Test(arguments: GEMMBackend.allCases)
func fusedRowScoresEqualMaterialisedRows(backend: GEMMBackend) throws {
    // A layer wide enough for several tasks and slices, with a partial last panel (outputs % 32 ≠ 0).
    let rows = 70, inputs = 96, outputs = 5000
    var w = randomValues(outputs * inputs, seed: 41, scale: 0.5)
    let x = randomValues(rows * inputs, seed: 42)
    // Outputs 100 and 4000 (different slices and tasks) get the same, large weight row: exact ties at the top.
    for i in 0..<inputs { w[100 * inputs + i] *= 8; w[4000 * inputs + i] = w[100 * inputs + i] }
    let layer = try PackedLinear(weight: w, outputs: outputs, inputs: inputs, backend: backend)
    var logits = [Float](repeating: 0, count: rows * outputs)
    layer.apply(x, rows: rows, into: &logits)
    var targets = (0..<rows).map { ($0 * 977) % outputs }
    targets[5] = -1
    targets[6] = outputs - 1
    let scores = try x.withUnsafeBufferPointer { try layer.scoreRows($0.baseAddress!, rows: rows, targets: targets) }
    var worst = 0.0, ties = 0
    for r in 0..<rows {
        let row = Array(logits[r * outputs..<(r + 1) * outputs])
        let expected = referenceLogSumExp(row)
        worst = max(worst, abs(scores[r].logSumExp - expected) / max(1, abs(expected)))
        if backend == .own {
            #expect(scores[r].argmax == referenceArgmax(row), "row \(r)")
            #expect(scores[r].maximum == row[referenceArgmax(row)], "row \(r)")
            if row[100] == row.max()! { ties += 1; #expect(scores[r].argmax == 100, "row \(r)") }
        }
        let tolerance: Float = backend == .own ? 0 : 1e-5
        if targets[r] >= 0 {
            #expect(abs(scores[r].targetLogit - row[targets[r]]) <= tolerance * max(1, abs(row[targets[r]])), "row \(r)")
        } else {
            #expect(scores[r].targetLogit.isNaN && scores[r].nll.isNaN)
        }
    }
    print("fused row scores (\(backend)): worst log-sum-exp relative difference \(worst), \(ties) tied rows")
    #expect(worst <= (backend == .own ? 2e-7 : 1e-5))
    if backend == .own { #expect(ties > 10) }
    #expect(throws: TensorError.self) {
        _ = try x.withUnsafeBufferPointer { try layer.scoreRows($0.baseAddress!, rows: rows, targets: [outputs] + targets.dropFirst()) }
    }
    #expect(throws: TensorError.self) {
        _ = try x.withUnsafeBufferPointer { try layer.scoreRows($0.baseAddress!, rows: rows, targets: [1]) }
    }
}
