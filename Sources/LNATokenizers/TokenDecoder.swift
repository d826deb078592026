/// One step of a tokenizer.json `decoder` (a `Sequence` is flattened), with Hugging Face `tokenizers` semantics:
/// each step maps the list of token strings to a new list; the decoded text is the final list joined.
///
/// ```swift
/// TokenDecoder.decode(["▁Hello", "▁world"], with: [.metaspace(replacement: "▁", prepend: true)])   // "Hello world"
/// ```
enum TokenDecoder: Sendable {
    /// `ByteLevel`: all tokens' GPT-2-alphabet characters back to bytes, one string (invalid UTF-8 → U+FFFD).
    case byteLevel
    /// `Replace`: the pattern in every token replaced by `content`.
    case replace(TextPattern, content: [UInt8])
    /// `ByteFallback`: runs of `<0xNN>` tokens become their UTF-8 text, or one U+FFFD per byte when invalid.
    case byteFallback
    /// `Fuse`: all tokens joined into one.
    case fuse
    /// `Strip`: up to `start` leading and `stop` trailing `content` characters removed from every token.
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    /// `Metaspace`: the replacement character becomes a space, except in the first token when a prefix was
    /// prepended, where it is dropped.
    case metaspace(replacement: Unicode.Scalar, prepend: Bool)
    /// `BPEDecoder`: the end-of-word suffix becomes a space (nothing in the last token).
    case bpeSuffix(String)

    /// Hugging Face's `decode`: the steps in order, then the strings joined (with spaces when there is no decoder).
    static func decode(_ tokens: [String], with steps: [TokenDecoder]) -> String {
        guard !steps.isEmpty else { return tokens.joined(separator: " ") }
        var current = tokens
        for step in steps { current = step.apply(current) }
        return current.joined()
    }

    func apply(_ tokens: [String]) -> [String] {
        switch self {
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens {
                var mapped: [UInt8] = []
                var complete = true
                for scalar in token.unicodeScalars {
                    guard let byte = ByteLevelAlphabet.byte(for: scalar.value) else { complete = false; break }
                    mapped.append(byte)
                }
                bytes.append(contentsOf: complete ? mapped : Array(token.utf8))
            }
            return [String(decoding: bytes, as: UTF8.self)]
        case let .replace(pattern, content):
            return tokens.map { token in
                TextNormalizer.replace(pattern, content: content).apply(token)
            }
        case .byteFallback:
            var result: [String] = []
            var pending: [UInt8] = []
            func flush() {
                guard !pending.isEmpty else { return }
                if let text = String(validating: pending, as: UTF8.self) {
                    result.append(text)
                } else {
                    result.append(contentsOf: repeatElement("\u{FFFD}", count: pending.count))
                }
                pending.removeAll()
            }
            for token in tokens {
                if let byte = Self.fallbackByte(token) {
                    pending.append(byte)
                } else {
                    flush()
                    result.append(token)
                }
            }
            flush()
            return result
        case .fuse:
            return [tokens.joined()]
        case let .strip(content, start, stop):
            return tokens.map { token in
                let characters = Array(token.unicodeScalars)
                var lower = 0
                while lower < min(start, characters.count) && characters[lower] == content { lower += 1 }
                var upper = characters.count
                var removed = 0
                while removed < stop && upper > lower && characters[upper - 1] == content {
                    upper -= 1
                    removed += 1
                }
                return String(String.UnicodeScalarView(characters[lower..<upper]))
            }
        case let .metaspace(replacement, prepend):
            return tokens.enumerated().map { index, token in
                var text = String.UnicodeScalarView()
                for scalar in token.unicodeScalars {
                    if scalar == replacement {
                        if !(index == 0 && prepend) { text.append(" ") }
                    } else {
                        text.append(scalar)
                    }
                }
                return String(text)
            }
        case .bpeSuffix(let suffix):
            return tokens.enumerated().map { index, token in
                TextNormalizer.replace(.literal(Array(suffix.utf8)), content: index == tokens.count - 1 ? [] : [0x20])
                    .apply(token)
            }
        }
    }

    /// The byte of a `<0xNN>` token.
    static func fallbackByte(_ token: String) -> UInt8? {
        let utf8 = Array(token.utf8)
        guard utf8.count == 6, token.hasPrefix("<0x"), token.hasSuffix(">") else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }
}
