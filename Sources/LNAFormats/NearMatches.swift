/// Up to `limit` names from `candidates` closest to `name` by edit distance, for "did you mean" messages.
///
/// ```swift
/// nearMatches(for: "blk.0.ffn_gat.weight", in: names)  // ["blk.0.ffn_gate.weight"]
/// ```
public func nearMatches(for name: String, in candidates: some Sequence<String>, limit: Int = 3) -> [String] {
    let target = Array(name.utf8)
    let threshold = max(2, target.count / 3)
    var scored: [(distance: Int, name: String)] = []
    for candidate in candidates {
        let bytes = Array(candidate.utf8)
        if abs(bytes.count - target.count) > threshold { continue }
        let distance = editDistance(target, bytes)
        if distance <= threshold { scored.append((distance, candidate)) }
    }
    return scored.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(limit).map(\.name)
}

/// Levenshtein distance over bytes (two-row dynamic programme).
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
