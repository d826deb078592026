import Testing
import LNATensor

// Depths beyond one depth block (4096 inputs) accumulate C tiles across blocks; full and edge tiles, with bias.
@Test(arguments: [(9, 40, 4097), (16, 64, 4200), (3, 33, 8195)])
func linearAccumulatesAcrossDepthBlocks(shape: (Int, Int, Int)) throws {
    let (rows, outputs, inputs) = shape
    let weight = randomValues(outputs * inputs, seed: 21, scale: 0.1)
    let x = randomValues(rows * inputs, seed: 22)
    let bias = randomValues(outputs, seed: 23)
    let expected = referenceLinear(x: x, rows: rows, weight: weight, outputs: outputs, inputs: inputs, bias: bias)
    let layer = try PackedLinear(weight: weight, outputs: outputs, inputs: inputs, bias: bias, backend: .own)
    var y = [Float](repeating: .nan, count: rows * outputs)
    layer.apply(x, rows: rows, into: &y)
    let difference = maxRelativeDifference(y, expected)
    print("linear \(rows)×\(inputs)·\(outputs) across depth blocks: max diff \(difference)")
    #expect(difference < 2e-5 * Float(inputs / 64))
}
