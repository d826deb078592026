// A linear layer whose weight stays in bfloat16 (half the memory of `PackedLinear`), widened to float32 inside the
// micro-kernel. bf16 → f32 is exact (the bf16 bits are the top half of the f32 bits), and the loop nest, the
// depth blocks and the order of the fused multiply-adds are those of `PackedLinear`'s own kernel, so for a
// weight that is bf16-representable (every bf16 checkpoint) the outputs are bit-identical to the float32 path.
//
// Layout: panels of 32 outputs stored input-major like `PackedLinear`, but each input step is 16 UInt32 words
// (64 bytes, one cache line): word j holds output j in its low half and output j + 16 in its high half, so one
// 512-bit load and two ALU operations (`<< 16`, `& 0xFFFF0000`) give the two 16-float vectors the float32 kernel
// loads from memory.

/// A linear layer `y = x·Wᵀ (+ b)` with a bfloat16 weight, multiplied by the own AVX-512 kernel in float32.
///
/// The weight is rounded to bfloat16 (nearest, ties to even) when packed: exact for weights read from a bf16
/// checkpoint, whose results then match `PackedLinear` bit for bit. The bias stays float32.
///
/// ```swift
/// let proj = try BF16PackedLinear(weight: w, outputs: 14336, inputs: 4096)   // 117 MB instead of 235 MB
/// proj.apply(x, rows: tokens, into: y)                                         // x: [tokens, 4096]
/// ```
public final class BF16PackedLinear: @unchecked Sendable {
    // @unchecked: `storage` and `bias` are written only in `init` and read-only afterwards.

    /// Number of outputs (rows of the original weight).
    public let outputs: Int
    /// Number of inputs (columns of the original weight).
    public let inputs: Int

    /// `panelCount × inputs × 16` words; see the file comment for the layout.
    let storage: UnsafeMutablePointer<UInt32>
    let bias: UnsafeMutablePointer<Float>?

    /// Number of 32-output panels (the last may be zero-padded).
    var panelCount: Int { (outputs + PackedLinear.panelWidth - 1) / PackedLinear.panelWidth }

    /// Bytes held by the packed weight (and bias).
    ///
    /// ```swift
    /// print(layer.byteCount)   // ≈ 2 × outputs × inputs
    /// ```
    public var byteCount: Int { panelCount * inputs * 64 + (bias == nil ? 0 : outputs * 4) }

    /// Builds the layer from a row-major `[outputs, inputs]` float32 weight (rounded to bf16) and an optional bias.
    ///
    /// ```swift
    /// let layer = try BF16PackedLinear(weight: UnsafeBufferPointer(start: p, count: o * i), outputs: o, inputs: i)
    /// ```
    public convenience init(weight: UnsafeBufferPointer<Float>, outputs: Int, inputs: Int,
                            bias: UnsafeBufferPointer<Float>? = nil) throws {
        self.init(try Layout(weight: weight, outputs: outputs, inputs: inputs, bias: bias))
    }

    /// Builds the layer from arrays; see `init(weight:outputs:inputs:bias:)`.
    ///
    /// ```swift
    /// let layer = try BF16PackedLinear(weight: [1, 2, 3, 4, 5, 6], outputs: 2, inputs: 3, bias: [0.5, -0.5])
    /// ```
    public convenience init(weight: [Float], outputs: Int, inputs: Int, bias: [Float]? = nil) throws {
        let layout = try weight.withUnsafeBufferPointer { w in
            if let bias {
                return try bias.withUnsafeBufferPointer { b in
                    try Layout(weight: w, outputs: outputs, inputs: inputs, bias: b)
                }
            }
            return try Layout(weight: w, outputs: outputs, inputs: inputs, bias: nil)
        }
        self.init(layout)
    }

    private init(_ layout: Layout) {
        outputs = layout.outputs
        inputs = layout.inputs
        storage = layout.storage
        bias = layout.bias
    }

    /// The validated, packed buffers a `BF16PackedLinear` takes ownership of.
    private struct Layout {
        let outputs: Int, inputs: Int
        let storage: UnsafeMutablePointer<UInt32>
        let bias: UnsafeMutablePointer<Float>?

