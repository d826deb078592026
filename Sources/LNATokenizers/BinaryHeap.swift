/// An element of a `BinaryHeap`: `precedes` says which of two comes out first.
protocol HeapOrdered {
    func precedes(_ other: Self) -> Bool
}

/// A binary heap (the tokenizers' work queues), statically dispatched on the element's order.
///
/// ```swift
/// var heap = BinaryHeap<Candidate>()
/// heap.push(candidate)
/// let best = heap.pop()
/// ```
struct BinaryHeap<Element: HeapOrdered> {
    private var items: [Element] = []

    init() {}

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ item: Element) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < items.count && items[left].precedes(items[first]) { first = left }
            if right < items.count && items[right].precedes(items[first]) { first = right }
            if first == parent { break }
            items.swapAt(parent, first)
            parent = first
        }
        return top
    }
}
