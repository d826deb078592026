import LNATensor
import Testing

/// The bf16 arithmetic kernels (`vdpbf16ps` GEMM and GEMV) against float64 references within the documented error
/// bounds: the exact sums of the unrounded operands (`errorBound(inputs:)`) and the sums of the bf16-rounded
/// operands (`errorBound(inputs:roundedOperands:)`, the float32 accumulation alone — it fails if activations or
/// weights were rounded any other way than to nearest, ties to even).
struct BF16ArithmeticLinearTests {
    /// The bf16 kernels run on this machine (AVX512_BF16 with the avx512 set); elsewhere the layer must refuse.
    var available: Bool { (try? ArithmeticPrecision.bf16.checkAvailable()) != nil }

    /// Largest error of `y` against `sum`, in units of the bound (≤ 1 passes).
    func worstRatio(_ y: [Float], _ reference: (sum: [Double], magnitude: [Double]), bound: Double) -> Double {
        var worst = 0.0
        for (value, (sum, magnitude)) in zip(y, zip(reference.sum, reference.magnitude)) {
            if value.isNaN { return .infinity }
            worst = max(worst, abs(Double(value) - sum) / max(bound * magnitude, .leastNonzeroMagnitude))
        }
        return worst
    }

    // Outputs not a multiple of 32, odd inputs (a half-empty last pair), rows not a multiple of 8 and over the
    // 128-row block, the one-row GEMV, and depth over one 4096-input block (an odd 3-input second block).
    @Test(arguments: [(45, 301, 13), (77, 257, 1), (33, 64, 130), (96, 40, 8), (5, 3, 3), (33, 4099, 9), (40, 4099, 1)])
    func withinTheDocumentedBoundOfFloat64References(shape: (outputs: Int, inputs: Int, rows: Int)) throws {
        let (outputs, inputs, rows) = shape
        let w = randomValues(outputs * inputs, seed: UInt64(outputs * 1000 + inputs))
        let x = randomValues(rows * inputs, seed: UInt64(rows + 11), scale: 3)
        guard available else {
            #expect(throws: TensorError.self) { try BF16ArithmeticLinear(weight: w, outputs: outputs, inputs: inputs) }
            return
        }
        for bias in [nil, randomValues(outputs, seed: 5)] {
            let layer = try BF16ArithmeticLinear(weight: w, outputs: outputs, inputs: inputs, bias: bias)
            var y = [Float](repeating: .nan, count: rows * outputs)
            layer.apply(x, rows: rows, into: &y)
            let exact = referenceLinearSums(x: x, rows: rows, weight: w, outputs: outputs, inputs: inputs, bias: bias)
            let rounded = referenceLinearSums(x: x, rows: rows, weight: w, outputs: outputs, inputs: inputs, bias: bias,
                                              roundedToBF16: true)
            let againstExact = worstRatio(y, exact, bound: BF16ArithmeticLinear.errorBound(inputs: inputs))
            let againstRounded = worstRatio(y, rounded, bound: BF16ArithmeticLinear.errorBound(inputs: inputs, roundedOperands: true))
            print("bf16 arithmetic \(outputs)×\(inputs), \(rows) rows: error / bound \(againstExact) (exact operands), \(againstRounded) (bf16 operands)")
            #expect(againstExact <= 1)
            #expect(againstRounded <= 1)
            // Not float32: the activations were rounded (a float32 product would sit far inside the bound).
            #expect(y != referenceLinear(x: x, rows: rows, weight: w, outputs: outputs, inputs: inputs, bias: bias))
        }
    }

    @Test func sharedInputLayersMatchSeparateCallsBitForBit() throws {
        guard available else { return }
        let inputs = 96, rows = 21, widths = [64, 40, 40]
        let x = randomValues(rows * inputs, seed: 9)
        let layers = try widths.enumerated().map { index, width in
            try BF16ArithmeticLinear(weight: randomValues(width * inputs, seed: UInt64(index + 20)), outputs: width, inputs: inputs)
        }
        let together = widths.map { UnsafeMutablePointer<Float>.allocate(capacity: rows * $0) }
        defer { together.forEach { $0.deallocate() } }
        try BF16ArithmeticLinear.apply(layers, to: x, rows: rows, into: together)
        for i in layers.indices {
            var separate = [Float](repeating: .nan, count: rows * widths[i])
            layers[i].apply(x, rows: rows, into: &separate)
            #expect((0..<separate.count).map { together[i][$0].bitPattern } == separate.map(\.bitPattern))
        }
    }

    /// Straight from a checkpoint's little-endian bf16 bytes: the same panels as from the float32 values.
    @Test func bf16BytesPackLikeTheirFloat32Values() throws {
        guard available else { return }
        let outputs = 35, inputs = 19, rows = 10
        let bits: [UInt16] = randomValues(outputs * inputs, seed: 31).map { UInt16($0.bitPattern >> 16) }
        let values = bits.map { Float(bitPattern: UInt32($0) << 16) }
        let x = randomValues(rows * inputs, seed: 32)
        let fromFloats = try BF16ArithmeticLinear(weight: values, outputs: outputs, inputs: inputs)
        let fromBytes = try bits.map(\.littleEndian).withUnsafeBytes {
            try BF16ArithmeticLinear(bf16Bytes: $0, outputs: outputs, inputs: inputs)
        }
        var a = [Float](repeating: .nan, count: rows * outputs), b = a
        fromFloats.apply(x, rows: rows, into: &a)
        fromBytes.apply(x, rows: rows, into: &b)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        #expect(fromBytes.byteCount == 2 * 10 * 32 * 4)   // 2 panels × 10 pairs × 32 words of 4 bytes
        #expect(throws: TensorError.self) { try BF16ArithmeticLinear(weight: values, outputs: outputs, inputs: inputs + 1) }
    }

    /// The bound of the documentation: 2⁻⁸ + 2⁻¹⁸ for the operands plus the float32 summation's γ.
    @Test func errorBoundFormula() {
        #expect(abs(BF16ArithmeticLinear.errorBound(inputs: 2046) - (0x1p-8 + 0x1p-18 + 2048 * 0x1p-24 * (1 + 0x1p-8 + 0x1p-18) / (1 - 2048 * 0x1p-24))) < 1e-15)
        #expect(BF16ArithmeticLinear.errorBound(inputs: 0, roundedOperands: true) > 0)
    }
}
