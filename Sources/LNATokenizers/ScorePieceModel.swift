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

    private struct Candidate: QueuedPair {
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
            var chain = SymbolChain(byteCount: bytes.count) { utf8SequenceLength(bytes[$0]) }
            // A pair merges when its concatenation is a vocabulary entry; the best score goes first.
            chain.mergeAll(pair: { left, right, start, size -> Candidate? in
                let token = tokens.lookup(UnsafeBufferPointer(rebasing: bytes[start..<start + Int(size)]))
                guard token >= 0 else { return nil }
                return Candidate(score: scores[Int(token)], left: left, right: right, size: size)
            }, merged: { (_: Candidate) in })

            chain.forEachSymbol { _, start, length in
                let piece = UnsafeBufferPointer(rebasing: bytes[start..<start + length])
                let token = tokens.lookup(piece)
                if token >= 0 {
                    output.append(Int(token))
                } else {
                    for byte in piece where byteTokens[Int(byte)] >= 0 { output.append(Int(byteTokens[Int(byte)])) }
                }
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
