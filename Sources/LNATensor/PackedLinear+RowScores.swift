import Foundation

// Scoring rows through a vocabulary-sized layer without materialising its outputs.
//
// For an LM head (Gemma: 262,144 × 640) the `rows × outputs` logits of a forward call are hundreds of MB; writing
// them and reading them back for a log-sum-exp costs as much as computing them. Here each task takes a range of
// the vocabulary and walks it in slices of `sliceWidth` outputs: the slice's weights (sliceWidth × inputs floats)
// stay in L2 while every block of `rowBlock` rows is multiplied into a small scratch block, which is folded at
// once, still in cache, into a per-row `LogSumExpAccumulator` (running max, Σ e^(x−max), argmax); the target
// logit is picked up when its slice passes. The weights are read from memory once per call instead of once per
// chunk of rows. Tasks' accumulators are merged in vocabulary order, so results do not depend on scheduling.

/// What scoring one row of logits needs: log Σ e^logit, the target's logit, and the largest logit and its index.
///
/// ```swift
/// let scores = try head.scoreRows(hidden, rows: T, targets: nextTokens)
/// let nll = scores[0].nll              // −log p(target)
/// let greedy = scores[0].argmax        // the predicted next token
/// ```
public struct RowScore: Sendable, Equatable {
    /// log Σ_o e^{logit[o]} over all outputs, in Double.
    public var logSumExp: Double
    /// The logit of the row's target output; NaN when the row has none.
    public var targetLogit: Float
    /// The largest logit of the row.
    public var maximum: Float
    /// The first index of the largest logit (NaN never wins).
    public var argmax: Int

    /// Builds a row score from its parts.
    ///
    /// ```swift
    /// let s = RowScore(logSumExp: 3.2, targetLogit: 1.5, maximum: 2.9, argmax: 17)
    /// ```
    public init(logSumExp: Double, targetLogit: Float, maximum: Float, argmax: Int) {
        self.logSumExp = logSumExp
        self.targetLogit = targetLogit
        self.maximum = maximum
        self.argmax = argmax
    }

    /// −log p(target) = logSumExp − targetLogit (NaN without a target).
    ///
    /// ```swift
    /// let total = scores.map(\.nll).filter { !$0.isNaN }.reduce(0, +)
    /// ```
    public var nll: Double { logSumExp - Double(targetLogit) }

    /// −log p(argmax) = logSumExp − maximum, the NLL of the greedy prediction.
    ///
    /// ```swift
    /// let confidence = exp(-scores[0].topNLL)
    /// ```
    public var topNLL: Double { logSumExp - Double(maximum) }

    /// The score of a materialised row of `count` logits (two vectorised passes), e.g. after hooks edited it.
    ///
    /// ```swift
    /// let s = RowScore(logits: row, count: vocabulary, target: next)
    /// ```
    public init(logits: UnsafePointer<Float>, count: Int, target: Int?) {
        let (lse, best) = logSumExpAndArgmax(logits, count: count)
        self.init(logSumExp: lse, targetLogit: target.map { logits[$0] } ?? .nan,
                  maximum: count > 0 ? logits[best] : -.infinity, argmax: best)
    }
}

/// The steps every sliced scoring path shares (float32 `PackedLinear.scoreRows`, bf16 `BF16ArithmeticLinear.scoreRows`):
/// checking the targets, choosing the number of tasks, and merging the tasks' accumulators in vocabulary order.
enum SlicedScoring {
    /// Throws unless there is one target per row, each −1 or an output index; `layer` names the caller in messages.
    static func check(targets: [Int], rows: Int, outputs: Int, layer: String) throws {
        guard targets.count == rows else {
            throw TensorError.sizeMismatch("\(layer).scoreRows: \(targets.count) targets for \(rows) rows")
        }
        if let bad = targets.first(where: { $0 < -1 || $0 >= outputs }) {
            throw TensorError.invalidArgument(
                "\(layer).scoreRows: target \(bad) is outside 0..<\(outputs) (use -1 for a row without target)")
        }
    }

    /// One task for small products, else several per thread (a neighbour process stealing one core leaves the
    /// other busy), never more than there are slices.
    static func taskCount(rows: Int, outputs: Int, inputs: Int) -> Int {
        let sliceCount = (outputs + PackedLinear.scoringSliceWidth - 1) / PackedLinear.scoringSliceWidth
        return rows * outputs * inputs < 1 << 22 ? 1 : min(sliceCount, ComputePool.shared.threadCount * 4)
    }

    /// Each row's score from the tasks' accumulators, merged in task (= vocabulary) order.
    static func merge(_ partial: [[LogSumExpAccumulator]], targetLogits: [Float]) -> [RowScore] {
        targetLogits.indices.map { r in
            var whole = partial[0][r]
            for task in partial.indices.dropFirst() { whole.merge(partial[task][r]) }
            return RowScore(logSumExp: whole.logSumExp, targetLogit: targetLogits[r], maximum: whole.maximum,
                            argmax: whole.argmax)
        }
    }
}

