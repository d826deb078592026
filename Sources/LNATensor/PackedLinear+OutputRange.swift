import COpenBLAS

// A linear layer applied to a block of rows × a range of its outputs, with the input packed once.
//
// This is what a fused consumer of a huge layer needs (the LM head's 262,144 outputs, folded slice by slice
// into a log-sum-exp): it asks for a block of outputs small enough to stay in cache, uses it, and moves on,
// instead of materialising rows × outputs floats. The arithmetic is the one of `apply` (same micro-kernel,
// same depth blocks in the same order), so every value is bit-identical to the full product's.

extension PackedLinear {
    /// Rows of an input laid out once for the layer's backend, for any number of
    /// `apply(_:rows:outputs:into:rowStride:)` calls (own backend: zero-padded 8-row tiles, k-major; OpenBLAS:
    /// a row-major copy).
    ///
    /// ```swift
    /// let packed = head.packRows(x, rows: tokens)
    /// try head.apply(packed, rows: 0..<tokens, outputs: 0..<8192, into: slice, rowStride: 8192)
    /// ```
    public final class PackedRows: @unchecked Sendable {
        // @unchecked: `values` is written only in init and read-only afterwards.
        /// Number of rows packed.
        public let rows: Int
        /// Values per row (the layer's `inputs`).
        public let inputs: Int
        let values: UnsafeMutablePointer<Float>
        let tiled: Bool

        /// Number of 8-row tiles (own backend).
        var tileCount: Int { (rows + PackedLinear.tileRows - 1) / PackedLinear.tileRows }

        init(_ x: UnsafePointer<Float>, rows: Int, inputs: Int, tiled: Bool) {
            self.rows = rows
            self.inputs = inputs
            self.tiled = tiled
            let tile = PackedLinear.tileRows
            let tiles = (rows + tile - 1) / tile
            values = allocateAligned(tiled ? tiles * tile * inputs : rows * inputs)
            guard rows > 0 else { return }
            if !tiled { values.initialize(from: x, count: rows * inputs); return }
            let destination = values
            let work = rows * inputs
            ComputePool.shared.parallelChunks(total: tiles, maxChunks: work < 1 << 16 ? 1 : nil) { range in
                for t in range {
                    let first = t * tile
                    packTile(x + first * inputs, rows: min(tile, rows - first), rowStride: inputs, depth: inputs,
                             into: destination + first * inputs)
                }
            }
        }

        deinit { values.deallocate() }
    }

    /// Lays out `rows × inputs` values of `x` for repeated output-range products (in parallel on the pool).
    ///
    /// ```swift
    /// let packed = layer.packRows(hidden, rows: 512)
    /// ```
    public func packRows(_ x: UnsafePointer<Float>, rows: Int) -> PackedRows {
        PackedRows(x, rows: max(0, rows), inputs: inputs, tiled: backend == .own)
    }

    /// Computes `y[(r − rows.lowerBound)·rowStride + (o − outputs.lowerBound)] = Σ_i x[r, i]·W[o, i] (+ b[o])`
    /// for `r` in `rows` and `o` in `outputs`, on the calling thread (callers split output ranges over the pool).
    ///
    /// Values are bit-identical to those of `apply(_:rows:into:)`. Fastest with `outputs.lowerBound` a multiple
    /// of 32 and `rows.lowerBound` a multiple of 8 (then whole tiles go straight to `y`).
    ///
    /// ```swift
    /// let packed = head.packRows(x, rows: 64)
    /// try head.apply(packed, rows: 0..<64, outputs: 8192..<16384, into: block, rowStride: 8192)
    /// ```
    public func apply(_ x: PackedRows, rows: Range<Int>, outputs range: Range<Int>,
                      into y: UnsafeMutablePointer<Float>, rowStride: Int) throws {
        guard x.inputs == inputs, x.tiled == (backend == .own) else {
            throw TensorError.sizeMismatch(
                "PackedLinear.apply(packed:): rows were packed for \(x.inputs) inputs (\(x.tiled ? "own" : "openBLAS") layout); this layer takes \(inputs) (\(backend))")
        }
        guard rows.lowerBound >= 0, rows.upperBound <= x.rows, range.lowerBound >= 0, range.upperBound <= outputs
        else {
            throw TensorError.invalidArgument(
                "PackedLinear.apply(packed:): rows \(rows) of \(x.rows) and outputs \(range) of \(outputs) out of range")
        }
        guard rowStride >= range.count else {
            throw TensorError.invalidArgument(
                "PackedLinear.apply(packed:): rowStride \(rowStride) is smaller than the \(range.count) outputs asked")
        }
        if rows.isEmpty || range.isEmpty { return }
        switch backend {
        case .openBLAS: multiplyRowMajor(x, rows: rows, outputs: range, into: y, rowStride: rowStride)
        case .own: multiplyOutputRange(x, rows: rows, outputs: range, into: y, rowStride: rowStride)
        }
    }

