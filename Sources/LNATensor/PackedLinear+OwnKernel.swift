// The own GEMM: BLIS-style loops around the 8×32 AVX-512 micro-kernel.
//
// Loop nest of one task (a range of output panels × a range of rows):
// x is first packed once, in parallel, into 8-row tiles stored k-major (shared by all tasks); then
//   for each depth block of `depthBlock` inputs        (in practice the whole depth: the weight panel streams from L2)
//     for each row block of `rowBlock` rows            (that part of packed x stays in L2)
//       for each output panel of the task
//         for each 8-row tile → microKernel8x32        (C tile accumulates in y across depth blocks)
// Edge tiles (rows not a multiple of 8, outputs not a multiple of 32) go through a zero-padded scratch tile.

import CLNAKernels

extension PackedLinear {
    /// Inputs per depth block. 4096 covers the whole depth of the MLP products of the supported models (C tiles
    /// are then written once instead of re-read per block). Measured on the Zen 5 target, one core, thread CPU
    /// time (scripts/dev/kernel-bench.sh cpu): the down product [512×2048]·[2048×640]ᵀ went from 55 % to 75–78 %
    /// of the core's FMA peak against 256-input blocks (whose 32 KiB micro-panel stays in L1 but whose C tiles
    /// are re-read 8 times from L2/L3); gate/up shapes gained 2–5 points. The weight panel now streams from L2,
    /// which the core's prefetchers sustain.
    static let depthBlock = 4096
    /// Rows per packed x block (a multiple of `tileRows`).
    static let rowBlock = 128

    func applyMatrix(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        Self.multiplyPacked([self], x, rows: rows, into: [y])
    }

    /// The matrix path for one or several layers reading the same `x`: x is packed once, then the output
    /// panels of all layers are cut into tasks for the pool (`multiplyPackedTasks`).
    static func multiplyPacked(_ layers: [PackedLinear], _ x: UnsafePointer<Float>, rows: Int,
                               into outputs: [UnsafeMutablePointer<Float>]) {
        multiplyPackedTasks(panelCounts: layers.map(\.panelCount), totalOutputs: layers.reduce(0) { $0 + $1.outputs },
                            inputs: layers[0].inputs, x: x, rows: rows) { layer, packedX, tiles, panels in
            layers[layer].multiplyBlock(packedX, rows: rows, tiles: tiles, panels: panels, into: outputs[layer])
        }
    }

    /// One task of `applyMatrix`: the 8-row tiles `tiles` of packed x × output panels `panels`.
    func multiplyBlock(_ packedX: UnsafePointer<Float>, rows totalRows: Int, tiles tileRange: Range<Int>,
                               panels: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        let k = inputs, width = Self.panelWidth
        multiplyPanelBlock(inputs: k, outputs: outputs, bias: bias, rows: totalRows, tiles: tileRange, panels: panels,
                           into: y, panel: { p, k0, _ in UnsafePointer(storage + p * width * k + k0 * width) },
                           tile: float32Tile(packedX, inputs: k))
    }

    /// Matrix–vector product for one row: streams each packed panel once with 8 independent accumulators
    /// (`gemv_panel` of the active kernel set).
    func applyVector(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let k = inputs, n = outputs, width = Self.panelWidth
        ComputePool.shared.parallelChunks(total: panelCount, minimumChunk: 8, maxChunks: ComputePool.shared.threadCount * 2) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { sums in
                for p in range {
                    lna_gemv_panel(storage + p * width * k, k, x, sums.baseAddress!)
                    storePanelOutputs(sums.baseAddress!, panel: p, outputs: n, bias: bias, into: y)
                }
            }
        }
    }
}

