/// llama.cpp's SentencePiece-style tokenizer (`llm_tokenizer_spm`): start from UTF-8 characters and keep merging
/// the adjacent pair whose concatenation is the vocabulary entry with the highest *score* (ties: leftmost), then
/// emit byte tokens `<0xNN>` for whatever is not in the vocabulary.
///
/// ```swift
/// var output: [Int] = []
/// model.encode(Array("▁hello".utf8), into: &output)
/// ```
struct ScorePieceModel: Sendable {
    let tokens: ByteStringTable
    let scores: [Float]
    /// Token of each byte value: `<0xNN>`, else the one-byte string, else -1.
    let byteTokens: [Int32]

    init(tokens: ByteStringTable, scores: [Float], byteTokens: [Int32]) {
        self.tokens = tokens
        self.scores = scores
        self.byteTokens = byteTokens
    }

    private struct Candidate {
        var score: Float
        var left: Int32
        var right: Int32
        var size: Int32

        /// Heap order: higher score first, then the leftmost pair.
        @inline(__always) func precedes(_ other: Candidate) -> Bool {
            score > other.score || (score == other.score && left < other.left)
        }
    }

    func encode(_ text: [UInt8], into output: inout [Int]) {
        guard !text.isEmpty else { return }
        text.withUnsafeBufferPointer { bytes in
            var starts: [Int32] = []
            var lengths: [Int32] = []
            starts.reserveCapacity(bytes.count)
            lengths.reserveCapacity(bytes.count)
            var offset = 0
            while offset < bytes.count {
                let length = min(utf8SequenceLength(bytes[offset]), bytes.count - offset)
                starts.append(Int32(offset))
                lengths.append(Int32(length))
                offset += length
            }
            let count = starts.count
            var previous = (0..<count).map { Int32($0) - 1 }
            var next = (0..<count).map { $0 + 1 == count ? Int32(-1) : Int32($0 + 1) }
            var heap = BinaryHeap<Candidate> { $0.precedes($1) }

            func consider(_ left: Int32, _ right: Int32) {
                guard left >= 0, right >= 0 else { return }
                let start = Int(starts[Int(left)])
                let size = Int(lengths[Int(left)] + lengths[Int(right)])
                let token = tokens.lookup(UnsafeBufferPointer(rebasing: bytes[start..<start + size]))
                guard token >= 0 else { return }
                heap.push(Candidate(score: scores[Int(token)], left: left, right: right, size: Int32(size)))
            }

            for index in 1..<max(count, 1) { consider(Int32(index - 1), Int32(index)) }
            while let best = heap.pop() {
                let left = Int(best.left), right = Int(best.right)
                // A pair is stale when either side was merged since it was queued.
                guard lengths[left] > 0, lengths[right] > 0, lengths[left] + lengths[right] == best.size else { continue }
                lengths[left] += lengths[right]
                lengths[right] = 0
                next[left] = next[right]
                if next[right] >= 0 { previous[Int(next[right])] = Int32(left) }
                consider(previous[left], Int32(left))
                consider(Int32(left), next[left])
            }

            var index: Int32 = 0
            while index != -1 {
                let start = Int(starts[Int(index)])
                let piece = UnsafeBufferPointer(rebasing: bytes[start..<start + Int(lengths[Int(index)])])
                let token = tokens.lookup(piece)
                if token >= 0 {
                    output.append(Int(token))
                } else {
                    for byte in piece where byteTokens[Int(byte)] >= 0 { output.append(Int(byteTokens[Int(byte)])) }
                }
                index = next[Int(index)]
            }
        }
    }
}

/// Length of the UTF-8 sequence a lead byte announces (llama.cpp's `unicode_len_utf8`).
@inline(__always)
func utf8SequenceLength(_ lead: UInt8) -> Int {
    switch lead >> 4 {
    case 0xC, 0xD: return 2
    case 0xE: return 3
    case 0xF: return 4
    default: return 1
    }
}
