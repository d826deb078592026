/// BPE by merge ranks (llama.cpp's `llm_tokenizer_bpe_session`, Hugging Face's `BPE` model): start from single
/// symbols and keep applying the lowest-ranked merge among adjacent pairs (ties: leftmost).
///
/// Strings are interned: every token (as raw bytes), merge side and merge result gets a small integer, so the
/// merge table is keyed by two integers and the loop never builds strings.
///
/// ```swift
/// let model = try MergeModel(tokens: ["a", "b", "ab"], merges: ["a b"], byteLevel: false, source: "test")
/// var ids: [Int] = []
/// model.encodeWord(Array("ab".utf8), into: &ids)   // [2]
/// ```
struct MergeModel: Sendable {
    struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    /// Raw bytes → intern id.
    let interned: ByteStringTable
    /// Intern id → token id or -1.
    let internToToken: [Int32]
    /// (left intern id << 32 | right intern id) → merge.
    let merges: [UInt64: Merge]
    /// Whether initial symbols are single bytes (GPT-2 byte level) rather than UTF-8 characters.
    let byteLevel: Bool
    /// Whether a word that is a token is emitted without merging (Llama 3).
    let ignoreMerges: Bool
    /// Per byte value, the token used when a final symbol is not in the vocabulary (-1: drop the byte).
    let fallbackByteTokens: [Int32]
    /// tokenizer.json BPE: what a character without a token becomes (nil: llama.cpp's per-byte fallback above).
    let unknownPolicy: UnknownCharacterPolicy?

    /// Hugging Face `BPE`'s rule for a character that is not a token: its `<0xNN>` tokens when `byte_fallback` is
    /// on and all of them exist, else the unknown token (consecutive ones fused into one when `fuse_unk`), else
    /// nothing.
    struct UnknownCharacterPolicy: Sendable {
        /// `<0xNN>` per byte value, -1 where missing (all -1 without byte fallback).
        let byteTokens: [Int32]
        let unknownID: Int32?
        let fuse: Bool
    }

    /// - Parameters:
    ///   - tokens: vocabulary strings as stored; for `byteLevel` they are decoded from the GPT-2 alphabet (strings
    ///     outside it, such as added tokens with spaces, cannot come out of merges and are left out).
    ///   - merges: "left right" strings, best first; a duplicate pair keeps its first rank.
    init(tokens: [String], merges: [String], byteLevel: Bool, ignoreMerges: Bool = false,
         fallbackByteTokens: [Int32], unknownPolicy: UnknownCharacterPolicy? = nil, source: String) throws {
        var builder = ByteStringTable.Builder()
        var internToToken: [Int32] = []
        func intern(_ bytes: [UInt8]) -> Int32 {
            let id = builder.insert(bytes, value: Int32(internToToken.count))
            if id == Int32(internToToken.count) { internToToken.append(-1) }
            return id
        }
        // Byte arrays throughout: slicing a String at a scalar that is not a Character boundary (a merge side
        // starting with a combining mark) would round the index.
        func raw(_ utf8: ArraySlice<UInt8>) -> [UInt8]? {
            byteLevel ? ByteLevelAlphabet.decode(String(decoding: utf8, as: UTF8.self)) : Array(utf8)
        }
        for (id, token) in tokens.enumerated() {
            guard let bytes = raw(Array(token.utf8)[...]) else { continue }
            let internID = intern(bytes)
            if internToToken[Int(internID)] < 0 { internToToken[Int(internID)] = Int32(id) }
        }
        var table: [UInt64: Merge] = [:]
        table.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            // llama.cpp splits at the first space after the first byte, so a merge may start with a space.
            let utf8 = Array(merge.utf8)
            guard let separator = utf8.dropFirst().firstIndex(of: 0x20) else {
                throw TokenizerError.invalidVocabulary(source: source, key: "merges[\(rank)]",
                                                       expected: "\"left right\", found \"\(merge)\"")
            }
            guard let leftBytes = raw(utf8[..<separator]), let rightBytes = raw(utf8[(separator + 1)...]) else {
                continue
            }
            let key = UInt64(UInt32(intern(leftBytes))) << 32 | UInt64(UInt32(intern(rightBytes)))
            if table[key] == nil {
                table[key] = Merge(rank: Int32(rank), result: intern(leftBytes + rightBytes))
            }
        }
        self.interned = builder.build()
        self.internToToken = internToToken
        self.merges = table
        self.byteLevel = byteLevel
        self.ignoreMerges = ignoreMerges
        self.fallbackByteTokens = fallbackByteTokens
        self.unknownPolicy = unknownPolicy
    }

    private struct Candidate: QueuedPair {
        var rank: Int32
        var left: Int32
        var right: Int32
        var size: Int32
        var result: Int32
        @inline(__always) func precedes(_ other: Candidate) -> Bool {
            rank < other.rank || (rank == other.rank && left < other.left)
        }
    }

    /// Appends the tokens of one pre-tokenized word (raw UTF-8 bytes).
    func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int]) {
        guard !word.isEmpty else { return }
        if ignoreMerges {
            let whole = interned.lookup(word)
            if whole >= 0, internToToken[Int(whole)] >= 0 {
                output.append(Int(internToToken[Int(whole)]))
                return
            }
        }
        var chain = SymbolChain(byteCount: word.count) { byteLevel ? 1 : utf8SequenceLength(word[$0]) }
        // Intern id of each symbol (-1: not a vocabulary string, so it never merges).
        var ids = (0..<chain.count).map { symbol in
            let start = Int(chain.starts[symbol])
            return interned.lookup(UnsafeBufferPointer(rebasing: word[start..<start + Int(chain.lengths[symbol])]))
        }
        chain.mergeAll(pair: { left, right, _, size -> Candidate? in
            let leftID = ids[Int(left)], rightID = ids[Int(right)]
            guard leftID >= 0, rightID >= 0,
                  let merge = merges[UInt64(UInt32(leftID)) << 32 | UInt64(UInt32(rightID))] else { return nil }
            return Candidate(rank: merge.rank, left: left, right: right, size: size, result: merge.result)
        }, merged: { (pair: Candidate) in ids[Int(pair.left)] = pair.result })

        var previousWasUnknown = false
        chain.forEachSymbol { symbol, start, length in
            let token = ids[symbol] >= 0 ? internToToken[Int(ids[symbol])] : -1
            if token >= 0 {
                output.append(Int(token))
                previousWasUnknown = false
            } else if let policy = unknownPolicy {
                let bytes = word[start..<start + length]
                if bytes.allSatisfy({ policy.byteTokens[Int($0)] >= 0 }) {
                    for byte in bytes { output.append(Int(policy.byteTokens[Int(byte)])) }
                } else if let unknown = policy.unknownID {
                    if !(policy.fuse && previousWasUnknown) { output.append(Int(unknown)) }
                    previousWasUnknown = true
                }
            } else {
                for byte in word[start..<start + length] where fallbackByteTokens[Int(byte)] >= 0 {
                    output.append(Int(fallbackByteTokens[Int(byte)]))
                }
            }
        }
    }
}
