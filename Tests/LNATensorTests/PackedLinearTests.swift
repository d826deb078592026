import Testing
import LNATensor

@Test(arguments: [
    (1, 1, 1), (1, 33, 17), (3, 17, 5), (17, 33, 640), (8, 32, 256), (9, 65, 257), (33, 100, 513),
    (64, 2048, 640), (1, 2048, 640), (2, 640, 2048), (130, 96, 300),
])
func linearMatchesReference(shape: (Int, Int, Int)) throws {
    let (rows, outputs, inputs) = shape
    let weight = randomValues(outputs * inputs, seed: 1)
    let x = randomValues(rows * inputs, seed: 2)
    for withBias in [false, true] {
        let bias = withBias ? randomValues(outputs, seed: 3) : nil
        let expected = referenceLinear(x: x, rows: rows, weight: weight, outputs: outputs, inputs: inputs, bias: bias)
        for backend in GEMMBackend.allCases {
            let layer = try PackedLinear(weight: weight, outputs: outputs, inputs: inputs, bias: bias, backend: backend)
            var y = [Float](repeating: .nan, count: rows * outputs)
            layer.apply(x, rows: rows, into: &y)
            let difference = maxRelativeDifference(y, expected)
            print("linear \(rows)×\(inputs)·\(outputs) bias=\(withBias) \(backend): max diff \(difference)")
            #expect(difference < 2e-5 * Float(max(1, inputs / 64)))
        }
    }
}

@Test func linearRejectsWrongSizes() {
    #expect(throws: TensorError.self) { try PackedLinear(weight: [1, 2, 3], outputs: 2, inputs: 2) }
    #expect(throws: TensorError.self) { try PackedLinear(weight: [1, 2, 3, 4], outputs: 2, inputs: 2, bias: [1]) }
}

@Test func linearBenchmarkReportsThroughput() {
    // A smoke test of the benchmark API only: tests run concurrently, so these numbers are not measurements
    // (use scripts/dev/kernel-bench.sh for those).
    for backend in GEMMBackend.allCases {
        let throughput = GEMMBenchmark.run(m: 16, n: 64, k: 48, backend: backend, seconds: 0.01)
        print("GEMM smoke [16×48]·[48×64] \(backend): \(Int(throughput)) GFLOP/s")
        #expect(throughput > 0)
    }
}

@Test func attentionBenchmarkRuns() {
    #expect(GEMMBenchmark.runAttention(tokens: 20, queryHeads: 2, keyValueHeads: 1, headDimension: 16, seconds: 0.01) > 0)
}

@Test func linearAppliesToTensors() throws {
    let layer = try PackedLinear(weight: [1, 2, 3, 4, 5, 6], outputs: 2, inputs: 3, bias: [0.5, -0.5])
    let y = try layer(Tensor(shape: [2, 3], storage: [1, 0, 0, 0, 1, 1]))
    #expect(try y == Tensor(shape: [2, 2], storage: [1.5, 3.5, 5.5, 10.5]))
    #expect(throws: TensorError.self) { try layer(Tensor(shape: [2, 2], storage: [1, 2, 3, 4])) }
}

@Test func weightRowsCanBeReadBack() throws {
    let outputs = 70, inputs = 9
    let weight = randomValues(outputs * inputs, seed: 5)
    for backend in GEMMBackend.allCases {
        let layer = try PackedLinear(weight: weight, outputs: outputs, inputs: inputs, backend: backend)
        for o in [0, 31, 32, 69] {
            var row = [Float](repeating: .nan, count: inputs)
            layer.copyWeightRow(o, into: &row)
            #expect(row == Array(weight[(o * inputs)..<((o + 1) * inputs)]))
        }
    }
}

@Test func fusedLayersMatchSeparateCalls() throws {
    let inputs = 96, rows = 37
    let x = randomValues(rows * inputs, seed: 7)
    for backend in GEMMBackend.allCases {
        let widths = [320, 64, 64]
        let layers = try widths.enumerated().map { index, width in
            try PackedLinear(weight: randomValues(width * inputs, seed: 8 + UInt64(index)), outputs: width,
                             inputs: inputs, bias: randomValues(width, seed: 20 + UInt64(index)), backend: backend)
        }
        let outputs = widths.map { UnsafeMutableBufferPointer<Float>.allocate(capacity: rows * $0) }
        defer { outputs.forEach { $0.deallocate() } }
        try PackedLinear.apply(layers, to: x, rows: rows, into: outputs.map { $0.baseAddress! })
        for (index, layer) in layers.enumerated() {
            var separate = [Float](repeating: .nan, count: rows * widths[index])
            layer.apply(x, rows: rows, into: &separate)
            #expect(separate == Array(outputs[index]))
        }
    }
    let mismatched = [try PackedLinear(weight: [1, 2], outputs: 1, inputs: 2), try PackedLinear(weight: [1], outputs: 1, inputs: 1)]
    #expect(throws: TensorError.self) { try PackedLinear.apply(mismatched, to: x, rows: 1, into: []) }
}
