import Foundation

/// The `pattern` of a tokenizer.json `Replace` normalizer or `Split` pre-tokenizer: a literal string
/// (`{"String": "▁"}`) or a regular expression (`{"Regex": " {2,}"}`), found left to right without overlaps.
///
/// Hugging Face runs regexes with Oniguruma; here they run on ICU (`NSRegularExpression`). The two agree on the
/// syntax tokenizer.json files use (`\A`, `\z`, classes, `\p{…}`, alternation, lookahead, counted repetition);
/// `\s`/`\S` are rewritten to Oniguruma's meaning (the `White_Space` property, which adds U+000B and U+0085 to
/// ICU's `\s`).
///
/// ```swift
/// let pattern = try TextPattern.regex(" {2,}")
/// pattern.matches(in: Array("a   b".utf8))   // [1..<4]
/// ```
enum TextPattern: Sendable {
    case literal([UInt8])
    case regex(CompiledRegex)

    /// A compiled regex; `NSRegularExpression` is immutable and documented as safe to share between threads.
    final class CompiledRegex: @unchecked Sendable {
        let source: String
        let expression: NSRegularExpression
        init(_ source: String) throws {
            self.source = source
            expression = try NSRegularExpression(pattern: Self.oniguruma(source))
        }

        /// `\s` → the White_Space set outside and inside classes, `\S` → its complement outside classes.
        static func oniguruma(_ pattern: String) -> String {
            let space = #"\t\n\x{0B}\f\r\x{85}\p{Z}"#
            var result = ""
            var inClass = 0
            var escaped = false
            for character in pattern {
                if escaped {
                    escaped = false
                    switch character {
                    case "s": result += inClass > 0 ? space : "[\(space)]"
                    case "S" where inClass == 0: result += "[^\(space)]"
                    default: result += "\\" + String(character)
                    }
                    continue
                }
                switch character {
                case "\\": escaped = true; continue
                case "[": inClass += 1
                case "]": inClass = max(0, inClass - 1)
                default: break
                }
                result.append(character)
            }
            if escaped { result += "\\" }
            return result
        }
    }

    static func regex(_ source: String) throws -> TextPattern { .regex(try CompiledRegex(source)) }

    /// UTF-8 byte ranges of the non-overlapping matches in `text`, left to right (empty matches included).
    func matches(in text: [UInt8]) -> [Range<Int>] {
        switch self {
        case .literal(let needle):
            guard !needle.isEmpty, text.count >= needle.count else { return [] }
            var result: [Range<Int>] = []
            var position = 0
            while position + needle.count <= text.count {
                if text[position] == needle[0] && text[position..<position + needle.count].elementsEqual(needle) {
                    result.append(position..<position + needle.count)
                    position += needle.count
                } else {
                    position += 1
                }
            }
            return result
        case .regex(let compiled):
            let string = String(decoding: text, as: UTF8.self)
            let utf16 = Array(string.utf16)
            // UTF-16 offset → UTF-8 offset, for every UTF-16 position.
            var byteOffset = [Int](repeating: 0, count: utf16.count + 1)
            var bytes = 0
            var index = 0
            while index < utf16.count {
                let unit = utf16[index]
                byteOffset[index] = bytes
                if UTF16.isLeadSurrogate(unit) && index + 1 < utf16.count {
                    byteOffset[index + 1] = bytes
                    bytes += 4
                    index += 2
                } else {
                    bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3
                    index += 1
                }
            }
            byteOffset[utf16.count] = bytes
            let range = NSRange(location: 0, length: utf16.count)
            return compiled.expression.matches(in: string, range: range).map { match in
                byteOffset[match.range.location]..<byteOffset[match.range.location + match.range.length]
            }
        }
    }
}
