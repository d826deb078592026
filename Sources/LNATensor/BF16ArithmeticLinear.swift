// A linear layer computed in bf16 arithmetic (`--precision bf16`): weights and activations rounded to bfloat16,
// multiplied by `vdpbf16ps` (two exact bf16 products per float32 lane per instruction) and accumulated in float32.
// Unlike `BF16PackedLinear` (bf16 storage, float32 arithmetic, bit-identical to `PackedLinear`), the results
// differ from float32 by the rounding of the activations: docs/kernels.md gives the error bound.
//
// Layout: panels of 32 outputs; per pair of inputs (2s, 2s + 1) one step of 32 UInt32 "pair words" (word j = bf16 of
// W[o_j, 2s] in the low half, W[o_j, 2s + 1] in the high half; an odd last input pairs with zero). x is packed per
// call into 8-row tiles of pair words (`tile[s · 8 + r]`), rounded to bf16 as it is packed. The loop nest, depth
// and row blocks and task split are those of `PackedLinear` (`runPanelTasks`, `multiplyPanelBlock`).

import CLNAKernels

/// A linear layer `y = x·Wᵀ (+ b)` computed with bf16 × bf16 products and float32 accumulation (AVX512_BF16).
///
/// The weight is rounded to bfloat16 (nearest, ties to even) when packed — exact for bf16 checkpoints — and each
/// activation row is rounded the same way when it is multiplied. The bias is added in float32. Needs a CPU with
/// AVX512_BF16 and the avx512 kernel set (`ArithmeticPrecision.bf16.checkAvailable()`).
///
/// ```swift
/// try ArithmeticPrecision.bf16.checkAvailable()
/// let proj = try BF16ArithmeticLinear(weight: w, outputs: 2048, inputs: 640)
/// proj.apply(x, rows: tokens, into: y)                                          // x: [tokens, 640]
/// ```
public final class BF16ArithmeticLinear: @unchecked Sendable {
    // @unchecked: `storage` and `bias` are written only in `init` and read-only afterwards.

    /// Number of outputs (rows of the original weight).
    public let outputs: Int
    /// Number of inputs (columns of the original weight).
    public let inputs: Int

    /// `panelCount × pairs × 32` pair words; see the file comment.
    let storage: UnsafeMutablePointer<UInt32>
    let bias: UnsafeMutablePointer<Float>?
    let kernels: UnsafePointer<lna_bf16_kernel_table>

    /// Input pairs per output: the depth of the kernels.
    var pairs: Int { (inputs + 1) / 2 }
    /// Number of 32-output panels (the last may be zero-padded).
    var panelCount: Int { (outputs + PackedLinear.panelWidth - 1) / PackedLinear.panelWidth }

    /// Bytes held by the packed weight (and bias).
    ///
    /// ```swift
    /// print(layer.byteCount)   // ≈ 2 × outputs × inputs
    /// ```
    public var byteCount: Int { panelCount * pairs * 128 + (bias == nil ? 0 : outputs * 4) }

    /// Builds the layer from a row-major `[outputs, inputs]` float32 weight (rounded to bf16) and an optional bias.
    ///
    /// - Throws: `TensorError.invalidArgument` when the CPU or the kernel set cannot run bf16 arithmetic,
    ///   `.sizeMismatch` for wrong lengths.
    ///
    /// ```swift
    /// let layer = try BF16ArithmeticLinear(weight: [1, 2, 3, 4, 5, 6], outputs: 2, inputs: 3, bias: [0.5, -0.5])
    /// ```
    public convenience init(weight: [Float], outputs: Int, inputs: Int, bias: [Float]? = nil) throws {
        try Self.checkShape(count: weight.count, unit: "values", outputs: outputs, inputs: inputs, bias: bias)
        let (storage, kernels) = try Self.allocate(outputs: outputs, inputs: inputs)
        weight.withUnsafeBufferPointer { w in
            Self.pack(outputs: outputs, inputs: inputs, into: storage) { o, i in bfloat16RoundedBits(w[o * inputs + i]) }
        }
        self.init(outputs: outputs, inputs: inputs, storage: storage, bias: bias, kernels: kernels)
    }

