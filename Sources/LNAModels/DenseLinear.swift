import COpenBLAS

/// A linear layer `y = x Wᵀ (+ b)` over row-major float32 weights `[out, in]`, evaluated with one BLAS GEMM
/// for all rows of a batch.
struct DenseLinear: @unchecked Sendable {
    let weights: [Float]
    let bias: [Float]?
    let outputs: Int
    let inputs: Int

    init(weights: [Float], outputs: Int, inputs: Int, bias: [Float]? = nil) {
        self.weights = weights
        self.bias = bias
        self.outputs = outputs
        self.inputs = inputs
    }

    /// y[r, o] = Σ_i x[r, i]·W[o, i] + b[o] for r < rows.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs),
                        1, x, Int32(inputs), w.baseAddress, Int32(inputs), 0, y, Int32(outputs))
        }
        if let bias {
            for r in 0..<rows {
                let row = y + r * outputs
                for o in 0..<outputs { row[o] += bias[o] }
            }
        }
    }
}
