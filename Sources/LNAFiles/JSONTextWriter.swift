/// Builds JSON text by appending: the one place lna escapes JSON strings and formats JSON numbers, so every JSON
/// file it writes (masks.json, autosweep.json, tokenizer.json, safetensors headers, run files) spells them alike.
///
/// Strings are escaped per RFC 8259 with the shortest forms: `\"`, `\\`, `\n`, `\r`, `\t`, other control
/// characters as lowercase `\u00XX`; everything else (including non-ASCII and `/`) is written as is, in UTF-8.
///
/// ```swift
/// var out = JSONTextWriter()
/// out.raw("{\"name\":")
/// out.string("a\tb")
/// out.raw("}")
/// out.text   // {"name":"a\tb"}
/// ```
public struct JSONTextWriter: Sendable {
    public private(set) var text = ""

    public init() {}

    /// Appends `fragment` unchanged (it must already be JSON).
    public mutating func raw(_ fragment: String) { text += fragment }

    /// Appends `value` as a quoted, escaped JSON string.
    public mutating func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// Appends a number with the shortest digits that read back to the same Double (`1.0`, `0.1`, `1e+16`);
    /// JSON has no NaN or infinity, so those are written as `null`.
    public mutating func number(_ value: Double) { text += value.isFinite ? "\(value)" : "null" }

    /// `value` as a quoted, escaped JSON string (for messages and keys).
    ///
    /// ```swift
    /// JSONTextWriter.quoted("say \"hi\"")   // "\"say \\\"hi\\\"\""
    /// ```
    public static func quoted(_ value: String) -> String {
        var out = JSONTextWriter()
        out.string(value)
        return out.text
    }
}
