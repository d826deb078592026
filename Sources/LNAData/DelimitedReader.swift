/// A reader of delimiter-separated fields with CSV quoting (RFC 4180 style, as pandas and Python's `csv` write
/// them): a field that starts with `"` runs to the next lone `"`, and `""` inside it is one quote. Quoted fields
/// may hold the delimiter and newlines. A quote inside an unquoted field is kept literally (as Python does).
///
/// Works on UTF-8 bytes; fields are decoded strictly, so invalid UTF-8 is reported with its line.
///
/// ```swift
/// let rows = try DelimitedReader.records(in: Array("a\t\"b \"\"c\"\"\"\n".utf8), delimiter: "\t")
/// rows[0].fields  // ["a", "b \"c\""]
/// ```
public enum DelimitedReader {
    /// One record: its fields and the 1-based line where it starts. `error` is set (and `fields` incomplete) when
    /// the line broke the quoting rules but the reader could resume at the next line.
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        public var line: Int
        public var error: String? = nil
    }

    /// Why the bytes are not valid delimited text.
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// Splits `bytes` into records. Empty lines are skipped; a final line without newline is a record; `\r\n` is
    /// accepted as a line end.
    public static func records(in bytes: [UInt8], delimiter: Unicode.Scalar = "\t",
                               quote: Unicode.Scalar = "\"") throws(SyntaxError) -> [Record] {
        let delim = UInt8(delimiter.value), quoteByte = UInt8(quote.value)
        let newline: UInt8 = 0x0A, carriage: UInt8 = 0x0D
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var i = 0
        var fieldStarted = false  // true once the current record has any content (so "" lines are skipped)

        func finishField() throws(SyntaxError) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw SyntaxError(line: line, reason: "invalid UTF-8 in field \(fields.count + 1)")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
        }

        while i < bytes.count {
            let byte = bytes[i]
            if byte == quoteByte && field.isEmpty {
                // Quoted field: read to the closing quote.
                let quoteLine = line
                i += 1
                var closed = false
                while i < bytes.count {
                    let b = bytes[i]
                    if b == quoteByte {
                        if i + 1 < bytes.count && bytes[i + 1] == quoteByte { field.append(quoteByte); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    if b == newline { line += 1 }
                    field.append(b); i += 1
                }
                guard closed else {
                    throw SyntaxError(line: quoteLine, reason: "quoted field is never closed (missing \")")
                }
                fieldStarted = true
                // After the closing quote only a delimiter or the line end may follow.
                if i < bytes.count, bytes[i] != delim, bytes[i] != newline,
                   !(bytes[i] == carriage && i + 1 < bytes.count && bytes[i + 1] == newline) {
                    // Resume at the next line so the caller may skip just this record.
                    let reason = "unexpected character after the closing quote of field \(fields.count + 1)"
                    records.append(Record(fields: fields, line: recordLine, error: reason))
                    while i < bytes.count && bytes[i] != newline { i += 1 }
                    i += 1; line += 1; recordLine = line
                    fields.removeAll(); field.removeAll(); fieldStarted = false
                }
                continue
            }
            if byte == delim {
                try finishField(); fieldStarted = true; i += 1; continue
            }
            if byte == newline || (byte == carriage && i + 1 < bytes.count && bytes[i + 1] == newline) {
                if fieldStarted || !field.isEmpty || !fields.isEmpty {
                    try finishField()
                    records.append(Record(fields: fields, line: recordLine))
                }
                fields.removeAll(); fieldStarted = false
                i += byte == carriage ? 2 : 1
                line += 1; recordLine = line
                continue
            }
            field.append(byte); fieldStarted = true; i += 1
        }
        if fieldStarted || !field.isEmpty || !fields.isEmpty {
            try finishField()
            records.append(Record(fields: fields, line: recordLine))
        }
        return records
    }
}