    /// `apply` for a very wide layer (an LM head): the outputs are walked in slices of 256 whose weights stay in
    /// L2, each slice × block of 64 rows is computed into a small scratch block (accumulated over the depth blocks
    /// in cache) and copied to `y`. The plain path instead accumulates every depth block into `y` itself, whose
    /// rows (262,144 floats apart for Gemma) then travel to memory and back and collide in the same cache sets.
    /// Values are bit-identical to `apply`'s; other backends and single rows go to `apply`.
    ///
    /// ```swift
    /// head.applyBySlices(hidden, rows: 64, into: logits)   // logits: 64 × 262,144 floats
    /// ```
    public func applyBySlices(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard backend == .own, rows > 1 else { apply(x, rows: rows, into: y); return }
        let packed = packRows(x, rows: rows)
        let slice = Self.scoringSliceWidth, rowBlock = Self.scoringRowBlock, tile = Self.tileRows
        let width = Self.panelWidth
        let sliceCount = (outputs + slice - 1) / slice
        let pool = ComputePool.shared
        let taskCount = rows * outputs * inputs < 1 << 22 ? 1 : min(sliceCount, pool.threadCount * 4)
        nonisolated(unsafe) let out = y
        pool.parallelFor(count: taskCount) { task in
            let scratch = allocateAligned(rowBlock * slice)
            defer { scratch.deallocate() }
            for s in splitRange(sliceCount, parts: taskCount, part: task) {
                let first = s * slice, valid = min(slice, outputs - first)
                let panels = (first / width)..<((first + valid + width - 1) / width)
                for r0 in stride(from: 0, to: rows, by: rowBlock) {
                    let end = min(rows, r0 + rowBlock)
                    multiplyTiles(packed, tiles: (r0 / tile)..<((end + tile - 1) / tile), panels: panels,
                                  into: scratch, rowStride: slice)
                    for r in r0..<end { (out + r * outputs + first).update(from: scratch + (r - r0) * slice, count: valid) }
                }
            }
        }
    }

