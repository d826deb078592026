import Foundation
import LNAHooks

/// The naive float32 oracle: one token at a time, plain loops, a KV cache of plain arrays. It shares
/// nothing with the fast path but the weights, so tests can check the fast forward against it.
///
/// ```swift
/// let reference = try ReferenceModel(loading: url)
/// let logits = try reference.logits(tokens: [2, 651, 6037])   // [T][V]
/// ```
public final class ReferenceModel {
    public let config: ModelConfig
    let weights: RawWeights

    init(config: ModelConfig, weights: RawWeights) {
        self.config = config
        self.weights = weights
    }

    /// Loads the weights of a model file or directory (no packing, no tokenizer).
    public convenience init(loading url: URL) throws {
        let opened = try ModelFile.open(url)
        self.init(config: opened.config, weights: try RawWeights.load(opened.loader))
    }

    /// Logits of every position, computed token by token. Hooks at `mlp.hook_act` (and the other MLP and
    /// residual sites) fire once per token with one row.
    public func logits(tokens: [Int], hooks: HookSet? = nil) throws -> [[Float]] {
        let c = config
        var keys = [[[Float]]](repeating: [], count: c.layerCount)    // [layer][position][kvWidth]
        var values = [[[Float]]](repeating: [], count: c.layerCount)
        var result: [[Float]] = []
        for (position, token) in tokens.enumerated() {
            guard (0..<c.vocabularySize).contains(token) else {
                throw ModelError.tokenOutOfRange(token, vocabularySize: c.vocabularySize)
            }
            let context = HookContext(phase: .prompt, positions: [position], sequenceIndices: [0])
            var x = Array(weights.embedding[token * c.hiddenSize..<(token + 1) * c.hiddenSize])
            if let scale = c.embeddingScale { x = x.map { $0 * scale } }
            for l in 0..<c.layerCount {
                let w = weights.layers[l]
                var h = Naive.rmsNorm(x, w.attentionNorm, c.rmsNormEpsilon)
                var q = Naive.matvec(w.query, h, bias: w.queryBias)
                var k = Naive.matvec(w.key, h, bias: w.keyBias)
                let v = Naive.matvec(w.value, h, bias: w.valueBias)
                if let qn = w.queryNorm, let kn = w.keyNorm {
                    q = Naive.headwiseNorm(q, qn, c.headDim, c.rmsNormEpsilon)
                    k = Naive.headwiseNorm(k, kn, c.headDim, c.rmsNormEpsilon)
                }
                let (inv, attentionFactor) = c.rope(layer: l)
                q = Naive.rope(q, c.headDim, position, inv, attentionFactor)
                k = Naive.rope(k, c.headDim, position, inv, attentionFactor)
                keys[l].append(k)
                values[l].append(v)
                let z = Naive.attention(q: q, keys: keys[l], values: values[l], config: c, layer: l, position: position)
                var a = Naive.matvec(w.attentionOutput, z, bias: nil)
                if let n = w.postAttentionNorm { a = Naive.rmsNorm(a, n, c.rmsNormEpsilon) }
                for i in 0..<c.hiddenSize { x[i] += a[i] }
                h = Naive.rmsNorm(x, w.mlpNorm, c.rmsNormEpsilon)
                var act = Naive.matvec(w.gate, h, bias: nil).map { Naive.activation(c.activation, $0) }
                try fire(hooks, .mlpAct, l, &act, context)
                let up = Naive.matvec(w.up, h, bias: nil)
                let product = zip(act, up).map { $0 * $1 }
                var m = Naive.matvec(w.down, product, bias: nil)
                if let n = w.postMLPNorm { m = Naive.rmsNorm(m, n, c.rmsNormEpsilon) }
                for i in 0..<c.hiddenSize { x[i] += m[i] }
                try fire(hooks, .residPost, l, &x, context)
            }
            let final = Naive.rmsNorm(x, weights.finalNorm, c.rmsNormEpsilon)
            result.append(Naive.matvec(weights.output ?? weights.embedding, final, bias: nil))
        }
        return result
    }