extension PackedLinear {
    /// Outputs per slice of the fused path: 256 × 640 inputs × 4 bytes = 640 KiB of weights stay in L2.
    static let scoringSliceWidth = 256
    /// Rows per block of the fused path: 64 × 256 logits = 64 KiB of scratch.
    static let scoringRowBlock = 64

    /// Scores `rows` rows of `x` (`rows × inputs`) through this layer without materialising the
    /// `rows × outputs` result: per row the log-sum-exp over all outputs, the largest output and its index, and
    /// the value at `targets[r]` (−1: none). Runs on the shared `ComputePool`.
    ///
    /// Logits are bit-identical to `apply`'s (followed by `transform`, applied to each slice while it is in
    /// cache); the log-sum-exp agrees with a Double two-pass over the materialised row to ~1e-7.
    ///
    /// ```swift
    /// let scores = try head.scoreRows(hidden, rows: 3, targets: [651, 6037, -1])
    /// let capped = try head.scoreRows(hidden, rows: 3, targets: [651, 6037, -1], transform: LogitTransform(softcap: 30))
    /// ```
    public func scoreRows(_ x: UnsafePointer<Float>, rows: Int, targets: [Int],
                          transform: LogitTransform = .identity) throws -> [RowScore] {
        try SlicedScoring.check(targets: targets, rows: rows, outputs: outputs, layer: "PackedLinear")
        if rows <= 0 { return [] }
        let packed = packRows(x, rows: rows)
        let slice = Self.scoringSliceWidth
        let sliceCount = (outputs + slice - 1) / slice
        let taskCount = SlicedScoring.taskCount(rows: rows, outputs: outputs, inputs: inputs)
        var partial = [[LogSumExpAccumulator]](repeating: [], count: taskCount)
        var targetLogits = [Float](repeating: .nan, count: rows)
        targets.withUnsafeBufferPointer { targetBuffer in
            targetLogits.withUnsafeMutableBufferPointer { logitBuffer in
                partial.withUnsafeMutableBufferPointer { partialBuffer in
                    nonisolated(unsafe) let targetsOut = logitBuffer.baseAddress!
                    nonisolated(unsafe) let partialOut = partialBuffer.baseAddress!
                    ComputePool.shared.parallelFor(count: taskCount) { task in
                        let slices = splitRange(sliceCount, parts: taskCount, part: task)
                        let columns = (slices.lowerBound * slice)..<min(outputs, slices.upperBound * slice)
                        partialOut[task] = scoreColumns(packed, columns: columns, targets: targetBuffer.baseAddress!,
                                                        targetLogits: targetsOut, transform: transform)
                    }
                }
            }
        }
        return SlicedScoring.merge(partial, targetLogits: targetLogits)
    }

    /// One task of `scoreRows`: every row over the outputs `columns` (a whole number of slices), slice by slice.
    /// Writes the logit of each row whose target lies in `columns` (no other task does).
    private func scoreColumns(_ x: PackedRows, columns: Range<Int>, targets: UnsafePointer<Int>,
                              targetLogits: UnsafeMutablePointer<Float>,
                              transform: LogitTransform) -> [LogSumExpAccumulator] {
        let rows = x.rows, slice = Self.scoringSliceWidth, tile = Self.tileRows
        let rowBlock = backend == .own ? Self.scoringRowBlock : rows
        var states = [LogSumExpAccumulator](repeating: LogSumExpAccumulator(), count: rows)
        let scratch = allocateAligned(((rowBlock + tile - 1) / tile) * tile * slice)
        defer { scratch.deallocate() }
        for first in stride(from: columns.lowerBound, to: columns.upperBound, by: slice) {
            let sliceColumns = first..<min(columns.upperBound, first + slice)
            for r0 in stride(from: 0, to: rows, by: rowBlock) {
                let blockRows = r0..<min(rows, r0 + rowBlock)
                switch backend {
                case .own:
                    let panels = (first / Self.panelWidth)..<((sliceColumns.upperBound + Self.panelWidth - 1) / Self.panelWidth)
                    multiplyTiles(x, tiles: (r0 / tile)..<((blockRows.upperBound + tile - 1) / tile), panels: panels,
                                  into: scratch, rowStride: slice)
                case .openBLAS:
                    multiplyRowMajor(x, rows: blockRows, outputs: sliceColumns, into: scratch, rowStride: slice)
                }
                for r in blockRows {
                    let values = scratch + (r - r0) * slice
                    if !transform.isIdentity { transform.apply(values, count: sliceColumns.count) }
                    states[r].add(values, count: sliceColumns.count, firstIndex: first)
                    let target = targets[r]
                    if sliceColumns.contains(target) { targetLogits[r] = values[target - first] }
                }
            }
        }
        return states
    }
}
