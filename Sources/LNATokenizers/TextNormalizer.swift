import Foundation

/// One step of a tokenizer.json `normalizer` (a `Sequence` is flattened into several steps), applied to the text
/// between added tokens before pre-tokenization, with Hugging Face `tokenizers` semantics.
///
/// ```swift
/// TextNormalizer.strip(left: false, right: true).apply("a b  ")   // "a b"
/// TextNormalizer.lowercase.apply("ΆΒ")                           // "άβ"
/// ```
enum TextNormalizer: Sendable {
    /// SentencePiece's charsmap (`Precompiled`).
    case precompiled(PrecompiledCharsmap)
    /// `NFC`, `NFD`, `NFKC`, `NFKD`.
    case unicodeForm(UnicodeForm)
    /// `Replace`: every match of the pattern (left to right, no overlaps) becomes `content`.
    case replace(TextPattern, content: [UInt8])
    /// `Prepend`: `prefix` in front of a non-empty text.
    case prepend([UInt8])
    /// `Strip`: leading / trailing `White_Space` code points removed.
    case strip(left: Bool, right: Bool)
    /// `StripAccents`: combining marks (`\p{M}`) removed.
    case stripAccents
    /// `Lowercase`: each code point replaced by its full lowercase mapping, without context (no final sigma rule).
    case lowercase

    enum UnicodeForm: String, Sendable {
        case nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD"
    }

    func apply(_ text: String) -> String {
        switch self {
        case .precompiled(let charsmap):
            return charsmap.normalize(text)
        case .unicodeForm(let form):
            switch form {
            case .nfc: return text.precomposedStringWithCanonicalMapping
            case .nfd: return text.decomposedStringWithCanonicalMapping
            case .nfkc: return text.precomposedStringWithCompatibilityMapping
            case .nfkd: return text.decomposedStringWithCompatibilityMapping
            }
        case .replace(let pattern, let content):
            let bytes = Array(text.utf8)
            let matches = pattern.matches(in: bytes)
            guard !matches.isEmpty else { return text }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            var position = 0
            for match in matches {
                output.append(contentsOf: bytes[position..<match.lowerBound])
                output.append(contentsOf: content)
                position = match.upperBound
            }
            output.append(contentsOf: bytes[position...])
            return String(decoding: output, as: UTF8.self)
        case .prepend(let prefix):
            return text.isEmpty ? text : String(decoding: prefix, as: UTF8.self) + text
        case .strip(let left, let right):
            var scalars = Substring(text).unicodeScalars[...]
            if left { while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() } }
            if right { while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() } }
            return String(String.UnicodeScalarView(scalars))
        case .stripAccents:
            var view = String.UnicodeScalarView()
            for scalar in text.unicodeScalars where !Self.isMark(scalar) { view.append(scalar) }
            return String(view)
        case .lowercase:
            var output = ""
            output.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars { output += scalar.properties.lowercaseMapping }
            return output
        }
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
