import Testing
import Foundation
import LNATensor

@Test(arguments: [1, 3, 16, 17, 255, 640, 2048])
func rmsNormMatchesReference(dimension: Int) {
    let rows = 5
    let x = randomValues(rows * dimension, seed: 11, scale: 3)
    let weight = randomValues(dimension, seed: 12, scale: 2)
    for gain in [weight, nil] {
        let expected = referenceRMSNorm(x, rows: rows, dimension: dimension, weight: gain, epsilon: 1e-6)
        var y = [Float](repeating: .nan, count: x.count)
        if let gain {
            rmsNorm(x, rows: rows, dimension: dimension, weight: gain, epsilon: 1e-6, into: &y)
        } else {
            rmsNorm(x, rows: rows, dimension: dimension, weight: nil, epsilon: 1e-6, into: &y)
        }
        var inPlace = x
        rmsNormInPlace(&inPlace, rows: rows, dimension: dimension, weight: gain, epsilon: 1e-6)
        let difference = maxRelativeDifference(y, expected)
        print("rmsNorm dim \(dimension) gain=\(gain != nil): max diff \(difference)")
        #expect(difference < 1e-6)
        #expect(inPlace == y)
    }
}

@Test func activationsMatchReference() {
    var x = randomValues(1000, seed: 13, scale: 12)
    x += [0, -0.0, 1e-7, -1e-7, 80, -80, 100, -100, 5, -5, 0.5]
    var s = x, g = x
    silu(&s, count: s.count)
    geluTanh(&g, count: g.count)
    let siluDifference = maxRelativeDifference(s, referenceSilu(x))
    let geluDifference = maxRelativeDifference(g, referenceGeluTanh(x))
    print("silu max diff \(siluDifference), geluTanh max diff \(geluDifference)")
    #expect(siluDifference < 1e-6)
    #expect(geluDifference < 1e-6)
}

@Test func softcapMatchesTanh() {
    let x = randomValues(77, seed: 14, scale: 100)
    var y = x
    softcap(&y, count: y.count, cap: 30)
    let expected = x.map { 30 * Float(Foundation.tanh(Double($0) / 30)) }
    #expect(maxRelativeDifference(y, expected) < 1e-5)
}

@Test(arguments: [1, 7, 16, 33, 1000])
func softmaxMatchesReference(dimension: Int) {
    var x = randomValues(3 * dimension, seed: 15, scale: 30)
    x[0] = -.infinity
    let expected = referenceSoftmax(x, rows: 3, dimension: dimension)
    softmax(&x, rows: 3, dimension: dimension)
    let difference = maxRelativeDifference(x, expected)
    print("softmax dim \(dimension): max diff \(difference)")
    #expect(difference < 1e-6)
    var masked: [Float] = [-.infinity, -.infinity]
    softmax(&masked, rows: 1, dimension: 2)
    #expect(masked == [0, 0])
}

@Test func elementwiseKernels() {
    let a = randomValues(37, seed: 16), b = randomValues(37, seed: 17)
    var product = a, sum = a, scaled = a
    multiplyInPlace(&product, by: b, count: 37)
    addInPlace(&sum, b, count: 37)
    scaleInPlace(&scaled, by: 3, count: 37)
    #expect(product == zip(a, b).map { $0 * $1 })
    #expect(sum == zip(a, b).map { $0 + $1 })
    #expect(scaled == a.map { $0 * 3 })
}

@Test func scoringInDouble() {
    let logits: [Float] = [1, 3, -2, 3, 0.5]
    let expected = Foundation.log(logits.map { Foundation.exp(Double($0)) }.reduce(0, +))
    // Float exponentials (≤ 2 ulp) summed in Double: ~1e-7 (ScoringKernelTests checks the edges).
    #expect(abs(logSumExp(logits, count: 5) - expected) < 2e-7)
    var logProbabilities = [Double](repeating: 0, count: 5)
    logSoftmax(logits, count: 5, into: &logProbabilities)
    #expect(abs(logProbabilities.map { Foundation.exp($0) }.reduce(0, +) - 1) < 5e-7)
    #expect(argmax(logits, count: 5) == 1)
    let big: [Float] = [1000, 1000]
    #expect(abs(logSumExp(big, count: 2) - (1000 + Foundation.log(2.0))) < 1e-9)
}

@Test func activationStatisticsMatchReference() {
    for (rows, columns) in [(1, 1), (3, 17), (64, 2048), (7, 100)] {
        let values = randomValues(rows * columns, seed: 18)
        var counts = [Int64](repeating: 5, count: columns)
        var sums = [Double](repeating: 1, count: columns)
        accumulatePositiveCounts(values: values, rows: rows, columns: columns, into: &counts)
        accumulateColumnSums(values: values, rows: rows, columns: columns, into: &sums)
        #expect(counts == referencePositiveCounts(values, rows: rows, columns: columns).map { $0 + 5 })
        let expectedSums = referenceColumnSums(values, rows: rows, columns: columns).map { $0 + 1 }
        let difference = zip(sums, expectedSums).map { abs($0 - $1) }.max() ?? 0
        print("column sums \(rows)×\(columns): max diff \(difference)")
        #expect(difference < 1e-9)
    }
}

@Test func parallelForVisitsEveryIndexOnceAndNests() {
    var hits = [Int](repeating: 0, count: 1000)
    hits.withUnsafeMutableBufferPointer { buffer in
        let base = buffer.baseAddress!
        parallelFor(count: 10) { outer in
            parallelFor(count: 100) { inner in base[outer * 100 + inner] += 1 }
        }
    }
    #expect(hits.allSatisfy { $0 == 1 })
}