/// Copies up to 8 rows × `depth` values (rows `rowStride` apart) into one tile stored k-major
/// (`tile[kk * 8 + r]`), the layout the micro-kernel broadcasts from; missing rows are zero.
///
/// Full tiles walk the depth once, reading the 8 rows side by side and writing the tile sequentially: the
/// row-by-row order wrote each tile cache line 8 times and, for depth 2048 (a 64 KiB tile), spilled to L2
/// between passes (packing was 9–12 % of the down product; now 4–5 %).
func packTile(_ source: UnsafePointer<Float>, rows: Int, rowStride: Int, depth: Int,
              into destination: UnsafeMutablePointer<Float>) {
    let tile = PackedLinear.tileRows
    if rows == tile {
        let s0 = source, s1 = source + rowStride, s2 = source + 2 * rowStride, s3 = source + 3 * rowStride
        let s4 = source + 4 * rowStride, s5 = source + 5 * rowStride, s6 = source + 6 * rowStride
        let s7 = source + 7 * rowStride
        var d = destination
        for kk in 0..<depth {
            d[0] = s0[kk]; d[1] = s1[kk]; d[2] = s2[kk]; d[3] = s3[kk]
            d[4] = s4[kk]; d[5] = s5[kk]; d[6] = s6[kk]; d[7] = s7[kk]
            d += tile
        }
        return
    }
    destination.initialize(repeating: 0, count: tile * depth)
    for r in 0..<rows {
        let src = source + r * rowStride
        for kk in 0..<depth { destination[kk &* tile &+ r] = src[kk] }
    }
}

/// The `part`-th of `parts` near-equal contiguous pieces of `0..<total`.
func splitRange(_ total: Int, parts: Int, part: Int) -> Range<Int> {
    let base = total / parts, extra = total % parts
    let start = part * base + min(part, extra)
    return start..<(start + base + (part < extra ? 1 : 0))
}

/// Packs `x` (`rows × inputs`) once into 8-row tiles, cuts the output panels of several layers (`panelCounts[i]`
/// panels of layer i, `totalOutputs` outputs in all) into tasks, and runs `block(layer, packedX, tiles, panels)`
/// for each on the pool. The float32 and bf16-storage layers share it, so both split work (and round) identically.
///
/// ```swift
/// multiplyPackedTasks(panelCounts: [w.panelCount], totalOutputs: w.outputs, inputs: w.inputs, x: x, rows: 64) {
///     _, packedX, tiles, panels in w.multiplyBlock(packedX, rows: 64, tiles: tiles, panels: panels, into: y)
/// }
/// ```
func multiplyPackedTasks(panelCounts: [Int], totalOutputs: Int, inputs: Int, x: UnsafePointer<Float>, rows: Int,
                         _ block: (_ layer: Int, _ packedX: UnsafePointer<Float>, _ tiles: Range<Int>,
                                   _ panels: Range<Int>) -> Void) {
    let tileRows = PackedLinear.tileRows
    let rowTiles = (rows + tileRows - 1) / tileRows
    let packedX = allocateAligned(rowTiles * tileRows * inputs)
    defer { packedX.deallocate() }
    runPanelTasks(panelCounts: panelCounts, totalOutputs: totalOutputs, inputs: inputs, rows: rows) { tiles in
        for t in tiles {
            let first = t * tileRows
            packTile(x + first * inputs, rows: min(tileRows, rows - first), rowStride: inputs, depth: inputs,
                     into: packedX + first * inputs)
        }
    } block: { layer, tiles, panels in
        block(layer, packedX, tiles, panels)
    }
}

/// The task split of the matrix paths: `pack(tiles)` packs ranges of 8-row tiles of x in parallel, then the
/// output panels of all layers are cut into tasks (output-panel chunks × row-tile chunks) and `block(layer, tiles,
/// panels)` runs each on the pool. Shared by the float32 (`multiplyPackedTasks`) and bf16-arithmetic layers.
func runPanelTasks(panelCounts: [Int], totalOutputs: Int, inputs: Int, rows: Int,
                   pack: (_ tiles: Range<Int>) -> Void,
                   block: (_ layer: Int, _ tiles: Range<Int>, _ panels: Range<Int>) -> Void) {
    let tileRows = PackedLinear.tileRows
    let rowTiles = (rows + tileRows - 1) / tileRows
    let pool = ComputePool.shared
    // Below ~1M multiply-adds (a few µs of work) the dispatch overhead outweighs a second core.
    let threads = rows * totalOutputs * inputs < 1 << 20 ? 1 : pool.threadCount
    pool.parallelChunks(total: rowTiles, maxChunks: threads) { tiles in pack(tiles) }
    // A few tasks per thread keep both cores busy when a neighbour process steals time from one; each layer
    // gets tasks in proportion to its panels.
    let targetTasks = threads == 1 ? 1 : threads * 4
    let totalPanels = panelCounts.reduce(0, +)
    var tasks: [(layer: Int, panels: Range<Int>, tiles: Range<Int>)] = []
    for (index, panelCount) in panelCounts.enumerated() {
        let share = max(1, (targetTasks * panelCount + totalPanels - 1) / totalPanels)
        let panelChunks = min(panelCount, share)
        let rowChunks = min(rowTiles, max(1, share / panelChunks))
        for task in 0..<(panelChunks * rowChunks) {
            tasks.append((index, splitRange(panelCount, parts: panelChunks, part: task % panelChunks),
                          splitRange(rowTiles, parts: rowChunks, part: task / panelChunks)))
        }
    }
    pool.parallelFor(count: tasks.count) { index in
        let task = tasks[index]
        block(task.layer, task.tiles, task.panels)
    }
}

