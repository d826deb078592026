/// Layer normalisation of each row: `y = (x − mean(x)) / sqrt(var(x) + epsilon) · weight (+ bias)`.
///
/// `x` is row-major `[rows, dimension]`, normalised in place. `weight` (and `bias`, when given) hold
/// `weightRows × dimension` values: row r uses the block `r % weightRows`, so a `[heads, headDim]` gain normalises
/// each head of a `[tokens, heads, headDim]` buffer with its own gain (Cohere's q/k norm); `weightRows` 1 is the
/// usual one gain for all rows. Mean and variance are accumulated in Double (two passes), so the result is
/// float32-exact to within one rounding of the final products.
///
/// ```swift
/// layerNormInPlace(hidden, rows: tokens, dimension: 512, weight: gain, bias: nil, epsilon: 1e-5)
/// layerNormInPlace(q, rows: tokens * heads, dimension: 64, weight: qNorm, weightRows: heads, bias: nil, epsilon: 1e-5)
/// ```
public func layerNormInPlace(_ x: UnsafeMutablePointer<Float>, rows: Int, dimension: Int, weight: UnsafePointer<Float>,
                             weightRows: Int = 1, bias: UnsafePointer<Float>?, epsilon: Float) {
    let period = max(1, weightRows)
    forEachChunk(count: rows, parallelAbove: max(1, (1 << 16) / max(1, dimension))) { range in
        for r in range {
            let row = x + r * dimension, block = (r % period) * dimension
            var sum = 0.0
            for i in 0..<dimension { sum += Double(row[i]) }
            let mean = Float(sum / Double(dimension))
            var squares = 0.0
            for i in 0..<dimension { let centred = Double(row[i] - mean); squares += centred * centred }
            let inverse = Float(1 / (squares / Double(dimension) + Double(epsilon)).squareRoot())
            if let bias {
                for i in 0..<dimension { row[i] = (row[i] - mean) * inverse * weight[block + i] + bias[block + i] }
            } else {
                for i in 0..<dimension { row[i] = (row[i] - mean) * inverse * weight[block + i] }
            }
        }
    }
}
