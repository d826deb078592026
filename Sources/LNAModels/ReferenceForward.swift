import Foundation
import LNAHooks
import LNATensor

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

    /// Logits of every position, computed token by token, following the recipe (`ModelConfig.block`) with
    /// plain loops. Hooks at `mlp.hook_act` (and the other MLP and residual sites) fire once per token with one
    /// row.
    public func logits(tokens: [Int], hooks: HookSet? = nil) throws -> [[Float]] {
        let c = config
        var cache = NaiveCache(layers: c.layerCount)
        var result: [[Float]] = []
        for (position, token) in tokens.enumerated() {
            guard (0..<c.vocabularySize).contains(token) else {
                throw ModelError.tokenOutOfRange(token, vocabularySize: c.vocabularySize)
            }
            let context = HookContext(phase: .prompt, positions: [position], sequenceIndices: [0])
            var x = Array(weights.embedding[token * c.hiddenSize..<(token + 1) * c.hiddenSize])
            if let scale = c.embeddingScale { x = x.map { $0 * scale } }
            if !weights.positionTable.isEmpty {
                let row = AbsolutePositions.row(of: position, c.block.positions)
                guard (row + 1) * c.hiddenSize <= weights.positionTable.count else {
                    throw ModelError.contextOverflow(needed: position + 1, capacity: c.contextLength)
                }
                for i in 0..<c.hiddenSize { x[i] += weights.positionTable[row * c.hiddenSize + i] }
            }
            if let n = weights.embeddingNorm { x = Naive.norm(x, n, c.block.norm, width: c.hiddenSize) }
            for l in 0..<c.layerCount {
                try block(l, &x, position: position, cache: &cache, hooks: hooks, context: context)
            }
            let final = Naive.norm(x, weights.finalNorm, c.block.norm, width: c.hiddenSize)
            result.append(Naive.logits(Naive.matvec(weights.output ?? weights.embedding, final, bias: nil), c.logits))
        }
        return result
    }

    /// Keys and values of every position so far, per layer: `[layer][position][kvWidth]`.
    struct NaiveCache {
        var keys: [[[Float]]]
        var values: [[[Float]]]
        init(layers: Int) {
            keys = Array(repeating: [], count: layers)
            values = keys
        }
    }

    /// One block on one token: the residual topology of the recipe around the two sublayers.
    private func block(_ l: Int, _ x: inout [Float], position: Int, cache: inout NaiveCache, hooks: HookSet?,
                       context: HookContext) throws {
        let c = config, w = weights.layers[l], norm = c.block.norm, d = c.hiddenSize
        func normed(_ v: [Float], _ n: NormWeights?) -> [Float] { n.map { Naive.norm(v, $0, norm, width: d) } ?? v }
        let attentionInput = normed(x, w.attentionNorm)
        let a = normed(try attention(l, attentionInput, position: position, cache: &cache), w.postAttentionNorm)
        for i in 0..<d { x[i] += a[i] }
        let mlpInput = c.block.residual == .parallel ? attentionInput : normed(x, w.mlpNorm)
        let m = normed(try mlp(l, mlpInput, hooks: hooks, context: context), w.postMLPNorm)
        for i in 0..<d { x[i] += m[i] }
        try fire(hooks, .residPost, l, &x, context)
    }

    private func attention(_ l: Int, _ h: [Float], position: Int, cache: inout NaiveCache) throws -> [Float] {
        let c = config, w = weights.layers[l]
        var q = Naive.matvec(w.query, h, bias: w.queryBias)
        var k = Naive.matvec(w.key, h, bias: w.keyBias)
        let v = Naive.matvec(w.value, h, bias: w.valueBias)
        if let qn = w.queryNorm, let kn = w.keyNorm {
            q = Naive.norm(q, qn, c.block.norm, width: NormWeights.queryKeyDimension(c, heads: c.headCount))
            k = Naive.norm(k, kn, c.block.norm, width: NormWeights.queryKeyDimension(c, heads: c.kvHeadCount))
        }
        switch c.block.positions {
        case let .rope(rope):
            let (inverse, attentionFactor) = c.rope(layer: l)
            q = Naive.rope(q, c.headDim, position, inverse, rope.pairing, attentionFactor)
            k = Naive.rope(k, c.headDim, position, inverse, rope.pairing, attentionFactor)
        case .alibi, .learned, .sinusoidal:
            break
        }
        cache.keys[l].append(k)
        cache.values[l].append(v)
        let z = Naive.attention(q: q, keys: cache.keys[l], values: cache.values[l], config: c, layer: l,
                                position: position)
        return Naive.matvec(w.attentionOutput, z, bias: w.attentionOutputBias)
    }

    private func mlp(_ l: Int, _ h: [Float], hooks: HookSet?, context: HookContext) throws -> [Float] {
        let w = weights.layers[l]
        func gated(_ activation: ModelConfig.Activation) throws -> [Float] {
            var act = Naive.matvec(w.gate!, h, bias: nil).map { Naive.activation(activation, $0) }
            try fire(hooks, .mlpAct, l, &act, context)
            let up = Naive.matvec(w.up!, h, bias: nil)
            return Naive.matvec(w.down!, zip(act, up).map { $0 * $1 }, bias: nil)
        }
        switch config.block.mlp {
        case let .gated(activation):
            return try gated(activation)
        case let .plain(activation, _):
            var act = Naive.matvec(w.up!, h, bias: w.upBias).map { Naive.activation(activation, $0) }
            try fire(hooks, .mlpAct, l, &act, context)
            return Naive.matvec(w.down!, act, bias: w.downBias)
        case let .experts(e):
            guard let router = w.router else { return try gated(e.activation) }
            var logits = Naive.matvec(router, h, bias: nil)
            try fire(hooks, .mlpRouter, l, &logits, context)
            let top = logits.max()!
            let exps = logits.map { Double(Foundation.exp($0 - top)) }
            let probabilities = exps.map { $0 / exps.reduce(0, +) }
            let chosen = (0..<e.count).sorted { probabilities[$0] > probabilities[$1] || probabilities[$0] == probabilities[$1] && $0 < $1 }.prefix(e.topK)
            let chosenTotal = chosen.reduce(0) { $0 + probabilities[$1] }
            var out = [Float](repeating: 0, count: config.hiddenSize)
            for x in chosen.sorted() {
                let weight = Float(e.normalizeTopK ? probabilities[x] / chosenTotal : probabilities[x])
                let act = Naive.matvec(w.experts[x].gate, h, bias: nil).map { Naive.activation(e.activation, $0) }
                let up = Naive.matvec(w.experts[x].up, h, bias: nil)
                let y = Naive.matvec(w.experts[x].down, zip(act, up).map { $0 * $1 }, bias: nil)
                for i in 0..<out.count { out[i] += weight * y[i] }
            }
            if let sharedGate = w.sharedExpertGate {
                let shared = try gated(e.activation)
                let z = Naive.matvec(sharedGate, h, bias: nil)[0]
                let g = 1 / (1 + Foundation.exp(-z))
                for i in 0..<out.count { out[i] += g * shared[i] }
            }
            return out
        }
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

    /// The recipe's norm over each `width`-wide group of `x` (a gain longer than `width` has one block per
    /// group).
    static func norm(_ x: [Float], _ weights: NormWeights, _ norm: BlockRecipe.Norm, width: Int) -> [Float] {
        var y = x
        for (group, start) in stride(from: 0, to: x.count, by: width).enumerated() {
            let g = (group * width) % weights.gain.count
            let v = Array(x[start..<start + width])
            var mean = 0.0
            if norm.kind == .layer { mean = v.reduce(0) { $0 + Double($1) } / Double(width) }
            var squares = 0.0
            for e in v { squares += (Double(e) - mean) * (Double(e) - mean) }
            let inverse = 1 / (squares / Double(width) + Double(norm.epsilon)).squareRoot()
            for i in 0..<width {
                var out = Float((Double(v[i]) - mean) * inverse) * weights.gain[g + i]
                if let bias = weights.bias { out += bias[g + i] }
                y[start + i] = out
            }
        }
        return y
    }

    /// RoPE on every head, pairs (i, i + r/2) or (2i, 2i + 1), cos and sin multiplied by `attentionFactor`
    /// (yarn, longrope); dimensions past the rotary ones are left alone.
    static func rope(_ x: [Float], _ headDim: Int, _ position: Int, _ inverseFrequencies: [Double],
                     _ pairing: BlockRecipe.Rope.Pairing, _ attentionFactor: Double) -> [Float] {
        var y = x
        let half = inverseFrequencies.count
        for start in stride(from: 0, to: x.count, by: headDim) {
            for i in 0..<half {
                let angle = Double(position) * inverseFrequencies[i]
                let (c, s) = (Float(cos(angle) * attentionFactor), Float(sin(angle) * attentionFactor))
                let (first, second) = pairing == .halves ? (start + i, start + i + half) : (start + 2 * i, start + 2 * i + 1)
                let a = x[first], b = x[second]
                y[first] = a * c - b * s
                y[second] = a * s + b * c
            }
        }
        return y
    }

    /// Scale then soft-cap, as the model's `LogitTransform` says.
    static func logits(_ z: [Float], _ transform: LogitTransform) -> [Float] {
        z.map { value in
            var v = value
            if let scale = transform.scale { v *= scale }
            if let cap = transform.softcap { v = cap * Float(Foundation.tanh(Double(v / cap))) }
            return v
        }
    }

    static func attention(q: [Float], keys: [[Float]], values: [[Float]], config c: ModelConfig, layer: Int,
                          position: Int) -> [Float] {
        var z = [Float](repeating: 0, count: c.queryWidth)
        let group = c.headCount / c.kvHeadCount
        let first = c.window(layer: layer).map { max(0, position - $0 + 1) } ?? 0
        let slopes = c.block.positions == .alibi ? ALiBi.slopes(heads: c.headCount) : []
        for h in 0..<c.headCount {
            let kvh = h / group
            var scores: [Double] = []
            for p in first...position {
                var dot: Float = 0
                for d in 0..<c.headDim { dot += q[h * c.headDim + d] * keys[p][kvh * c.headDim + d] }
                var score = Double(dot * c.block.attention.scale)
                if let cap = c.block.attention.logitSoftcap { score = Double(cap) * Foundation.tanh(score / Double(cap)) }
                if !slopes.isEmpty { score += Double(slopes[h]) * Double(p - position) }
                scores.append(score)
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
