/// The Unigram model of tokenizer.json (SentencePiece Unigram as Hugging Face `tokenizers` runs it): the
/// segmentation of a word with the highest total piece score (Viterbi over UTF-8 byte positions).
///
/// Exactly as `tokenizers` (`Unigram::encode_optimized`): at every character boundary, each piece that starts
/// there (found by walking a byte trie, shortest first) offers `score(path so far) + score(piece)` to the position
/// where it ends, replacing the incumbent only when strictly better; a character with no single-character piece
/// offers the unknown token with score `min(score) - 10`. Scores are added in `Double`, like the `f64` original.
/// Backtracking fuses consecutive unknown tokens into one; an unknown stretch then becomes its `<0xNN>` byte
/// tokens when `byte_fallback` is set and all of them exist, else the unknown id.
///
/// ```swift
/// let model = UnigramModel(pieces: [("<unk>", 0), ("a", -1), ("b", -1), ("ab", -1.5)], unknownID: 0,
///                          byteFallback: false)
/// var ids: [Int] = []
/// model.encodeWord(Array("abc".utf8), into: &ids)   // [3, 0]
/// ```
struct UnigramModel: Sendable {
    /// Trie edges: (node << 8 | byte) → child node.
    private let edges: [UInt64: Int32]
    /// Node → token id of the piece ending there, or -1.
    private let terminal: [Int32]
    private let scores: [Double]
    private let unknownID: Int?
    private let unknownScore: Double
    /// `<0xNN>` token per byte value when byte fallback is on and the token exists, else -1.
    private let byteTokens: [Int32]
    private let byteFallback: Bool

    init(pieces: [(String, Double)], unknownID: Int?, byteFallback: Bool) {
        var edges: [UInt64: Int32] = [:]
        var terminal: [Int32] = [-1]
        for (id, piece) in pieces.enumerated() {
            var node: Int32 = 0
            for byte in piece.0.utf8 {
                let key = UInt64(node) << 8 | UInt64(byte)
                if let child = edges[key] {
                    node = child
                } else {
                    let child = Int32(terminal.count)
                    terminal.append(-1)
                    edges[key] = child
                    node = child
                }
            }
            // `tokenizers` maps a duplicated piece to its last id.
            if node != 0 { terminal[Int(node)] = Int32(id) }
        }
        self.edges = edges
        self.terminal = terminal
        scores = pieces.map(\.1)
        self.unknownID = unknownID
        unknownScore = (pieces.map(\.1).min() ?? 0) - 10
        self.byteFallback = byteFallback
        let hex = Array("0123456789ABCDEF")
        var byteTokens = [Int32](repeating: -1, count: 256)
        if byteFallback {
            var lookup: [String: Int32] = [:]
            for (id, piece) in pieces.enumerated() where piece.0.utf8.count == 6 && piece.0.hasPrefix("<0x") {
                lookup[piece.0] = Int32(id)
            }
            for byte in 0..<256 { byteTokens[byte] = lookup["<0x\(hex[byte >> 4])\(hex[byte & 15])>"] ?? -1 }
        }
        self.byteTokens = byteTokens
    }

    /// The token id of exactly `bytes`, or -1.
    private func token(_ bytes: ArraySlice<UInt8>) -> Int32 {
        var node: Int32 = 0
        for byte in bytes {
            guard let child = edges[UInt64(node) << 8 | UInt64(byte)] else { return -1 }
            node = child
        }
        return node == 0 ? -1 : terminal[Int(node)]
    }

    func encodeWord(_ word: [UInt8], into output: inout [Int]) {
        guard !word.isEmpty else { return }
        let size = word.count
        // Best path ending at each byte position: score, start of its last piece (-1: unreached), piece id.
        var bestScore = [Double](repeating: 0, count: size + 1)
        var bestStart = [Int](repeating: -1, count: size + 1)
        var bestID = [Int](repeating: -1, count: size + 1)
        var start = 0
        while start < size {
            let scoreHere = bestScore[start]
            let characterLength = min(utf8SequenceLength(word[start]), size - start)
            var hasSingleCharacterPiece = false
            var node: Int32 = 0
            var end = start
            while end < size, let child = edges[UInt64(node) << 8 | UInt64(word[end])] {
                node = child
                end += 1
                let id = terminal[Int(node)]
                guard id >= 0 else { continue }
                let candidate = scoreHere + scores[Int(id)]
                if bestStart[end] < 0 || candidate > bestScore[end] {
                    bestScore[end] = candidate
                    bestStart[end] = start
                    bestID[end] = Int(id)
                }
                if end - start == characterLength { hasSingleCharacterPiece = true }
            }
            if !hasSingleCharacterPiece {
                let end = start + characterLength
                let candidate = scoreHere + unknownScore
                if bestStart[end] < 0 || candidate > bestScore[end] {
                    bestScore[end] = candidate
                    bestStart[end] = start
                    bestID[end] = unknownID ?? -1
                }
            }
            start += characterLength
        }
        // Backtrack; a run of unknown pieces becomes one piece covering them all.
        var pieces: [(range: Range<Int>, id: Int)] = []
        var end = size
        var unknownEnd: Int?
        while end > 0 {
            let pieceStart = bestStart[end]
            guard pieceStart >= 0 else { break }
            let id = bestID[end]
            if id == (unknownID ?? -1) {
                if unknownEnd == nil { unknownEnd = end }
            } else {
                if let stretchEnd = unknownEnd { pieces.append((end..<stretchEnd, unknownID ?? -1)); unknownEnd = nil }
                pieces.append((pieceStart..<end, id))
            }
            end = pieceStart
        }
        if let stretchEnd = unknownEnd { pieces.append((0..<stretchEnd, unknownID ?? -1)) }
        for piece in pieces.reversed() {
            if piece.id >= 0 && piece.id != unknownID {
                output.append(piece.id)
                continue
            }
            // An unknown stretch: the piece if the fused text happens to be one, else bytes, else <unk>.
            let exact = token(word[piece.range])
            if exact >= 0 {
                output.append(Int(exact))
            } else if byteFallback, word[piece.range].allSatisfy({ byteTokens[Int($0)] >= 0 }) {
                for byte in word[piece.range] { output.append(Int(byteTokens[Int(byte)])) }
            } else if let unknownID {
                output.append(unknownID)
            }
        }
    }
}