    /// Builds the layer straight from the little-endian bf16 bytes of a row-major `[outputs, inputs]` weight (a
    /// memory-mapped safetensors tensor): no float32 copy, the values kept exactly.
    ///
    /// ```swift
    /// let layer = try BF16ArithmeticLinear(bf16Bytes: try st.rawBytes(name), outputs: 14336, inputs: 4096)
    /// ```
    public convenience init(bf16Bytes: UnsafeRawBufferPointer, outputs: Int, inputs: Int, bias: [Float]? = nil) throws {
        try Self.checkShape(count: bf16Bytes.count / 2, unit: "bf16 values", outputs: outputs, inputs: inputs, bias: bias)
        guard bf16Bytes.count % 2 == 0, let base = bf16Bytes.baseAddress else {
            throw TensorError.sizeMismatch("BF16ArithmeticLinear: \(bf16Bytes.count) bytes is not a whole number of bf16 values")
        }
        let (storage, kernels) = try Self.allocate(outputs: outputs, inputs: inputs)
        Self.pack(outputs: outputs, inputs: inputs, into: storage) { o, i in
            UInt16(littleEndian: base.loadUnaligned(fromByteOffset: (o * inputs + i) * 2, as: UInt16.self))
        }
        self.init(outputs: outputs, inputs: inputs, storage: storage, bias: bias, kernels: kernels)
    }

    /// Builds the layer from a float32 weight delivered a block of rows at a time (rounded to bf16 as it is
    /// packed), so only the packed bf16 copy and one block (`blockRows × inputs` floats) are ever in memory: the
    /// LM head of `--precision bf16` (Gemma 3: 262,144 × 640, 335 MB packed instead of 671 MB in float32).
    /// `rows(range)` returns the row-major `[range.count, inputs]` values of those outputs.
    ///
    /// ```swift
    /// let head = try BF16ArithmeticLinear(outputs: vocab, inputs: d) { range in try source.dequantizeRows(name, rows: Array(range)) }
    /// ```
    public convenience init(outputs: Int, inputs: Int, blockRows: Int = 4096,
                            rows: (Range<Int>) throws -> [Float]) throws {
        guard outputs > 0, inputs > 0 else {
            throw TensorError.invalidArgument("BF16ArithmeticLinear: outputs (\(outputs)) and inputs (\(inputs)) must be positive")
        }
        let (storage, kernels) = try Self.allocate(outputs: outputs, inputs: inputs)
        // Blocks start on panel boundaries, so each block packs into whole panels of its own.
        let width = PackedLinear.panelWidth, pairs = (inputs + 1) / 2
        do {
            try PackedLinear.forEachRowBlock(outputs: outputs, inputs: inputs, blockRows: blockRows,
                                             layer: "BF16ArithmeticLinear", rows: rows) { range, b in
                Self.pack(outputs: range.count, inputs: inputs,
                          into: storage + (range.lowerBound / width) * pairs * width) { o, i in
                    bfloat16RoundedBits(b[o * inputs + i])
                }
            }
        } catch {
            storage.deallocate()
            throw error
        }
        self.init(outputs: outputs, inputs: inputs, storage: storage, bias: nil, kernels: kernels)
    }

    private init(outputs: Int, inputs: Int, storage: UnsafeMutablePointer<UInt32>, bias: [Float]?,
                 kernels: UnsafePointer<lna_bf16_kernel_table>) {
        self.outputs = outputs
        self.inputs = inputs
        self.storage = storage
        self.kernels = kernels
        if let bias {
            let copy = allocateAligned(outputs)
            copy.initialize(from: bias, count: outputs)
            self.bias = copy
        } else {
            self.bias = nil
        }
    }

    deinit {
        storage.deallocate()
        bias?.deallocate()
    }

