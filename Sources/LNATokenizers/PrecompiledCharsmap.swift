import Foundation

/// SentencePiece's `precompiled_charsmap` (tokenizer.json `Precompiled` normalizer): a darts-clone double-array
/// trie over UTF-8 keys whose values are offsets into a block of NUL-terminated replacement strings.
///
/// Layout: `[u32 little-endian trie byte size][trie units: u32 each][replacement strings]`. A unit packs
/// `has_leaf` (bit 8), a label (low byte, bit 31 for "no label"), and an offset to the children
/// (`(unit >> 10) << ((unit & 0x200) >> 6)`); a leaf unit's low 31 bits are the value.
///
/// Normalisation follows Hugging Face `tokenizers` (which differs from SentencePiece's own longest-match loop):
/// the text is cut into extended grapheme clusters; a cluster shorter than 6 UTF-8 bytes is replaced whole when
/// the trie has a key that is a prefix of it (the *shortest* such key); otherwise each code point is replaced on
/// its own when it has a key, and kept when not.
///
/// ```swift
/// let charsmap = try PrecompiledCharsmap(base64: node["precompiled_charsmap"]!.string!, source: "t.json")
/// charsmap.normalize("ｆｕｌｌ") // "full" for nmt_nfkc
/// ```
struct PrecompiledCharsmap: Sendable {
    let units: [UInt32]
    let replacements: [UInt8]

    init(base64: String, source: String) throws {
        guard let data = Data(base64Encoded: base64) else {
            throw TokenizerError.invalidJSON(source: source, path: "normalizer.precompiled_charsmap",
                                             expected: "base64 text")
        }
        try self.init(bytes: Array(data), source: source)
    }

    init(bytes: [UInt8], source: String) throws {
        func fail(_ expected: String) -> TokenizerError {
            .invalidJSON(source: source, path: "normalizer.precompiled_charsmap", expected: expected)
        }
        guard bytes.count >= 4 else { throw fail("at least 4 bytes, found \(bytes.count)") }
        let trieSize = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard trieSize % 4 == 0, trieSize <= bytes.count - 4, trieSize >= 4 else {
            throw fail("a trie size that is a positive multiple of 4 within the \(bytes.count) bytes, found \(trieSize)")
        }
        var units: [UInt32] = []
        units.reserveCapacity(trieSize / 4)
        for offset in stride(from: 4, to: 4 + trieSize, by: 4) {
            units.append(UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                         | UInt32(bytes[offset + 3]) << 24)
        }
        self.units = units
        replacements = Array(bytes[(4 + trieSize)...])
        guard String(validating: replacements, as: UTF8.self) != nil else {
            throw fail("UTF-8 replacement strings")
        }
    }

    @inline(__always) private static func offset(_ unit: UInt32) -> Int {
        Int((unit >> 10) << ((unit & (1 << 9)) >> 6))
    }

    /// The replacement of the shortest key that is a prefix of `key` (darts-clone `commonPrefixSearch`, first
    /// result), or nil. A NUL byte ends the key; positions outside the array end the search.
    func replacement<C: Collection<UInt8>>(forPrefixOf key: C) -> ArraySlice<UInt8>? {
        guard !units.isEmpty else { return nil }
        var position = Self.offset(units[0])
        for byte in key {
            if byte == 0 { break }
            position ^= Int(byte)
            guard position >= 0, position < units.count else { return nil }
            let unit = units[position]
            if unit & ((1 << 31) | 0xFF) != UInt32(byte) { return nil }
            position ^= Self.offset(unit)
            guard position >= 0, position < units.count else { return nil }
            if (unit >> 8) & 1 == 1 {
                let start = Int(units[position] & ((1 << 31) - 1))
                guard start <= replacements.count else { return nil }
                var end = start
                while end < replacements.count && replacements[end] != 0 { end += 1 }
                return replacements[start..<end]
            }
        }
        return nil
    }

    /// `text` normalised as Hugging Face's `Precompiled` normalizer does (see the type's documentation).
    func normalize(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for cluster in text {
            let bytes = cluster.utf8
            if bytes.count < 6, let replaced = replacement(forPrefixOf: bytes) {
                output.append(contentsOf: replaced)
                continue
            }
            for scalar in cluster.unicodeScalars {
                let scalarBytes = String(scalar).utf8
                if let replaced = replacement(forPrefixOf: scalarBytes) {
                    output.append(contentsOf: replaced)
                } else {
                    output.append(contentsOf: scalarBytes)
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
