// A linear layer whose weight stays in bfloat16 (half the memory of `PackedLinear`), widened to float32 just before
// the micro-kernel: each 256 × 32 weight micro-panel is widened once into a 32 KiB float32 scratch (it stays in L1)
// and then multiplied by `PackedLinear`'s own 8×32 kernel for every 8-row tile of the row block (16 tiles for a
// full block), so the widening costs ~1/16 of a load per multiply-add. bf16 → f32 is exact (the bf16 bits are the
// top half of the f32 bits) and the loop nest, depth blocks and FMA order are those of the float32 path, so for a
// bf16-representable weight (every bf16 checkpoint) the outputs are bit-identical to `PackedLinear`'s.
// (Widening inside the micro-kernel instead, two ALU operations per 16 FMAs, ran ~25 % slower on this machine.)
//
// Layout: panels of 32 outputs stored input-major like `PackedLinear`, but each input step is 16 UInt32 words
// (64 bytes, one cache line): word j holds output j in its low half and output j + 16 in its high half, so one
// 512-bit load and two ALU operations (`<< 16`, `& 0xFFFF0000`) give the two 16-float vectors the float32 kernel
// loads from memory.

import CLNAKernels

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

    /// Builds the layer straight from the little-endian bf16 bytes of a row-major `[outputs, inputs]` weight (a
    /// memory-mapped safetensors tensor): no float32 copy, the values kept exactly.
    ///
    /// ```swift
    /// let layer = try BF16PackedLinear(bf16Bytes: try st.rawBytes(name), outputs: 14336, inputs: 4096)
    /// ```
    public convenience init(bf16Bytes: UnsafeRawBufferPointer, outputs: Int, inputs: Int,
                            bias: [Float]? = nil) throws {
        guard outputs > 0, inputs > 0, bf16Bytes.count == outputs * inputs * 2, let base = bf16Bytes.baseAddress else {
            throw TensorError.sizeMismatch(
                "BF16PackedLinear: \(bf16Bytes.count) bytes of bf16 weight, expected \(outputs) × \(inputs) × 2")
        }
        if let bias, bias.count != outputs {
            throw TensorError.sizeMismatch("BF16PackedLinear: bias has \(bias.count) values, expected \(outputs)")
        }
        let words = ((outputs + PackedLinear.panelWidth - 1) / PackedLinear.panelWidth) * inputs * 16
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, words) * 4, alignment: 64)
            .bindMemory(to: UInt32.self, capacity: max(1, words))
        Self.pack(bf16: base, outputs: outputs, inputs: inputs, into: storage)
        var copy: UnsafeMutablePointer<Float>? = nil
        if let bias {
            copy = allocateAligned(outputs)
            copy!.initialize(from: bias, count: outputs)
        }
        self.init(Layout(outputs: outputs, inputs: inputs, storage: storage, bias: copy))
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

        init(outputs: Int, inputs: Int, storage: UnsafeMutablePointer<UInt32>, bias: UnsafeMutablePointer<Float>?) {
            self.outputs = outputs
            self.inputs = inputs
            self.storage = storage
            self.bias = bias
        }

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

    /// Rearranges row-major `[outputs, inputs]` little-endian bf16 into the interleaved panels, zero-padded: two
    /// rows (outputs o and o + 16) are merged into one word per input.
    static func pack(bf16 w: UnsafeRawPointer, outputs: Int, inputs: Int, into packed: UnsafeMutablePointer<UInt32>) {
        let width = PackedLinear.panelWidth
        let panels = (outputs + width - 1) / width
        ComputePool.shared.parallelFor(count: panels) { panel in
            let destination = packed + panel * 16 * inputs
            let firstOutput = panel * width
            for word in 0..<16 {
                let lowOutput = firstOutput + word, highOutput = lowOutput + 16
                let low = lowOutput < outputs ? w + lowOutput * inputs * 2 : nil
                let high = highOutput < outputs ? w + highOutput * inputs * 2 : nil
                for i in 0..<inputs {
                    let l = low.map { UInt32(UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) } ?? 0
                    let h = high.map { UInt32(UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) } ?? 0
                    destination[i * 16 + word] = l | h << 16
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
        multiplyPackedTasks(panelCounts: layers.map(\.panelCount), totalOutputs: layers.reduce(0) { $0 + $1.outputs },
                            inputs: layers[0].inputs, x: x, rows: rows) { layer, packedX, tiles, panels in
            layers[layer].multiplyBlock(packedX, rows: rows, tiles: tiles, panels: panels, into: outputs[layer])
        }
    }

    /// One task: the 8-row tiles `tiles` of packed x × output panels `panels` (the loop nest of
    /// `PackedLinear.multiplyBlock`; each bf16 micro-panel is widened once into float32 scratch per row block).
    func multiplyBlock(_ packedX: UnsafePointer<Float>, rows totalRows: Int, tiles tileRange: Range<Int>,
                       panels: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        let k = inputs
        let widened = allocateAligned(PackedLinear.depthBlock * PackedLinear.panelWidth)
        defer { widened.deallocate() }
        multiplyPanelBlock(inputs: k, outputs: outputs, bias: bias, rows: totalRows, tiles: tileRange, panels: panels,
                           into: y, panel: { p, k0, depth in
            widen(UnsafeRawPointer(storage + p * 16 * k + k0 * 16), depth: depth, into: widened)
            return UnsafePointer(widened)
        }, tile: float32Tile(packedX, inputs: k))
    }

    /// Widens `depth` interleaved bf16 steps into a float32 micro-panel of `depth × 32` (the `PackedLinear` layout).
    @inline(__always)
    private func widen(_ source: UnsafeRawPointer, depth: Int, into destination: UnsafeMutablePointer<Float>) {
        let out = UnsafeMutableRawPointer(destination)
        for kk in 0..<depth {
            let words = source.loadUnaligned(fromByteOffset: kk &* 64, as: SIMD16<UInt32>.self)
            out.storeBytes(of: widenLow(words), toByteOffset: kk &* 128, as: SIMD16<Float>.self)
            out.storeBytes(of: widenHigh(words), toByteOffset: kk &* 128 &+ 64, as: SIMD16<Float>.self)
        }
    }

    /// Matrix–vector product for one row, with the accumulator pattern of `PackedLinear.applyVector`.
    func applyVector(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let k = inputs, n = outputs
        ComputePool.shared.parallelChunks(total: panelCount, minimumChunk: 8, maxChunks: ComputePool.shared.threadCount * 2) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: PackedLinear.panelWidth) { sums in
                for p in range {
                    lna_gemv_panel_bf16(storage + p * 16 * k, k, x, sums.baseAddress!)
                    storePanelOutputs(sums.baseAddress!, panel: p, outputs: n, bias: bias, into: y)
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

extension PackedLinear {
    /// Bytes held by the laid-out weight (and bias), to compare storage choices.
    ///
    /// ```swift
    /// print(layer.byteCount)   // ≈ 4 × outputs × inputs
    /// ```
    public var byteCount: Int { storageCount * 4 + (bias == nil ? 0 : outputs * 4) }
}