    private func fire(_ hooks: HookSet?, _ site: HookSite, _ layer: Int, _ row: inout [Float],
                      _ context: HookContext) throws {
        guard let hooks, hooks.isActive(site, layer: layer) else { return }
        let count = row.count
        try row.withUnsafeMutableBufferPointer { buffer in
            try hooks.fire(HookTensor(point: HookPoint(site, layer: layer), values: buffer.baseAddress!,
                                      rows: 1, columns: count, context: context))
        }
    }
}

/// Plain-loop kernels of the reference forward. Slow on purpose: obviously right.
enum Naive {
    static func matvec(_ w: [Float], _ x: [Float], bias: [Float]?) -> [Float] {
        let n = x.count, rows = w.count / n
        var y = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            var sum: Float = 0
            for i in 0..<n { sum += w[r * n + i] * x[i] }
            y[r] = sum + (bias?[r] ?? 0)
        }
        return y
    }

    static func rmsNorm(_ x: [Float], _ gain: [Float], _ eps: Float) -> [Float] {
        var sum: Double = 0
        for v in x { sum += Double(v) * Double(v) }
        let scale = Float(1 / (sum / Double(x.count) + Double(eps)).squareRoot())
        return (0..<x.count).map { x[$0] * scale * gain[$0] }
    }

    static func headwiseNorm(_ x: [Float], _ gain: [Float], _ headDim: Int, _ eps: Float) -> [Float] {
        stride(from: 0, to: x.count, by: headDim).flatMap { rmsNorm(Array(x[$0..<$0 + headDim]), gain, eps) }
    }

    /// Rotate-half (NEOX) RoPE on the leading `2 · inverseFrequencies.count` dimensions of every head
    /// (partial rotary leaves the rest), cos and sin multiplied by `attentionFactor`.
    static func rope(_ x: [Float], _ headDim: Int, _ position: Int, _ inverseFrequencies: [Double],
                     _ attentionFactor: Double) -> [Float] {
        var y = x
        let half = inverseFrequencies.count
        for start in stride(from: 0, to: x.count, by: headDim) {
            for i in 0..<half {
                let angle = Double(position) * inverseFrequencies[i]
                let (c, s) = (Float(cos(angle) * attentionFactor), Float(sin(angle) * attentionFactor))
                let a = x[start + i], b = x[start + i + half]
                y[start + i] = a * c - b * s
                y[start + i + half] = a * s + b * c
            }
        }
        return y
    }

    static func attention(q: [Float], keys: [[Float]], values: [[Float]], config c: ModelConfig, layer: Int,
                          position: Int) -> [Float] {
        var z = [Float](repeating: 0, count: c.queryWidth)
        let group = c.headCount / c.kvHeadCount
        let first = c.window(layer: layer).map { max(0, position - $0 + 1) } ?? 0
        for h in 0..<c.headCount {
            let kvh = h / group
            var scores: [Double] = []
            for p in first...position {
                var dot: Float = 0
                for d in 0..<c.headDim { dot += q[h * c.headDim + d] * keys[p][kvh * c.headDim + d] }
                scores.append(Double(dot * c.attentionScale))
            }
            let top = scores.max()!
            let exps = scores.map { Foundation.exp($0 - top) }
            let total = exps.reduce(0, +)
            for (i, p) in (first...position).enumerated() {
                let weight = Float(exps[i] / total)
                for d in 0..<c.headDim { z[h * c.headDim + d] += weight * values[p][kvh * c.headDim + d] }
            }
        }
        return z
    }

    static func silu(_ x: Float) -> Float { x / (1 + Foundation.exp(-x)) }

    static func activation(_ kind: ModelConfig.Activation, _ x: Float) -> Float {
        switch kind {
        case .silu: return silu(x)
        case .geluTanh: return geluTanh(x)
        case .gelu: return Float(0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot())))
        case .relu: return max(x, 0)
        }
    }

    static func geluTanh(_ x: Float) -> Float {
        0.5 * x * (1 + Foundation.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
    }
}
