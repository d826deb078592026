/// Adds, per column, how many of the `rows` values are `> 0` to `counts` (`columns` Int64 values): the
/// language-neuron activation counts of the papers (`act(gate_proj(x)) > 0` per token).
///
/// `values` is row-major `[rows, columns]`. Vectorised compare, columns split over the pool's threads.
///
/// ```swift
/// accumulatePositiveCounts(values: act, rows: tokens, columns: intermediate, into: counts)
/// ```
public func accumulatePositiveCounts(values: UnsafePointer<Float>, rows: Int, columns: Int,
                                     into counts: UnsafeMutablePointer<Int64>) {
    forEachColumnBlock(rows: rows, columns: columns) { first, width in
        let raw = UnsafeRawPointer(values)
        var lanes = SIMD16<Int32>()
        let one = SIMD16<Int32>(repeating: 1), zero = SIMD16<Float>()
        if width == 16 {
            for r in 0..<rows {
                let v = raw.loadUnaligned(fromByteOffset: (r * columns + first) * 4, as: SIMD16<Float>.self)
                lanes &+= SIMD16<Int32>().replacing(with: one, where: v .> zero)
            }
        } else {
            for r in 0..<rows {
                for j in 0..<width where values[r * columns + first + j] > 0 { lanes[j] &+= 1 }
            }
        }
        for j in 0..<width { counts[first + j] += Int64(lanes[j]) }
    }
}

/// Adds, per column, the sum of the `rows` values (in Double) to `sums` (`columns` values): mean activations.
///
/// ```swift
/// accumulateColumnSums(values: act, rows: tokens, columns: intermediate, into: sums)
/// ```
public func accumulateColumnSums(values: UnsafePointer<Float>, rows: Int, columns: Int,
                                 into sums: UnsafeMutablePointer<Double>) {
    forEachColumnBlock(rows: rows, columns: columns) { first, width in
        let raw = UnsafeRawPointer(values)
        var low = SIMD8<Double>(), high = SIMD8<Double>()
        if width == 16 {
            for r in 0..<rows {
                let v = raw.loadUnaligned(fromByteOffset: (r * columns + first) * 4, as: SIMD16<Float>.self)
                low += SIMD8<Double>(v.lowHalf)
                high += SIMD8<Double>(v.highHalf)
            }
            for j in 0..<8 {
                sums[first + j] += low[j]
                sums[first + 8 + j] += high[j]
            }
        } else {
            for j in 0..<width {
                var total = 0.0
                for r in 0..<rows { total += Double(values[r * columns + first + j]) }
                sums[first + j] += total
            }
        }
    }
}

/// Calls `body(firstColumn, width)` for 16-column blocks (the last may be narrower), in parallel over blocks.
@inline(__always)
private func forEachColumnBlock(rows: Int, columns: Int, _ body: (Int, Int) -> Void) {
    let blocks = (columns + 15) / 16
    let perBlock = max(1, rows * 16)
    forEachChunk(count: blocks, parallelAbove: max(2, (1 << 16) / perBlock)) { range in
        for block in range { body(block * 16, min(16, columns - block * 16)) }
    }
}
