import Testing
import LNATensor

// `PackedLinear(outputs:inputs:blockRows:rows:)` (the LM head packed block by block) must lay out exactly what
// the whole-array initializer lays out, whatever the block size and however the outputs end.

@Test(arguments: [(1, 1), (33, 17), (100, 65), (257, 40), (64, 640)])
func rowBlocksPackLikeTheWholeWeight(shape: (Int, Int)) throws {
    let (outputs, inputs) = shape
    let weight = randomValues(outputs * inputs, seed: 11)
    let x = randomValues(5 * inputs, seed: 12)
    for backend in GEMMBackend.allCases {
        let whole = try PackedLinear(weight: weight, outputs: outputs, inputs: inputs, backend: backend)
        var expected = [Float](repeating: .nan, count: 5 * outputs)
        whole.apply(x, rows: 5, into: &expected)
        for blockRows in [1, 32, 40, 64, 4096] {
            var requested: [Range<Int>] = []
            let layer = try PackedLinear(outputs: outputs, inputs: inputs, backend: backend, blockRows: blockRows) { r in
                requested.append(r)
                return Array(weight[(r.lowerBound * inputs)..<(r.upperBound * inputs)])
            }
            var y = [Float](repeating: .nan, count: 5 * outputs)
            layer.apply(x, rows: 5, into: &y)
            #expect(y == expected, "\(outputs)×\(inputs) \(backend) blocks of \(blockRows)")
            // Blocks tile the outputs in order, start on 32-output panels, and are no larger than asked (≥ 32).
            #expect(requested.first?.lowerBound == 0 && requested.last?.upperBound == outputs)
            #expect(zip(requested, requested.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(requested.allSatisfy { $0.lowerBound % 32 == 0 && $0.count <= max(32, blockRows) })
            var row = [Float](repeating: 0, count: inputs)
            layer.copyWeightRow(outputs - 1, into: &row)
            #expect(row == Array(weight[((outputs - 1) * inputs)...]))
        }
    }
}

@Test func rowBlocksOfTheWrongSizeAreRejected() {
    #expect(throws: TensorError.self) {
        try PackedLinear(outputs: 40, inputs: 3, blockRows: 32) { r in [Float](repeating: 1, count: r.count * 3 - 1) }
    }
    #expect(throws: TensorError.self) { try PackedLinear(outputs: 0, inputs: 3) { _ in [] } }
}
