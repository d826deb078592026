// A vocabulary-sized bf16-arithmetic layer (the LM head under `--precision bf16`) applied slice by slice: the
// fused scoring of `PackedLinear+RowScores.swift` and the sliced logits of `applyBySlices`, with the bf16
// micro-kernel. x is rounded and packed once into pair-word tiles; each task walks its range of the vocabulary
// in slices of `PackedLinear.scoringSliceWidth` outputs (256 × 640 inputs × 2 bytes = 320 KiB of weights in L2),
// multiplies every block of `scoringRowBlock` rows into a small scratch block, and folds it while in cache
// (scoring) or copies it out (logits). Depth blocks and their order are those of `apply`, so every logit is
// bit-identical to `apply`'s; the tasks' accumulators merge in vocabulary order, independent of scheduling.

extension BF16ArithmeticLinear {
    /// Scores `rows` rows of `x` (`rows × inputs`) through this layer without materialising the `rows × outputs`
    /// result, as `PackedLinear.scoreRows` does: per row the log-sum-exp over all outputs, the largest output and
    /// its index, and the value at `targets[r]` (−1: none). Logits are bit-identical to `apply`'s (then
    /// `transform`) for more than one row (one row's `apply` is the GEMV, whose sums may differ in the last bit);
    /// each is within `errorBound(inputs:)` of the exact product (docs/kernels.md).
    ///
    /// ```swift
    /// let scores = try head.scoreRows(hidden, rows: 3, targets: [651, 6037, -1])
    /// ```
    public func scoreRows(_ x: UnsafePointer<Float>, rows: Int, targets: [Int],
                          transform: LogitTransform = .identity) throws -> [RowScore] {
        try SlicedScoring.check(targets: targets, rows: rows, outputs: outputs, layer: "BF16ArithmeticLinear")
        if rows <= 0 { return [] }
        let taskCount = SlicedScoring.taskCount(rows: rows, outputs: outputs, inputs: inputs)
        var partial = [[LogSumExpAccumulator]](repeating: [], count: taskCount)
        var targetLogits = [Float](repeating: .nan, count: rows)
        withPackedRows(x, rows: rows) { packedX in
            targets.withUnsafeBufferPointer { targetBuffer in
                targetLogits.withUnsafeMutableBufferPointer { logitBuffer in
                    partial.withUnsafeMutableBufferPointer { partialBuffer in
                        nonisolated(unsafe) let targetsOut = logitBuffer.baseAddress!
                        nonisolated(unsafe) let partialOut = partialBuffer.baseAddress!
                        let targetsIn = targetBuffer.baseAddress!
                        ComputePool.shared.parallelFor(count: taskCount) { task in
                            var states = [LogSumExpAccumulator](repeating: LogSumExpAccumulator(), count: rows)
                            forEachSliceBlock(packedX, rows: rows, task: task, of: taskCount) { values, row, first, count in
                                if !transform.isIdentity { transform.apply(values, count: count) }
                                states[row].add(values, count: count, firstIndex: first)
                                let target = targetsIn[row]
                                if target >= first && target < first + count { targetsOut[row] = values[target - first] }
                            }
                            partialOut[task] = states
                        }
                    }
                }
            }
        }
        return SlicedScoring.merge(partial, targetLogits: targetLogits)
    }

    /// `apply` for a very wide layer (an LM head): the outputs walked in slices whose weights stay in L2, each
    /// slice × block of rows computed into a small scratch block and copied to `y` (`rows × outputs`). Values are
    /// bit-identical to `apply`'s; a single row goes to `apply` (the GEMV).
    ///
    /// ```swift
    /// head.applyBySlices(hidden, rows: 64, into: logits)   // logits: 64 × 262,144 floats
    /// ```
    public func applyBySlices(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 1 else { apply(x, rows: rows, into: y); return }
        let taskCount = SlicedScoring.taskCount(rows: rows, outputs: outputs, inputs: inputs), n = outputs
        nonisolated(unsafe) let out = y
        withPackedRows(x, rows: rows) { packedX in
            ComputePool.shared.parallelFor(count: taskCount) { task in
                forEachSliceBlock(packedX, rows: rows, task: task, of: taskCount) { values, row, first, count in
                    (out + row * n + first).update(from: values, count: count)
                }
            }
        }
    }

