import CLNAKernels

/// Attention for a few queries against a long key list (token generation with a KV cache): direct SIMD dot
/// products on the caller's `k`/`v` layout, no packing — packing the whole cache for one query would cost more
/// memory traffic than the attention itself. One task per (query, head).
/// `pattern`, when given, receives `[queryHeads, queries, keys]` probabilities.
func attendDirect(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, geometry g: AttentionGeometry,
                  settings: ScoreSettings, output: UnsafeMutablePointer<Float>, pattern: UnsafeMutablePointer<Float>?) {
    let d = g.headDimension, hq = g.queryHeads, hkv = g.keyValueHeads, keys = g.keys
    ComputePool.shared.parallelFor(count: g.queries * hq) { task in
        let t = task / hq, head = task % hq, kvHead = head / g.groupSize
        let position = g.queryPositions[t], sequence = g.querySequenceIds[t]
        let query = q + (t * hq + head) * d
        let out = output + (t * hq + head) * d
        let scores = allocateAligned(keys)
        defer { scores.deallocate() }
        var first = keys, last = -1
        for j in 0..<keys {
            if g.isVisible(key: j, position: position, sequence: sequence) {
                scores[j] = dot(query, k + (j * hkv + kvHead) * d, count: d) * settings.scale
                first = min(first, j); last = j
            } else {
                scores[j] = -.infinity
            }
        }
        out.initialize(repeating: 0, count: d)
        if last >= first {
            let width = last - first + 1
            if let cap = settings.softcap {
                scaleInPlace(scores + first, by: 1 / cap, count: width)
                softcap(scores + first, count: width, cap: 1)
                scaleInPlace(scores + first, by: cap, count: width)
            }
            softmaxRow(scores + first, count: width)
            for j in first...last where scores[j] != 0 {
                accumulateScaled(v + (j * hkv + kvHead) * d, by: scores[j], into: out, count: d)
            }
        }
        if let pattern {
            let row = pattern + (head * g.queries + t) * keys
            row.initialize(repeating: 0, count: keys)
            if last >= first { (row + first).update(from: scores + first, count: last - first + 1) }
        }
    }
}

/// Σ a[i]·b[i] with two 16-float accumulators (`dot` of the active kernel set).
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    lna_dot(a, b, count)
}

/// y[i] += factor·x[i].
@inline(__always)
func accumulateScaled(_ x: UnsafePointer<Float>, by factor: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
    lna_axpy(x, factor, y, count)
}