    /// Own backend, any ranges: whole tiles × whole panels into a scratch block, the asked part copied out.
    private func multiplyOutputRange(_ x: PackedRows, rows: Range<Int>, outputs range: Range<Int>,
                                     into y: UnsafeMutablePointer<Float>, rowStride: Int) {
        let tile = Self.tileRows, width = Self.panelWidth
        let tiles = (rows.lowerBound / tile)..<((rows.upperBound + tile - 1) / tile)
        let panels = (range.lowerBound / width)..<((range.upperBound + width - 1) / width)
        // Blocks of ≤ 8 tiles × 16 panels: 64 rows × 512 outputs, 128 KiB of scratch.
        let tileBlock = 8, panelBlock = 16
        let scratch = allocateAligned(tileBlock * tile * panelBlock * width)
        defer { scratch.deallocate() }
        for t0 in stride(from: tiles.lowerBound, to: tiles.upperBound, by: tileBlock) {
            let blockTiles = t0..<min(tiles.upperBound, t0 + tileBlock)
            for p0 in stride(from: panels.lowerBound, to: panels.upperBound, by: panelBlock) {
                let blockPanels = p0..<min(panels.upperBound, p0 + panelBlock)
                let stride = blockPanels.count * width
                multiplyTiles(x, tiles: blockTiles, panels: blockPanels, into: scratch, rowStride: stride)
                let firstRow = max(rows.lowerBound, t0 * tile), endRow = min(rows.upperBound, blockTiles.upperBound * tile)
                let firstColumn = max(range.lowerBound, p0 * width)
                let endColumn = min(range.upperBound, blockPanels.upperBound * width)
                for r in firstRow..<endRow {
                    (y + (r - rows.lowerBound) * rowStride + (firstColumn - range.lowerBound))
                        .update(from: scratch + (r - t0 * tile) * stride + (firstColumn - p0 * width),
                                count: endColumn - firstColumn)
                }
            }
        }
    }

    /// Starts `rows` rows of the 32-output panels `panels` (written whole to `y`, rows `rowStride` floats apart) at
    /// the bias, padding outputs at 0, for micro-kernels that then accumulate; shared by the float32 and bf16 tiles.
    static func fillWithBias(_ bias: UnsafePointer<Float>, outputs: Int, panels: Range<Int>, rows: Int,
                             into y: UnsafeMutablePointer<Float>, rowStride: Int) {
        let width = panelWidth
        for p in panels {
            let first = p * width, valid = min(width, outputs - first)
            for r in 0..<rows {
                let destination = y + r * rowStride + (p - panels.lowerBound) * width
                destination.update(from: bias + first, count: valid)
                if valid < width { (destination + valid).update(repeating: 0, count: width - valid) }
            }
        }
    }

    /// Own backend: the 8-row tiles `tiles` of `x` × the 32-output panels `panels`, written whole (padding rows
    /// and padding outputs included) to `y`, whose rows are `rowStride` ≥ 32·panels.count floats apart and which
    /// has room for 8·tiles.count rows. Same depth blocks, in the same order, as `multiplyBlock`.
    func multiplyTiles(_ x: PackedRows, tiles: Range<Int>, panels: Range<Int>, into y: UnsafeMutablePointer<Float>,
                       rowStride: Int) {
        let k = inputs, width = Self.panelWidth, tile = Self.tileRows
        if let bias { Self.fillWithBias(bias, outputs: outputs, panels: panels, rows: tiles.count * tile, into: y, rowStride: rowStride) }
        for k0 in stride(from: 0, to: k, by: Self.depthBlock) {
            let depth = min(Self.depthBlock, k - k0)
            let accumulate = k0 > 0 || bias != nil
            for p in panels {
                let b = storage + p * width * k + k0 * width
                let c = y + (p - panels.lowerBound) * width
                for t in tiles {
                    microKernel8x32(k: depth, a: x.values + t * tile * k + k0 * tile, b: b, ldb: width,
                                    c: c + (t - tiles.lowerBound) * tile * rowStride, ldc: rowStride,
                                    accumulate: accumulate)
                }
            }
        }
    }

    /// OpenBLAS backend: one `cblas_sgemm` on the row-major weight rows of `range`.
    func multiplyRowMajor(_ x: PackedRows, rows: Range<Int>, outputs range: Range<Int>,
                                  into y: UnsafeMutablePointer<Float>, rowStride: Int) {
        let k = inputs
        var beta: Float = 0
        if let bias {
            for r in 0..<rows.count { (y + r * rowStride).update(from: bias + range.lowerBound, count: range.count) }
            beta = 1
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(range.count), Int32(k),
                    1, x.values + rows.lowerBound * k, Int32(k), storage + range.lowerBound * k, Int32(k), beta,
                    y, Int32(rowStride))
    }
}