/// The loop nest of one GEMM task, shared by the float32, bf16-storage and bf16-arithmetic layers: for each depth
/// block, each row block, each output panel (`panel(p, k0, depth)` gives its micro-panel: the packed weights
/// themselves, or a bf16 panel widened into scratch), each 8-row tile → `tile(panel, firstRow, k0, depth, c, ldc,
/// accumulate)` (a micro-kernel call); C accumulates in `y` across depth blocks, after `bias` has been written into
/// it. Edge tiles go through a zero-padded scratch tile.
@inline(__always)
func multiplyPanelBlock<Panel>(inputs k: Int, outputs n: Int, bias: UnsafePointer<Float>?, rows totalRows: Int,
                               tiles tileRange: Range<Int>, panels: Range<Int>, into y: UnsafeMutablePointer<Float>,
                               panel: (_ p: Int, _ k0: Int, _ depth: Int) -> Panel,
                               tile kernel: (_ panel: Panel, _ firstRow: Int, _ k0: Int, _ depth: Int,
                                             _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) -> Void) {
    let width = PackedLinear.panelWidth, tile = PackedLinear.tileRows
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
                    let b = panel(p, k0, depth)
                    let firstColumn = p * width
                    let validColumns = min(width, n - firstColumn)
                    for t in 0..<tiles {
                        let firstRow = m0 + t * tile
                        let validRows = min(tile, m0 + blockRows - firstRow)
                        let c = y + firstRow * n + firstColumn
                        if validRows == tile && validColumns == width {
                            kernel(b, firstRow, k0, depth, c, n, accumulate)
                        } else {
                            edge.initialize(repeating: 0, count: tile * width)
                            if accumulate {
                                for r in 0..<validRows { (edge + r * width).update(from: c + r * n, count: validColumns) }
                            }
                            kernel(b, firstRow, k0, depth, edge, width, true)
                            for r in 0..<validRows { (c + r * n).update(from: edge + r * width, count: validColumns) }
                        }
                    }
                }
            }
        }
    }
}

/// The float32 micro-kernel call of one tile for `multiplyPanelBlock`: x packed in float32 8-row tiles.
@inline(__always)
func float32Tile(_ packedX: UnsafePointer<Float>, inputs k: Int) -> (UnsafePointer<Float>, Int, Int, Int,
                                                                      UnsafeMutablePointer<Float>, Int, Bool) -> Void {
    { b, firstRow, k0, depth, c, ldc, accumulate in
        microKernel8x32(k: depth, a: packedX + firstRow * k + k0 * PackedLinear.tileRows, b: b,
                        ldb: PackedLinear.panelWidth, c: c, ldc: ldc, accumulate: accumulate)
    }
}

/// Adds the bias of output panel `panel` (32 outputs, the last one partial) to its 32 sums (from a `gemv_panel`
/// kernel) and stores them into `y`: the end of the matrix–vector products of the float32 and bf16 layers.
@inline(__always)
func storePanelOutputs(_ sums: UnsafeMutablePointer<Float>, panel p: Int, outputs n: Int,
                       bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
    let width = PackedLinear.panelWidth, first = p * width
    let count = min(width, n - first)
    if let bias { for j in 0..<count { sums[j] += bias[first + j] } }
    (y + first).update(from: sums, count: count)
}
