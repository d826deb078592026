import LNATensor

/// The weights of one norm of a recipe: the effective gain (the loader already added a stored offset) and, for
/// LayerNorms with a bias, the bias. `apply` normalises rows in place as the recipe's `BlockRecipe.Norm` says.
///
/// ```swift
/// let n = try NormWeights(loader, .attentionNorm, bias: .attentionNormBias, layer: 0)
/// n?.apply(&h, rows: tokens, dimension: d, norm: config.block.norm)
/// ```
struct NormWeights: Sendable {
    let gain: [Float]
    let bias: [Float]?

    /// The norm of `role` (nil when the recipe has none).
    init?(_ loader: WeightLoader, _ role: WeightRole, bias biasRole: WeightRole? = nil, layer: Int?) throws {
        let c = loader.config
        guard role.isPresent(in: c) else { return nil }
        gain = try loader.load(role, layer: layer)
        bias = try biasRole.flatMap { $0.isPresent(in: c) ? try loader.load($0, layer: layer) : nil }
    }

    init(gain: [Float], bias: [Float]?) {
        self.gain = gain
        self.bias = bias
    }

    /// Normalises each `dimension`-wide row of `x` in place; a gain longer than `dimension` holds one block per
    /// row group (a `[heads, headDim]` gain normalises head h with block h).
    func apply(_ x: inout [Float], dimension: Int, norm: BlockRecipe.Norm) {
        let rows = x.count / dimension, blocks = gain.count / dimension
        x.withUnsafeMutableBufferPointer { xs in
            gain.withUnsafeBufferPointer { g in
                switch norm.kind {
                case .rms where blocks == 1:
                    rmsNormInPlace(xs.baseAddress!, rows: rows, dimension: dimension, weight: g.baseAddress!,
                                   epsilon: norm.epsilon)
                case .rms:
                    for r in 0..<rows {
                        rmsNormInPlace(xs.baseAddress! + r * dimension, rows: 1, dimension: dimension,
                                       weight: g.baseAddress! + (r % blocks) * dimension, epsilon: norm.epsilon)
                    }
                case .layer:
                    if let bias {
                        bias.withUnsafeBufferPointer { b in
                            layerNormInPlace(xs.baseAddress!, rows: rows, dimension: dimension, weight: g.baseAddress!,
                                             weightRows: blocks, bias: b.baseAddress!, epsilon: norm.epsilon)
                        }
                    } else {
                        layerNormInPlace(xs.baseAddress!, rows: rows, dimension: dimension, weight: g.baseAddress!,
                                         weightRows: blocks, bias: nil, epsilon: norm.epsilon)
                    }
                }
            }
        }
    }

    /// The width q/k norms normalise over: head_dim, or the whole projection.
    static func queryKeyDimension(_ c: ModelConfig, heads: Int) -> Int {
        c.block.attention.queryKeyNorm == .wholeProjection ? heads * c.headDim : c.headDim
    }
}
