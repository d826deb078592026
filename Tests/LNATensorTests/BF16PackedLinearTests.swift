import LNATensor
import Testing

/// The bf16 panels widened in the micro-kernel: against a scalar float64 reference on odd shapes, and bit for bit
/// against the float32 `PackedLinear` on bf16-representable weights (same FMA order).
struct BF16PackedLinearTests {
    /// Values rounded to bfloat16 (what a bf16 checkpoint holds).
    func bf16Values(_ count: Int, seed: UInt64) -> [Float] {
        randomValues(count, seed: seed).map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) }
    }

    func reference(_ x: [Float], _ w: [Float], _ bias: [Float]?, rows: Int, outputs: Int, inputs: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outputs)
        for r in 0..<rows {
            for o in 0..<outputs {
                var sum = Double(bias?[o] ?? 0)
                for i in 0..<inputs { sum += Double(x[r * inputs + i]) * Double(w[o * inputs + i]) }
                y[r * outputs + o] = Float(sum)
            }
        }
        return y
    }

    // Outputs not a multiple of 32, inputs over one 256-deep block, rows not a multiple of 8 (and over the
    // 128-row block), and the one-row vector path.
    @Test(arguments: [(45, 300, 13), (77, 257, 1), (33, 64, 130), (96, 40, 8), (5, 3, 3)])
    func matchesScalarReferenceAndFloat32PathBitForBit(shape: (outputs: Int, inputs: Int, rows: Int)) throws {
        let (outputs, inputs, rows) = shape
        let w = bf16Values(outputs * inputs, seed: UInt64(outputs * 1000 + inputs))
        let x = randomValues(rows * inputs, seed: UInt64(rows + 7))
        for bias in [nil, randomValues(outputs, seed: 3)] {
            let bf16 = try BF16PackedLinear(weight: w, outputs: outputs, inputs: inputs, bias: bias)
            let f32 = try PackedLinear(weight: w, outputs: outputs, inputs: inputs, bias: bias, backend: .own)
            var y = [Float](repeating: .nan, count: rows * outputs), z = y
            bf16.apply(x, rows: rows, into: &y)
            f32.apply(x, rows: rows, into: &z)
            #expect(maxRelativeDifference(y, reference(x, w, bias, rows: rows, outputs: outputs, inputs: inputs)) < 1e-5)
            #expect(y.map(\.bitPattern) == z.map(\.bitPattern))
        }
    }

    @Test func severalLayersInOnePassEqualTheFloat32Path() throws {
        let inputs = 300, rows = 21, widths = [70, 32, 17]
        let weights = widths.enumerated().map { bf16Values($0.element * inputs, seed: UInt64($0.offset + 40)) }
        let x = randomValues(rows * inputs, seed: 9)
        let bf16 = try zip(weights, widths).map { try BF16PackedLinear(weight: $0, outputs: $1, inputs: inputs) }
        let f32 = try zip(weights, widths).map { try PackedLinear(weight: $0, outputs: $1, inputs: inputs, backend: .own) }
        let a = widths.map { UnsafeMutablePointer<Float>.allocate(capacity: rows * $0) }
        let b = widths.map { UnsafeMutablePointer<Float>.allocate(capacity: rows * $0) }
        defer { (a + b).forEach { $0.deallocate() } }
        try BF16PackedLinear.apply(bf16, to: x, rows: rows, into: a)
        try PackedLinear.apply(f32, to: x, rows: rows, into: b)
        func bits(_ p: UnsafeMutablePointer<Float>, _ n: Int) -> [UInt32] { (0..<n).map { p[$0].bitPattern } }
        for i in 0..<3 { #expect(bits(a[i], rows * widths[i]) == bits(b[i], rows * widths[i])) }
    }
    @Test func roundsFloat32WeightsToNearestBF16AndHalvesTheMemory() throws {
        // 1 + 2⁻⁹ is exactly halfway between two bf16 values: ties to even gives 1; 1 + 3·2⁻⁹ rounds up.
        let layer = try BF16PackedLinear(weight: [1 + 0.001953125, 1 + 3 * 0.001953125], outputs: 2, inputs: 1)
        var y: [Float] = [0, 0]
        layer.apply([1], rows: 1, into: &y)
        #expect(y == [1, 1 + 4 * 0.001953125])
        let f32 = try PackedLinear(weight: [Float](repeating: 0, count: 64 * 100), outputs: 64, inputs: 100, backend: .own)
        let bf16 = try BF16PackedLinear(weight: [Float](repeating: 0, count: 64 * 100), outputs: 64, inputs: 100)
        #expect(bf16.byteCount * 2 == f32.byteCount)
    }

    @Test func packingFromBF16BytesEqualsPackingFromFloats() throws {
        let outputs = 45, inputs = 19, rows = 10
        let w = bf16Values(outputs * inputs, seed: 77)
        let bits = w.map { UInt16($0.bitPattern >> 16).littleEndian }
        let bias = randomValues(outputs, seed: 8)
        let fromBytes = try bits.withUnsafeBytes { try BF16PackedLinear(bf16Bytes: $0, outputs: outputs, inputs: inputs, bias: bias) }
        let fromFloats = try BF16PackedLinear(weight: w, outputs: outputs, inputs: inputs, bias: bias)
        let x = randomValues(rows * inputs, seed: 5)
        var a = [Float](repeating: .nan, count: rows * outputs), b = a
        fromBytes.apply(x, rows: rows, into: &a)
        fromFloats.apply(x, rows: rows, into: &b)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        #expect(throws: TensorError.self) {
            try bits.withUnsafeBytes { try BF16PackedLinear(bf16Bytes: $0, outputs: outputs, inputs: inputs + 1) }
        }
    }

    @Test func rejectsBadShapes() {
        #expect(throws: TensorError.self) { try BF16PackedLinear(weight: [1, 2, 3], outputs: 2, inputs: 2) }
        #expect(throws: TensorError.self) { try BF16PackedLinear(weight: [], outputs: 0, inputs: 2) }
        #expect(throws: TensorError.self) { try BF16PackedLinear(weight: [1, 2], outputs: 2, inputs: 1, bias: [1]) }
    }
}
