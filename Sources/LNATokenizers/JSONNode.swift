/// A minimal JSON document model for tokenizer.json. Objects keep their keys as an ordered list of pairs, never
/// as a Swift `Dictionary`: Swift `String` equality is canonical equivalence, which would merge vocabulary entries
/// such as "é" (U+00E9) and "é" (e + U+0301) that are distinct tokens.
///
/// ```swift
/// let node = try JSONNode.parse(Array(#"{"a": [1, "x"]}"#.utf8))
/// node["a"]?.array?.count   // 2
/// ```
enum JSONNode {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(key: String, value: JSONNode)])

    subscript(key: String) -> JSONNode? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    var string: String? { if case .string(let value) = self { return value } else { return nil } }
    var bool: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    var array: [JSONNode]? { if case .array(let value) = self { return value } else { return nil } }
    var pairs: [(key: String, value: JSONNode)]? { if case .object(let value) = self { return value } else { return nil } }
    var isNull: Bool { if case .null = self { return true } else { return false } }
    var int: Int? {
        guard case .number(let value) = self, value == value.rounded(), abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    struct SyntaxError: Error { let offset: Int; let expected: String }

    /// Arrays and objects nest at most this deep: a tokenizer.json nests about 6 levels, and the parser recurses
    /// once per level, so a hostile file of 60,000 `[` must end in an error, not a stack overflow.
    static let maxDepth = 128

    static func parse(_ bytes: [UInt8]) throws -> JSONNode {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer)
            let value = try parser.value()
            parser.skipSpace()
            guard parser.offset == buffer.count else { throw SyntaxError(offset: parser.offset, expected: "end of document") }
            return value
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0
        var depth = 0

        mutating func skipSpace() {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws {
            skipSpace()
            guard offset < bytes.count, bytes[offset] == byte else { throw SyntaxError(offset: offset, expected: what) }
            offset += 1
        }

        mutating func literal(_ word: String, _ node: JSONNode) throws -> JSONNode {
            let utf8 = Array(word.utf8)
            guard offset + utf8.count <= bytes.count, Array(bytes[offset..<offset + utf8.count]) == utf8 else {
                throw SyntaxError(offset: offset, expected: word)
            }
            offset += utf8.count
            return node
        }

        mutating func value() throws -> JSONNode {
            skipSpace()
            guard offset < bytes.count else { throw SyntaxError(offset: offset, expected: "a value") }
            let opens = bytes[offset] == UInt8(ascii: "{") || bytes[offset] == UInt8(ascii: "[")
            if opens {
                guard depth < JSONNode.maxDepth else {
                    throw SyntaxError(offset: offset, expected: "at most \(JSONNode.maxDepth) nested arrays and objects")
                }
                depth += 1
            }
            defer { if opens { depth -= 1 } }
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                offset += 1
                var pairs: [(key: String, value: JSONNode)] = []
                skipSpace()
                if offset < bytes.count && bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    let key = try string()
                    try expect(UInt8(ascii: ":"), "':'")
                    pairs.append((key, try value()))
                    skipSpace()
                    guard offset < bytes.count else { throw SyntaxError(offset: offset, expected: "'}'") }
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    try expect(UInt8(ascii: "}"), "',' or '}'")
                    return .object(pairs)
                }
            case UInt8(ascii: "["):
                offset += 1
                var items: [JSONNode] = []
                skipSpace()
                if offset < bytes.count && bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skipSpace()
                    guard offset < bytes.count else { throw SyntaxError(offset: offset, expected: "']'") }
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    try expect(UInt8(ascii: "]"), "',' or ']'")
                    return .array(items)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return try number()
            }
        }

        mutating func number() throws -> JSONNode {
            let start = offset
            while offset < bytes.count, "+-0123456789.eE".utf8.contains(bytes[offset]) { offset += 1 }
            guard let value = Double(String(decoding: bytes[start..<offset], as: UTF8.self)) else {
                throw SyntaxError(offset: start, expected: "a number")
            }
            return .number(value)
        }

        mutating func string() throws -> String {
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw SyntaxError(offset: offset, expected: "a string")
            }
            offset += 1
            var utf8: [UInt8] = []
            while offset < bytes.count {
                let byte = bytes[offset]
                offset += 1
                if byte == UInt8(ascii: "\"") { return String(decoding: utf8, as: UTF8.self) }
                guard byte == UInt8(ascii: "\\") else { utf8.append(byte); continue }
                guard offset < bytes.count else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    // A high surrogate pairs only with an escaped low surrogate; anything else (a lone high or
                    // low surrogate) becomes U+FFFD, as Python's and Rust's lossy decoders do.
                    if (0xD800..<0xDC00).contains(scalar), offset + 5 < bytes.count,
                       bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") {
                        let afterEscape = offset
                        offset += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            offset = afterEscape  // not a pair: the next escape is read on its own
                        }
                    }
                    utf8.append(contentsOf: Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8))
                default: utf8.append(escape)
                }
            }
            throw SyntaxError(offset: offset, expected: "a closing quote")
        }

        mutating func hex4() throws -> UInt32 {
            guard offset + 4 <= bytes.count,
                  let value = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16) else {
                throw SyntaxError(offset: offset, expected: "four hex digits")
            }
            offset += 4
            return value
        }
    }
}