    private static func checkShape(count: Int, unit: String, outputs: Int, inputs: Int, bias: [Float]?) throws {
        guard outputs > 0, inputs > 0 else {
            throw TensorError.invalidArgument("BF16ArithmeticLinear: outputs (\(outputs)) and inputs (\(inputs)) must be positive")
        }
        let (expected, overflow) = outputs.multipliedReportingOverflow(by: inputs)
        guard !overflow, count == expected else {
            throw TensorError.sizeMismatch("BF16ArithmeticLinear: weight has \(count) \(unit), expected \(outputs) × \(inputs)")
        }
        if let bias, bias.count != outputs {
            throw TensorError.sizeMismatch("BF16ArithmeticLinear: bias has \(bias.count) values, expected \(outputs)")
        }
    }

    private static func allocate(outputs: Int, inputs: Int) throws
        -> (UnsafeMutablePointer<UInt32>, UnsafePointer<lna_bf16_kernel_table>) {
        let kernels = try ArithmeticPrecision.bf16Kernels()
        let panels = (outputs + PackedLinear.panelWidth - 1) / PackedLinear.panelWidth
        let words = panels * ((inputs + 1) / 2) * PackedLinear.panelWidth
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, words) * 4, alignment: 64)
            .bindMemory(to: UInt32.self, capacity: max(1, words))
        return (storage, kernels)
    }

    /// Fills the pair-word panels from `bits(o, i)` (the bf16 bits of W[o, i]), zero-padded.
    private static func pack(outputs: Int, inputs: Int, into packed: UnsafeMutablePointer<UInt32>,
                             bits: (_ output: Int, _ input: Int) -> UInt16) {
        let width = PackedLinear.panelWidth, pairs = (inputs + 1) / 2
        let panels = (outputs + width - 1) / width
        ComputePool.shared.parallelFor(count: panels) { panel in
            let destination = packed + panel * pairs * width
            destination.initialize(repeating: 0, count: pairs * width)
            for j in 0..<min(width, outputs - panel * width) {
                let o = panel * width + j
                for i in 0..<inputs {
                    destination[(i / 2) * width + j] |= UInt32(bits(o, i)) << (i % 2 == 0 ? 0 : 16)
                }
            }
        }
    }

    /// The error bound of an output, relative to `Σ_i |x_i·w_i| (+ |b|)` (docs/kernels.md, "bf16 arithmetic"):
    /// rounding each operand to bf16 changes it by at most u_b = 2⁻⁹ relative, so a product by at most
    /// 2u_b + u_b²; the products are exact in float32 (8 × 8 significant bits), and summing k of them (plus the bias
    /// and the add of a previous depth block) in float32 errs by at most γ_(k+2) = (k+2)u / (1 − (k+2)u), u = 2⁻²⁴,
    /// of the rounded magnitudes. With `roundedOperands` the bound of the float32 summation alone (against a
    /// float64 sum of the bf16-rounded operands). bf16 subnormals (|v| < 2⁻¹²⁶) are read as zero by `vdpbf16ps`
    /// and are not covered.
    ///
    /// ```swift
    /// let bound = BF16ArithmeticLinear.errorBound(inputs: 2048)   // ≈ 3.9e-3 (operand rounding dominates)
    /// ```
    public static func errorBound(inputs k: Int, roundedOperands: Bool = false) -> Double {
        let u = 0x1p-24, ub = 0x1p-9
        let n = Double(k + 2)
        let gamma = n * u / (1 - n * u)
        if roundedOperands { return gamma }
        let operands = 2 * ub + ub * ub
        return operands + gamma * (1 + operands)
    }

    /// Computes `y[r, o] = Σ_i bf16(x[r, i])·bf16(W[o, i]) (+ b[o])` for `r < rows` (`y` overwritten), on the pool.
    ///
    /// ```swift
    /// layer.apply(x.baseAddress!, rows: 17, into: y.baseAddress!)
    /// ```
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        if rows <= 0 { return }
        if rows == 1 { applyVector(x, into: y) } else { Self.multiplyPacked([self], x, rows: rows, into: [y]) }
    }

    /// Applies several layers that read the same input in one pass (q/k/v, gate/up), x rounded and packed once.
    ///
    /// ```swift
    /// try BF16ArithmeticLinear.apply([wq, wk, wv], to: h, rows: T, into: [q, k, v])
    /// ```
    public static func apply(_ layers: [BF16ArithmeticLinear], to x: UnsafePointer<Float>, rows: Int,
                             into outputs: [UnsafeMutablePointer<Float>]) throws {
        guard layers.count == outputs.count, let first = layers.first else {
            throw TensorError.sizeMismatch("BF16ArithmeticLinear.apply: \(layers.count) layers for \(outputs.count) outputs")
        }
        guard layers.allSatisfy({ $0.inputs == first.inputs }) else {
            throw TensorError.sizeMismatch(
                "BF16ArithmeticLinear.apply: layers take \(layers.map(\.inputs)) inputs; a shared x needs one input width")
        }
        if rows <= 0 { return }
        if rows == 1 {
            for (layer, y) in zip(layers, outputs) { layer.applyVector(x, into: y) }
        } else {
            multiplyPacked(layers, x, rows: rows, into: outputs)
        }
    }

    /// The matrix path: x rounded and packed once into pair-word tiles, then `PackedLinear`'s task split and loop
    /// nest with the bf16 micro-kernel.
    static func multiplyPacked(_ layers: [BF16ArithmeticLinear], _ x: UnsafePointer<Float>, rows: Int,
                               into outputs: [UnsafeMutablePointer<Float>]) {
        let tileRows = PackedLinear.tileRows, inputs = layers[0].inputs, pairs = layers[0].pairs
        let kernels = layers[0].kernels.pointee
        let rowTiles = (rows + tileRows - 1) / tileRows
        let words = rowTiles * tileRows * pairs
        let packedX = UnsafeMutableRawPointer.allocate(byteCount: max(1, words) * 4, alignment: 64)
            .bindMemory(to: UInt32.self, capacity: max(1, words))
        defer { packedX.deallocate() }
        runPanelTasks(panelCounts: layers.map(\.panelCount), totalOutputs: layers.reduce(0) { $0 + $1.outputs },
                      inputs: inputs, rows: rows) { tiles in
            for t in tiles {
                let first = t * tileRows
                kernels.pack_tile(x + first * inputs, min(tileRows, rows - first), inputs, inputs,
                                  packedX + first * pairs)
            }
        } block: { layer, tiles, panels in
            layers[layer].multiplyBlock(UnsafePointer(packedX), rows: rows, tiles: tiles, panels: panels,
                                        into: outputs[layer])
        }
    }

    /// One task: the 8-row tiles `tiles` of packed x × output panels `panels`. Depth blocks start at even inputs
    /// (`PackedLinear.depthBlock` is even), so block k0 starts at pair k0 / 2.
    func multiplyBlock(_ packedX: UnsafePointer<UInt32>, rows totalRows: Int, tiles tileRange: Range<Int>,
                       panels: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        let width = PackedLinear.panelWidth, tile = PackedLinear.tileRows, pairs = self.pairs
        let micro = kernels.pointee.micro_8x32!
        multiplyPanelBlock(inputs: inputs, outputs: outputs, bias: bias, rows: totalRows, tiles: tileRange,
                           panels: panels, into: y, panel: { p, k0, _ in
            UnsafePointer(storage + p * pairs * width + (k0 / 2) * width)
        }, tile: { b, firstRow, k0, depth, c, ldc, accumulate in
            micro((depth + 1) / 2, packedX + firstRow * pairs + (k0 / 2) * tile, b, width, c, ldc, accumulate ? 1 : 0)
        })
    }

    /// Matrix–vector product for one row: x rounded to pair words once, then each panel streamed once.
    func applyVector(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let width = PackedLinear.panelWidth, pairs = self.pairs, n = outputs
        let kernels = self.kernels.pointee
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: pairs) { rounded in
            kernels.round_pairs(x, inputs, rounded.baseAddress!)
            let xPairs = UnsafePointer(rounded.baseAddress!)
            ComputePool.shared.parallelChunks(total: panelCount, minimumChunk: 8,
                                              maxChunks: ComputePool.shared.threadCount * 2) { range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { sums in
                    for p in range {
                        kernels.gemv_panel(storage + p * pairs * width, pairs, xPairs, sums.baseAddress!)
                        storePanelOutputs(sums.baseAddress!, panel: p, outputs: n, bias: bias, into: y)
                    }
                }
            }
        }
    }
}
