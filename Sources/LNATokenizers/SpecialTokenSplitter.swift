/// Splits user-defined tokens out of the text before the tokenizer's algorithm runs, the way llama.cpp's
/// `tokenizer_st_partition` does with `parse_special = false`: user-defined tokens are cut out, longest token
/// first over the whole text, each at every non-overlapping occurrence from the left; control and unknown tokens
/// stay ordinary text.
///
/// ```swift
/// let splitter = SpecialTokenSplitter(tokens: [("\n", 107)])
/// splitter.split(Array("a\nb".utf8))   // [.text(0..<1), .token(107), .text(2..<3)]
/// ```
struct SpecialTokenSplitter: Sendable {
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    /// Token bytes and ids, longest first (ties: lower id first).
    let tokens: [(bytes: [UInt8], id: Int)]

    init(tokens: [(bytes: [UInt8], id: Int)]) {
        self.tokens = tokens.filter { !$0.bytes.isEmpty }.sorted {
            $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id
        }
    }

    func split(_ text: [UInt8]) -> [Fragment] {
        guard !text.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<text.count)]
        guard !tokens.isEmpty else { return fragments }
        var present = [Bool](repeating: false, count: 256)
        for byte in text { present[Int(byte)] = true }
        text.withUnsafeBufferPointer { bytes in
            for (tokenBytes, id) in tokens where present[Int(tokenBytes[0])] {
                var refined: [Fragment] = []
                refined.reserveCapacity(fragments.count + 2)
                for fragment in fragments {
                    guard case .text(let range) = fragment else {
                        refined.append(fragment)
                        continue
                    }
                    var start = range.lowerBound
                    while let match = Self.find(tokenBytes, in: bytes, from: start, to: range.upperBound) {
                        if match > start { refined.append(.text(start..<match)) }
                        refined.append(.token(id))
                        start = match + tokenBytes.count
                    }
                    if start < range.upperBound { refined.append(.text(start..<range.upperBound)) }
                }
                fragments = refined
            }
        }
        return fragments
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        let count = needle.count
        guard to - from >= count else { return nil }
        let first = needle[0]
        var position = from
        while position <= to - count {
            if haystack[position] == first {
                var matches = true
                for offset in 1..<max(count, 1) where haystack[position + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return position }
            }
            position += 1
        }
        return nil
    }
}