    /// x rounded to bf16 and packed once into zero-padded 8-row tiles of pair words (in parallel), for `body`.
    private func withPackedRows(_ x: UnsafePointer<Float>, rows: Int, _ body: (UnsafePointer<UInt32>) -> Void) {
        let tile = PackedLinear.tileRows, inputs = self.inputs, pairs = self.pairs
        let pack = kernels.pointee.pack_tile!
        let tiles = (rows + tile - 1) / tile
        let words = tiles * tile * pairs
        let packedX = UnsafeMutableRawPointer.allocate(byteCount: max(1, words) * 4, alignment: 64)
            .bindMemory(to: UInt32.self, capacity: max(1, words))
        defer { packedX.deallocate() }
        nonisolated(unsafe) let destination = packedX
        ComputePool.shared.parallelChunks(total: tiles, maxChunks: rows * inputs < 1 << 16 ? 1 : nil) { range in
            for t in range {
                let first = t * tile
                pack(x + first * inputs, min(tile, rows - first), inputs, inputs, destination + first * pairs)
            }
        }
        body(UnsafePointer(packedX))
    }

    /// One task of the sliced paths: its share of the slices, each × every block of rows into scratch, then
    /// `use(values, row, firstOutput, count)` for each row of the block while the block is in cache.
    private func forEachSliceBlock(_ packedX: UnsafePointer<UInt32>, rows: Int, task: Int, of taskCount: Int,
                                   _ use: (UnsafeMutablePointer<Float>, Int, Int, Int) -> Void) {
        let slice = PackedLinear.scoringSliceWidth, rowBlock = PackedLinear.scoringRowBlock
        let tile = PackedLinear.tileRows, width = PackedLinear.panelWidth
        let sliceCount = (outputs + slice - 1) / slice
        let scratch = allocateAligned(((rowBlock + tile - 1) / tile) * tile * slice)
        defer { scratch.deallocate() }
        for s in splitRange(sliceCount, parts: taskCount, part: task) {
            let first = s * slice, count = min(slice, outputs - first)
            let panels = (first / width)..<((first + count + width - 1) / width)
            for r0 in stride(from: 0, to: rows, by: rowBlock) {
                let end = min(rows, r0 + rowBlock)
                multiplyTiles(packedX, tiles: (r0 / tile)..<((end + tile - 1) / tile), panels: panels,
                              into: scratch, rowStride: slice)
                for r in r0..<end { use(scratch + (r - r0) * slice, r, first, count) }
            }
        }
    }

    /// The 8-row tiles `tiles` of packed x × the 32-output panels `panels`, written whole (padding included) to
    /// `y` (rows `rowStride` floats apart). Same depth blocks, in the same order, as `multiplyBlock`.
    private func multiplyTiles(_ packedX: UnsafePointer<UInt32>, tiles: Range<Int>, panels: Range<Int>,
                               into y: UnsafeMutablePointer<Float>, rowStride: Int) {
        let width = PackedLinear.panelWidth, tile = PackedLinear.tileRows, pairs = self.pairs
        let micro = kernels.pointee.micro_8x32!
        if let bias {
            PackedLinear.fillWithBias(bias, outputs: outputs, panels: panels, rows: tiles.count * tile, into: y,
                                      rowStride: rowStride)
        }
        for k0 in stride(from: 0, to: inputs, by: PackedLinear.depthBlock) {
            let depth = min(PackedLinear.depthBlock, inputs - k0)
            let accumulate: Int32 = k0 > 0 || bias != nil ? 1 : 0
            for p in panels {
                let b = UnsafePointer(storage + p * pairs * width + (k0 / 2) * width)
                let c = y + (p - panels.lowerBound) * width
                for t in tiles {
                    micro((depth + 1) / 2, packedX + t * tile * pairs + (k0 / 2) * tile, b, width,
                          c + (t - tiles.lowerBound) * tile * rowStride, rowStride, accumulate)
                }
            }
        }
    }
}