        init(weight: UnsafeBufferPointer<Float>, outputs: Int, inputs: Int, bias: UnsafeBufferPointer<Float>?) throws {
            guard outputs > 0, inputs > 0 else {
                throw TensorError.invalidArgument(
                    "BF16PackedLinear: outputs (\(outputs)) and inputs (\(inputs)) must be positive")
            }
            guard weight.count == outputs * inputs, let source = weight.baseAddress else {
                throw TensorError.sizeMismatch(
                    "BF16PackedLinear: weight has \(weight.count) values, expected \(outputs) × \(inputs) = \(outputs * inputs)")
            }
            if let bias, bias.count != outputs {
                throw TensorError.sizeMismatch("BF16PackedLinear: bias has \(bias.count) values, expected \(outputs)")
            }
            self.outputs = outputs
            self.inputs = inputs
            let panels = (outputs + PackedLinear.panelWidth - 1) / PackedLinear.panelWidth
            let words = panels * inputs * 16
            storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, words) * 4, alignment: 64)
                .bindMemory(to: UInt32.self, capacity: max(1, words))
            BF16PackedLinear.pack(source, outputs: outputs, inputs: inputs, into: storage)
            if let bias, let b = bias.baseAddress {
                let copy = allocateAligned(outputs)
                copy.initialize(from: b, count: outputs)
                self.bias = copy
            } else {
                self.bias = nil
            }
        }
    }

    deinit {
        storage.deallocate()
        bias?.deallocate()
    }

    /// Rearranges row-major `[outputs, inputs]` float32 into the interleaved bf16 panels, zero-padded.
    static func pack(_ w: UnsafePointer<Float>, outputs: Int, inputs: Int, into packed: UnsafeMutablePointer<UInt32>) {
        let width = PackedLinear.panelWidth
        let panels = (outputs + width - 1) / width
        ComputePool.shared.parallelFor(count: panels) { panel in
            let destination = packed + panel * 16 * inputs
            let firstOutput = panel * width
            let valid = min(width, outputs - firstOutput)
            destination.initialize(repeating: 0, count: 16 * inputs)
            for o in 0..<valid {
                let row = w + (firstOutput + o) * inputs
                let word = o % 16, shift = UInt32(o < 16 ? 0 : 16)
                for i in 0..<inputs {
                    destination[i * 16 + word] |= UInt32(bfloat16RoundedBits(row[i])) << shift
                }
            }
        }
    }

    /// Computes `y[r, o] = Σ_i x[r, i]·W[o, i] (+ b[o])` for `r < rows` (`y` overwritten), on the shared pool.
    ///
    /// ```swift
    /// layer.apply(x.baseAddress!, rows: 17, into: y.baseAddress!)
    /// ```
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        if rows <= 0 { return }
        if rows == 1 { applyVector(x, into: y) } else { Self.multiplyPacked([self], x, rows: rows, into: [y]) }
    }

    /// Applies several layers that read the same input in one pass (q/k/v, gate/up), like
    /// `PackedLinear.apply(_:to:rows:into:)`.
    ///
    /// ```swift
    /// try BF16PackedLinear.apply([wq, wk, wv], to: h, rows: T, into: [q, k, v])
    /// ```
    public static func apply(_ layers: [BF16PackedLinear], to x: UnsafePointer<Float>, rows: Int,
                             into outputs: [UnsafeMutablePointer<Float>]) throws {
        guard layers.count == outputs.count, let first = layers.first else {
            throw TensorError.sizeMismatch("BF16PackedLinear.apply: \(layers.count) layers for \(outputs.count) outputs")
        }
        guard layers.allSatisfy({ $0.inputs == first.inputs }) else {
            throw TensorError.sizeMismatch(
                "BF16PackedLinear.apply: layers take \(layers.map(\.inputs)) inputs; a shared x needs one input width")
        }
        if rows <= 0 { return }
        if rows == 1 {
            for (layer, y) in zip(layers, outputs) { layer.applyVector(x, into: y) }
        } else {
            multiplyPacked(layers, x, rows: rows, into: outputs)
        }
    }

    /// The matrix path: the same packing of x and the same task split as `PackedLinear.multiplyPacked`.
    static func multiplyPacked(_ layers: [BF16PackedLinear], _ x: UnsafePointer<Float>, rows: Int,
                               into outputs: [UnsafeMutablePointer<Float>]) {
        let inputs = layers[0].inputs, tileRows = PackedLinear.tileRows
        let rowTiles = (rows + tileRows - 1) / tileRows
        let pool = ComputePool.shared
        let packedX = allocateAligned(rowTiles * tileRows * inputs)
        defer { packedX.deallocate() }
        let totalOutputs = layers.reduce(0) { $0 + $1.outputs }
        let threads = rows * totalOutputs * inputs < 1 << 20 ? 1 : pool.threadCount
        pool.parallelChunks(total: rowTiles, maxChunks: threads) { tiles in
            for t in tiles {
                let first = t * tileRows
                packTile(x + first * inputs, rows: min(tileRows, rows - first), rowStride: inputs, depth: inputs,
                         into: packedX + first * inputs)
            }
        }
        let targetTasks = threads == 1 ? 1 : threads * 4
        let totalPanels = layers.reduce(0) { $0 + $1.panelCount }
        var tasks: [(layer: Int, panels: Range<Int>, tiles: Range<Int>)] = []
        for (index, layer) in layers.enumerated() {
            let share = max(1, (targetTasks * layer.panelCount + totalPanels - 1) / totalPanels)
            let panelChunks = min(layer.panelCount, share)
            let rowChunks = min(rowTiles, max(1, share / panelChunks))
            for task in 0..<(panelChunks * rowChunks) {
                tasks.append((index, splitRange(layer.panelCount, parts: panelChunks, part: task % panelChunks),
                              splitRange(rowTiles, parts: rowChunks, part: task / panelChunks)))
            }
        }
        pool.parallelFor(count: tasks.count) { index in
            let task = tasks[index]
            layers[task.layer].multiplyBlock(packedX, rows: rows, tiles: task.tiles, panels: task.panels,
                                             into: outputs[task.layer])
        }
    }

    /// One task: the 8-row tiles `tiles` of packed x × output panels `panels` (the loop nest of
    /// `PackedLinear.multiplyBlock`, with the bf16 micro-kernel).
    func multiplyBlock(_ packedX: UnsafePointer<Float>, rows totalRows: Int, tiles tileRange: Range<Int>,
                       panels: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        let k = inputs, n = outputs, width = PackedLinear.panelWidth, tile = PackedLinear.tileRows
        let depthBlock = PackedLinear.depthBlock, rowBlock = PackedLinear.rowBlock
        let rows = (tileRange.lowerBound * tile)..<min(totalRows, tileRange.upperBound * tile)
        if let bias {
            for r in rows {
                for p in panels {
                    let first = p * width
                    (y + r * n + first).update(from: bias + first, count: min(width, n - first))
                }
            }
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: tile * width) { scratch in
            let edge = scratch.baseAddress!
            for k0 in stride(from: 0, to: k, by: depthBlock) {
                let depth = min(depthBlock, k - k0)
                let accumulate = k0 > 0 || bias != nil
                for m0 in stride(from: rows.lowerBound, to: rows.upperBound, by: rowBlock) {
                    let blockRows = min(rowBlock, rows.upperBound - m0)
                    let tiles = (blockRows + tile - 1) / tile
                    for p in panels {
                        let b = UnsafePointer(storage + p * 16 * k + k0 * 16)
                        let firstColumn = p * width
                        let validColumns = min(width, n - firstColumn)
                        for t in 0..<tiles {
                            let firstRow = m0 + t * tile
                            let a = packedX + firstRow * k + k0 * tile
                            let validRows = min(tile, m0 + blockRows - firstRow)
                            let c = y + firstRow * n + firstColumn
                            if validRows == tile && validColumns == width {
                                microKernel8x32BF16(k: depth, a: a, b: b, c: c, ldc: n, accumulate: accumulate)
                            } else {
                                edge.initialize(repeating: 0, count: tile * width)
                                if accumulate {
                                    for r in 0..<validRows { (edge + r * width).update(from: c + r * n, count: validColumns) }
                                }
                                microKernel8x32BF16(k: depth, a: a, b: b, c: edge, ldc: width, accumulate: true)
                                for r in 0..<validRows { (c + r * n).update(from: edge + r * width, count: validColumns) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Matrix–vector product for one row, with the accumulator pattern of `PackedLinear.applyVector`.
    func applyVector(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let k = inputs, n = outputs, width = PackedLinear.panelWidth
        ComputePool.shared.parallelChunks(total: panelCount, minimumChunk: 8, maxChunks: ComputePool.shared.threadCount * 2) { range in
            for p in range {
                var panel = UnsafeRawPointer(storage + p * 16 * k)
                var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), t0 = SIMD16<Float>(), t1 = SIMD16<Float>()
                var u0 = SIMD16<Float>(), u1 = SIMD16<Float>(), v0 = SIMD16<Float>(), v1 = SIMD16<Float>()
                var i = 0
                while i + 4 <= k {
                    let x0 = SIMD16<Float>(repeating: x[i]), x1 = SIMD16<Float>(repeating: x[i + 1])
                    let x2 = SIMD16<Float>(repeating: x[i + 2]), x3 = SIMD16<Float>(repeating: x[i + 3])
                    let w0 = panel.loadUnaligned(fromByteOffset: 0, as: SIMD16<UInt32>.self)
                    let w1 = panel.loadUnaligned(fromByteOffset: 64, as: SIMD16<UInt32>.self)
                    let w2 = panel.loadUnaligned(fromByteOffset: 128, as: SIMD16<UInt32>.self)
                    let w3 = panel.loadUnaligned(fromByteOffset: 192, as: SIMD16<UInt32>.self)
                    s0.addProduct(x0, widenLow(w0))
                    s1.addProduct(x0, widenHigh(w0))
                    t0.addProduct(x1, widenLow(w1))
                    t1.addProduct(x1, widenHigh(w1))
                    u0.addProduct(x2, widenLow(w2))
                    u1.addProduct(x2, widenHigh(w2))
                    v0.addProduct(x3, widenLow(w3))
                    v1.addProduct(x3, widenHigh(w3))
                    panel += 256
                    i += 4
                }
                while i < k {
                    let xi = SIMD16<Float>(repeating: x[i])
                    let w = panel.loadUnaligned(as: SIMD16<UInt32>.self)
                    s0.addProduct(xi, widenLow(w))
                    s1.addProduct(xi, widenHigh(w))
                    panel += 64
                    i += 1
                }
                var low = (s0 + t0) + (u0 + v0), high = (s1 + t1) + (u1 + v1)
                let first = p * width
                if let bias {
                    let rb = UnsafeRawPointer(bias + first)
                    if first + width <= n {
                        low += rb.loadUnaligned(as: SIMD16<Float>.self)
                        high += rb.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                    } else {
                        for j in 0..<(n - first) {
                            if j < 16 { low[j] += bias[first + j] } else { high[j - 16] += bias[first + j] }
                        }
                    }
                }
                if first + width <= n {
                    UnsafeMutableRawPointer(y + first).storeBytes(of: low, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(y + first).storeBytes(of: high, toByteOffset: 64, as: SIMD16<Float>.self)
                } else {
                    for j in 0..<(n - first) { y[first + j] = j < 16 ? low[j] : high[j - 16] }
                }
            }
        }
    }
}

/// Outputs 0–15 of an interleaved bf16 step: the low halves, moved to the top of each float.
@inline(__always)
func widenLow(_ words: SIMD16<UInt32>) -> SIMD16<Float> {
    unsafeBitCast(words &<< 16, to: SIMD16<Float>.self)
}

/// Outputs 16–31 of an interleaved bf16 step: the high halves, already in place.
@inline(__always)
func widenHigh(_ words: SIMD16<UInt32>) -> SIMD16<Float> {
    unsafeBitCast(words & SIMD16<UInt32>(repeating: 0xFFFF_0000), to: SIMD16<Float>.self)
}

/// The bfloat16 bits of `value`, rounded to nearest with ties to even (NaN stays a quiet NaN); exact when
/// `value` is bf16-representable.
@inline(__always)
func bfloat16RoundedBits(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
    return UInt16((bits &+ (0x7FFF &+ ((bits >> 16) & 1))) >> 16)
}

/// C[8×32] (+)= A·B over `k` steps with B in interleaved bf16 (16 words per step): `microKernel8x32` with the
/// two B vectors widened from one load instead of loaded as float32. Same FMA order, so the same results.
@inline(__always)
func microKernel8x32BF16(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<UInt32>,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    var c0_0 = SIMD16<Float>(), c0_1 = SIMD16<Float>(), c1_0 = SIMD16<Float>(), c1_1 = SIMD16<Float>()
    var c2_0 = SIMD16<Float>(), c2_1 = SIMD16<Float>(), c3_0 = SIMD16<Float>(), c3_1 = SIMD16<Float>()
    var c4_0 = SIMD16<Float>(), c4_1 = SIMD16<Float>(), c5_0 = SIMD16<Float>(), c5_1 = SIMD16<Float>()
    var c6_0 = SIMD16<Float>(), c6_1 = SIMD16<Float>(), c7_0 = SIMD16<Float>(), c7_1 = SIMD16<Float>()
    var ap = a
    var bp = UnsafeRawPointer(b)
    var remaining = k
    while remaining > 0 {
        let words = bp.loadUnaligned(as: SIMD16<UInt32>.self)
        let b0 = widenLow(words), b1 = widenHigh(words)
        let x0 = SIMD16<Float>(repeating: ap[0])
        c0_0.addProduct(x0, b0); c0_1.addProduct(x0, b1)
        let x1 = SIMD16<Float>(repeating: ap[1])
        c1_0.addProduct(x1, b0); c1_1.addProduct(x1, b1)
        let x2 = SIMD16<Float>(repeating: ap[2])
        c2_0.addProduct(x2, b0); c2_1.addProduct(x2, b1)
        let x3 = SIMD16<Float>(repeating: ap[3])
        c3_0.addProduct(x3, b0); c3_1.addProduct(x3, b1)
        let x4 = SIMD16<Float>(repeating: ap[4])
        c4_0.addProduct(x4, b0); c4_1.addProduct(x4, b1)
        let x5 = SIMD16<Float>(repeating: ap[5])
        c5_0.addProduct(x5, b0); c5_1.addProduct(x5, b1)
        let x6 = SIMD16<Float>(repeating: ap[6])
        c6_0.addProduct(x6, b0); c6_1.addProduct(x6, b1)
        let x7 = SIMD16<Float>(repeating: ap[7])
        c7_0.addProduct(x7, b0); c7_1.addProduct(x7, b1)
        ap += 8
        bp += 64
        remaining &-= 1
    }
    let rc = UnsafeMutableRawPointer(c)
    let rowBytes = ldc &* 4
    @inline(__always) func finish(_ value: SIMD16<Float>, _ row: Int, _ half: Int) {
        let offset = row &* rowBytes &+ half &* 64
        var v = value
        if accumulate { v += rc.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) }
        rc.storeBytes(of: v, toByteOffset: offset, as: SIMD16<Float>.self)
    }
    finish(c0_0, 0, 0); finish(c0_1, 0, 1); finish(c1_0, 1, 0); finish(c1_1, 1, 1)
    finish(c2_0, 2, 0); finish(c2_1, 2, 1); finish(c3_0, 3, 0); finish(c3_1, 3, 1)
    finish(c4_0, 4, 0); finish(c4_1, 4, 1); finish(c5_0, 5, 0); finish(c5_1, 5, 1)
    finish(c6_0, 6, 0); finish(c6_1, 6, 1); finish(c7_0, 7, 0); finish(c7_1, 7, 1)
}

extension PackedLinear {
    /// Bytes held by the laid-out weight (and bias), to compare storage choices.
    ///
    /// ```swift
    /// print(layer.byteCount)   // ≈ 4 × outputs × inputs
    /// ```
    public var byteCount: Int { storageCount * 4 + (bias == nil ? 0 : outputs * 4) }
}
