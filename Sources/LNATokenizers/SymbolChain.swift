/// A queued merge of two adjacent symbols. `size` (the bytes the pair covers when queued) tells a stale entry:
/// once either side has been merged with something else, the sizes no longer add up.
protocol QueuedPair: HeapOrdered {
    var left: Int32 { get }
    var right: Int32 { get }
    var size: Int32 { get }
}

/// The symbols of one word as a doubly linked list over byte ranges, and the merge loop both BPE variants share
/// (llama.cpp's `llm_tokenizer_bpe_session` and `llm_tokenizer_spm_session`): queue every adjacent pair the model
/// can merge, then repeatedly merge the pair that comes first and queue the new pairs around it.
///
/// ```swift
/// var chain = SymbolChain(byteCount: word.count) { offset in 1 }
/// chain.mergeAll(pair: { left, right, start, size in … }, merged: { pair in … })
/// chain.forEachSymbol { symbol, start, length in … }
/// ```
struct SymbolChain {
    private(set) var starts: [Int32] = []
    /// Bytes per symbol; 0 for a symbol merged into its left neighbour.
    private(set) var lengths: [Int32] = []
    private var previous: [Int32]
    private var next: [Int32]

    /// Cuts `byteCount` bytes into initial symbols of `symbolLength(offset)` bytes each.
    init(byteCount: Int, symbolLength: (Int) -> Int) {
        starts.reserveCapacity(byteCount)
        lengths.reserveCapacity(byteCount)
        var offset = 0
        while offset < byteCount {
            let length = min(symbolLength(offset), byteCount - offset)
            starts.append(Int32(offset))
            lengths.append(Int32(length))
            offset += length
        }
        let count = starts.count
        previous = (0..<count).map { Int32($0) - 1 }
        next = (0..<count).map { $0 + 1 == count ? Int32(-1) : Int32($0 + 1) }
    }

    var count: Int { starts.count }

    /// Merges until no queued pair is left. `pair(left, right, start, size)` is the queue entry for two adjacent
    /// symbols (nil: they cannot merge); `merged` hears of each merge before the pairs around it are queued.
    mutating func mergeAll<Pair: QueuedPair>(pair: (_ left: Int32, _ right: Int32, _ start: Int, _ size: Int32) -> Pair?,
                                             merged: (Pair) -> Void) {
        var heap = BinaryHeap<Pair>()
        func consider(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let size = lengths[Int(left)] + lengths[Int(right)]
            if let entry = pair(left, right, Int(starts[Int(left)]), size) { heap.push(entry) }
        }
        for index in 1..<max(count, 1) { consider(Int32(index - 1), Int32(index)) }
        while let best = heap.pop() {
            let left = Int(best.left), right = Int(best.right)
            guard lengths[left] > 0, lengths[right] > 0, lengths[left] + lengths[right] == best.size else { continue }
            merged(best)
            lengths[left] += lengths[right]
            lengths[right] = 0
            next[left] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = Int32(left) }
            consider(previous[left], Int32(left))
            consider(Int32(left), next[left])
        }
    }

    /// The symbols left after merging, in order: index, first byte, byte count.
    func forEachSymbol(_ body: (_ symbol: Int, _ start: Int, _ length: Int) -> Void) {
        guard count > 0 else { return }
        var index: Int32 = 0
        while index != -1 {
            let symbol = Int(index)
            body(symbol, Int(starts[symbol]), Int(lengths[symbol]))
            index = next[symbol]
        }
    }
}
