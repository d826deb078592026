import Foundation

/// Builds a safetensors file in memory and writes it atomically. Tensors are laid out by decreasing element size
/// (then in the order added) so every tensor starts at a multiple of its element size; the JSON header is padded
/// with spaces to a multiple of 8 bytes, as the format requires.
///
/// ```swift
/// var writer = SafeTensorsWriter(metadata: ["format": "pt"])
/// try writer.add("activation_probability", probabilities, shape: [layers, neurons], as: .bf16)
/// try writer.add("token_count", [Int64(tokens)], shape: [1])
/// try writer.write(to: url)
/// ```
public struct SafeTensorsWriter: Sendable {
    /// The `__metadata__` map written into the header.
    public var metadata: [String: String]
    private var entries: [Entry] = []
    private var names = Set<String>()

    private struct Entry: Sendable {
        var name: String
        var dtype: SafeTensorsDType
        var shape: [Int]
        var bytes: [UInt8]
    }

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Adds Float values stored as F32 (exact), BF16 or F16 (both rounded to nearest even).
    public mutating func add(_ name: String, _ values: [Float], shape: [Int], as dtype: SafeTensorsDType = .f32) throws {
        try check(name, count: values.count, shape: shape)
        let bytes: [UInt8]
        switch dtype {
        case .f32: bytes = Self.littleEndianBytes(values.map(\.bitPattern))
        case .bf16: bytes = Self.littleEndianBytes(values.map(bfloat16Bits))
        case .f16: bytes = Self.littleEndianBytes(values.map { Float16($0).bitPattern })
        default:
            throw FormatError.invalidInput(file: "safetensors writer", what: "tensor '\(name)'",
                                           reason: "Float values can be stored as F32, BF16 or F16, not \(dtype.rawValue)")
        }
        append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// Adds Double values stored as F64.
    public mutating func add(_ name: String, _ values: [Double], shape: [Int]) throws {
        try check(name, count: values.count, shape: shape)
        append(Entry(name: name, dtype: .f64, shape: shape, bytes: Self.littleEndianBytes(values.map(\.bitPattern))))
    }

    /// Adds Int64 values stored as I64.
    public mutating func add(_ name: String, _ values: [Int64], shape: [Int]) throws {
        try check(name, count: values.count, shape: shape)
        append(Entry(name: name, dtype: .i64, shape: shape, bytes: Self.littleEndianBytes(values)))
    }

    /// Adds Int32 values stored as I32.
    public mutating func add(_ name: String, _ values: [Int32], shape: [Int]) throws {
        try check(name, count: values.count, shape: shape)
        append(Entry(name: name, dtype: .i32, shape: shape, bytes: Self.littleEndianBytes(values)))
    }

    /// Adds bytes stored as U8, or as BOOL when `asBool` (values must then be 0 or 1).
    public mutating func add(_ name: String, _ values: [UInt8], shape: [Int], asBool: Bool = false) throws {
        try check(name, count: values.count, shape: shape)
        if asBool, let bad = values.first(where: { $0 > 1 }) {
            throw FormatError.invalidInput(file: "safetensors writer", what: "tensor '\(name)'",
                                           reason: "BOOL value \(bad) is neither 0 nor 1")
        }
        append(Entry(name: name, dtype: asBool ? .bool : .u8, shape: shape, bytes: values))
    }

    /// Names added so far, in order.
    public var tensorNames: [String] { entries.map(\.name) }

    /// Writes the file atomically (temporary file + rename).
    public func write(to url: URL) throws {
        let (header, ordered) = headerBytes()
        let out = try AtomicFileWriter(url)
        try out.write(withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) })
        try out.write(header)
        for entry in ordered { try out.write(entry.bytes) }
        try out.commit()
    }

    /// The whole file as bytes (for tests and in-memory use).
    public func serialized() -> [UInt8] {
        let (header, ordered) = headerBytes()
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
        bytes += header
        for entry in ordered { bytes += entry.bytes }
        return bytes
    }

    private func headerBytes() -> ([UInt8], [Entry]) {
        let ordered = entries.enumerated().sorted {
            ($0.element.dtype.byteSize, -$0.offset) > ($1.element.dtype.byteSize, -$1.offset)
        }.map(\.element)
        var object = JSONObject()
        if !metadata.isEmpty {
            object["__metadata__"] = .object(JSONObject(metadata.keys.sorted().map { ($0, .string(metadata[$0]!)) }))
        }
        var offset = 0
        for entry in ordered {
            object[entry.name] = .object(JSONObject([
                ("dtype", .string(entry.dtype.rawValue)),
                ("shape", .array(entry.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + entry.bytes.count)])),
            ]))
            offset += entry.bytes.count
        }
        var header = Array(JSONValue.object(object).description.utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        return (header, ordered)
    }

    private mutating func append(_ entry: Entry) {
        entries.append(entry)
        names.insert(entry.name)
    }

    private func check(_ name: String, count: Int, shape: [Int]) throws {
        func fail(_ reason: String) -> FormatError {
            .invalidInput(file: "safetensors writer", what: "tensor '\(name)'", reason: reason)
        }
        guard !name.isEmpty, name != "__metadata__" else { throw fail("the name is empty or reserved") }
        guard !names.contains(name) else { throw fail("a tensor of this name was already added") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("shape \(shape) has a negative dimension") }
        guard shape.reduce(1, *) == count else {
            throw fail("shape \(shape) holds \(shape.reduce(1, *)) values but \(count) were given")
        }
    }

    private static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        #if _endian(little)
        return values.withUnsafeBytes { Array($0) }   // already in file order: one copy
        #else
        return values.map(\.littleEndian).withUnsafeBytes { Array($0) }
        #endif
    }
}

/// The bfloat16 bits of `value`, rounded to nearest with ties to even (NaN stays a quiet NaN).
public func bfloat16Bits(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
    let roundingBias = 0x7FFF + ((bits >> 16) & 1)
    return UInt16((bits &+ roundingBias) >> 16)
}
