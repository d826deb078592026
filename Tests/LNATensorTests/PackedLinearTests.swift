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
    let shapes = [(64, 2048, 640), (512, 2048, 640), (512, 640, 2048), (1, 2048, 640), (512, 1536, 576)]
    for (m, n, k) in shapes {
        let own = GEMMBenchmark.run(m: m, n: n, k: k, backend: .own, seconds: 0.1)
        let blas = GEMMBenchmark.run(m: m, n: n, k: k, backend: .openBLAS, seconds: 0.1)
        print("GEMM [\(m)×\(k)]·[\(k)×\(n)]: own \(Int(own)) GFLOP/s, OpenBLAS \(Int(blas)) GFLOP/s")
        #expect(own > 0 && blas > 0)
    }
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
