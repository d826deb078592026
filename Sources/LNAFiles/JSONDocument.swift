/// A JSON document with ordered object keys, serialised deterministically (same input, same bytes), so that
/// output files such as `masks.json` can be compared with `cmp` and diffed by humans. Strings and numbers are
/// spelled by `JSONTextWriter`.
///
/// ```swift
/// let doc: JSONDocument = .object([("lambda", .number(0.1)), ("appear", .array([.int(0), .int(3)]))])
/// print(doc.serialized())   // {"lambda":0.1,"appear":[0,3]}
/// ```
public indirect enum JSONDocument: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// Written with the shortest digits that read back to the same Double (`1.0`, not `1`); NaN and infinities
    /// as `null`.
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([(String, JSONDocument)])

    public static func == (a: JSONDocument, b: JSONDocument) -> Bool { a.serialized() == b.serialized() }

    /// Compact JSON; with `pretty`, objects (and arrays holding objects) are indented by two spaces with `": "`
    /// after keys, while other arrays stay on one line.
    public func serialized(pretty: Bool = false) -> String {
        var out = JSONTextWriter()
        write(into: &out, pretty: pretty, indent: 0)
        return out.text
    }

    private func write(into out: inout JSONTextWriter, pretty: Bool, indent: Int) {
        switch self {
        case .null: out.raw("null")
        case .bool(let b): out.raw(b ? "true" : "false")
        case .int(let i): out.raw(String(i))
        case .number(let d): out.number(d)
        case .string(let s): out.string(s)
        case .array(let items):
            if pretty && items.contains(where: { if case .object = $0 { return true }; return false }) {
                Self.writeBlock("[", "]", items.map { (nil, $0) }, into: &out, indent: indent)
            } else {
                out.raw("[")
                for (i, item) in items.enumerated() {
                    if i > 0 { out.raw(",") }
                    item.write(into: &out, pretty: false, indent: indent)
                }
                out.raw("]")
            }
        case .object(let pairs):
            if pretty {
                if pairs.isEmpty { out.raw("{}") } else {
                    Self.writeBlock("{", "}", pairs.map { ($0.0, $0.1) }, into: &out, indent: indent)
                }
            } else {
                out.raw("{")
                for (i, (key, value)) in pairs.enumerated() {
                    if i > 0 { out.raw(",") }
                    out.string(key)
                    out.raw(":")
                    value.write(into: &out, pretty: false, indent: indent)
                }
                out.raw("}")
            }
        }
    }

    /// One member per line, indented one level deeper than the brackets.
    private static func writeBlock(_ open: String, _ close: String, _ members: [(String?, JSONDocument)],
                                   into out: inout JSONTextWriter, indent: Int) {
        out.raw(open + "\n")
        for (i, (key, value)) in members.enumerated() {
            out.raw(String(repeating: "  ", count: indent + 1))
            if let key {
                out.string(key)
                out.raw(": ")
            }
            value.write(into: &out, pretty: true, indent: indent + 1)
            out.raw(i + 1 < members.count ? ",\n" : "\n")
        }
        out.raw(String(repeating: "  ", count: indent) + close)
    }

    /// Layer lists as nested int arrays.
    ///
    /// ```swift
    /// JSONDocument.lists([[1, 2], []]).serialized()   // [[1,2],[]]
    /// ```
    public static func lists(_ lists: [[Int]]) -> JSONDocument { .array(lists.map { .array($0.map { .int($0) }) }) }
    /// Ints as an array.
    public static func ints(_ values: [Int]) -> JSONDocument { .array(values.map { .int($0) }) }
}
