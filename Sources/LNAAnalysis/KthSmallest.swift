/// The k-th smallest value (1-based) of `values`, like `torch.kthvalue`: an in-place three-way quickselect,
/// O(n) on average and robust to the many equal values (zeros) activation probabilities have.
///
/// The input is reordered. `k` must be in `1...values.count`; the values must not be NaN.
///
/// ```swift
/// var v: [Float] = [0.3, 0.1, 0.2]
/// kthSmallest(&v, 2) == 0.2
/// ```
public func kthSmallest(_ values: inout [Float], _ k: Int) -> Float {
    values.withUnsafeMutableBufferPointer { buffer in
        var lo = 0, hi = buffer.count - 1
        let target = k - 1
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // deterministic pivot choice: results never depend on timing
        while lo < hi {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let a = buffer[lo], b = buffer[hi], c = buffer[lo + Int((state >> 33) % UInt64(hi - lo + 1))]
            let pivot = max(min(a, b), min(max(a, b), c))  // median of three
            // Dutch-flag partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                let v = buffer[i]
                if v < pivot { buffer.swapAt(lt, i); lt += 1; i += 1 }
                else if v > pivot { buffer.swapAt(i, gt); gt -= 1 }
                else { i += 1 }
            }
            if target < lt { hi = lt - 1 }
            else if target > gt { lo = gt + 1 }
            else { return pivot }
        }
        return buffer[target]
    }
}

/// The `k` positions with the smallest scores, ties broken by position (a stable sort by (score, index)),
/// returned in that order. Exact, and O(n + k log k): a quickselect finds the k-th score, then one pass
/// collects everything below it and the first tied positions.
///
/// ```swift
/// smallestPositions([0.5, 0.1, 0.1, 0.9], count: 2) == [1, 2]
/// ```
public func smallestPositions(_ scores: [Float], count k: Int) -> [Int] {
    if k <= 0 { return [] }
    if k >= scores.count { return stableOrder(scores, Array(scores.indices)) }
    var scratch = scores
    let kth = kthSmallest(&scratch, k)
    var below = 0
    for s in scores where s < kth { below += 1 }
    var tiesWanted = k - below
    var chosen: [Int] = []
    chosen.reserveCapacity(k)
    for (i, s) in scores.enumerated() {
        if s < kth { chosen.append(i) }
        else if s == kth && tiesWanted > 0 { chosen.append(i); tiesWanted -= 1 }
    }
    return stableOrder(scores, chosen)
}

private func stableOrder(_ scores: [Float], _ positions: [Int]) -> [Int] {
    positions.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
}
