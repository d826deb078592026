import Foundation

/// Writes GGUF v3 files: metadata of every value type and tensors stored as F32, F16, BF16 or Q8_0 (quantised
/// here), or raw pre-encoded blocks of any type. The file is written atomically, with the data section and
/// every tensor aligned to `alignment` bytes.
///
/// ```swift
/// var writer = GGUFWriter()
/// writer["general.architecture"] = .string("llama")
/// writer["llama.block_count"] = .uint32(2)
/// try writer.addTensor("token_embd.weight", embedding, shape: [vocab, dim], type: .q8_0)
/// try writer.write(to: url)
/// ```
public struct GGUFWriter: Sendable {
    /// Alignment of the data section and of each tensor (a power of two; written as `general.alignment` when
    /// it is not the default 32).
    public let alignment: Int
    private var keys: [String] = []
    private var values: [String: GGUFValue] = [:]
    private var tensors: [Entry] = []
    private var tensorNames = Set<String>()

    private struct Entry: Sendable {
        var name: String
        var dimensions: [Int]
        var type: GGUFTensorType
        var byteCount: Int
        /// The encoded data; nil for a tensor planned with `planTensor`, whose bytes are streamed later.
        var bytes: [UInt8]?
    }

    static let label = "GGUF writer"

    public init(alignment: Int) throws {
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw FormatError.invalidInput(file: Self.label, what: "alignment \(alignment)", reason: "not a power of two")
        }
        self.alignment = alignment
        if alignment != GGUFFile.defaultAlignment { self["general.alignment"] = .uint32(UInt32(alignment)) }
    }

    public init() {
        alignment = GGUFFile.defaultAlignment
    }

    /// A metadata value; setting an existing key replaces its value and keeps its position, nil removes it.
    public subscript(key: String) -> GGUFValue? {
        get { values[key] }
        set {
            if let newValue {
                if values[key] == nil { keys.append(key) }
                values[key] = newValue
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Metadata keys in the order they will be written.
    public var metadataKeys: [String] { keys }

    /// Copies every metadata entry of `file` (in file order), e.g. to rewrite a model with new tensors.
    public mutating func copyMetadata(from file: GGUFFile) {
        for key in file.metadataKeys where key != "general.alignment" { self[key] = file.metadata[key] }
    }

    /// Adds a float tensor with a row-major `shape` (outermost first), stored as F32, F16, BF16 or Q8_0.
    public mutating func addTensor(_ name: String, _ values: [Float], shape: [Int], type: GGUFTensorType = .f32) throws {
        try checkNew(name, shape: shape, count: values.count, type: type)
        let bytes: [UInt8]
        switch type {
        case .f32: bytes = littleEndianBytes(values.map(\.bitPattern))
        case .f16: bytes = littleEndianBytes(values.map { Float16($0).bitPattern })
        case .bf16: bytes = littleEndianBytes(values.map(bfloat16Bits))
        case .q8_0:
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw FormatError.invalidInput(file: Self.label, what: "tensor '\(name)'",
                                               reason: "value \(values[bad]) at index \(bad) cannot be quantised to Q8_0")
            }
            bytes = Quantizer.quantizeQ8_0(values)
        default:
            throw FormatError.invalidInput(file: Self.label, what: "tensor '\(name)'",
                                           reason: "cannot encode floats as \(type.name) (use F32, F16, BF16 or Q8_0, "
                                               + "or addRawTensor with pre-encoded blocks)")
        }
        tensors.append(Entry(name: name, dimensions: shape.reversed(), type: type, byteCount: bytes.count, bytes: bytes))
        tensorNames.insert(name)
    }

    /// Plans a tensor whose bytes (encoded as `type`) are appended later through `streamingWriter(to:)`, for files
    /// too large to hold in memory (a 7B checkpoint). A writer holds either planned or added tensors, not both.
    public mutating func planTensor(_ name: String, shape: [Int], type: GGUFTensorType) throws {
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: Swift.max(dimension, 1))
            guard !overflow else {
                throw FormatError.invalidInput(file: Self.label, what: "tensor '\(name)'", reason: "shape \(shape) overflows Int")
            }
            elements = product
        }
        if shape.contains(0) { elements = 0 }
        try checkNew(name, shape: shape, count: elements, type: type)
        guard let byteCount = type.byteCount(elements: elements) else {
            throw FormatError.invalidInput(file: Self.label, what: "tensor '\(name)'", reason: "\(type.name) \(shape) has no byte size")
        }
        tensors.append(Entry(name: name, dimensions: shape.reversed(), type: type, byteCount: byteCount, bytes: nil))
        tensorNames.insert(name)
    }

    /// Adds a tensor whose bytes are already encoded as `type` (e.g. copied with `GGUFFile.rawBytes`).
    public mutating func addRawTensor(_ name: String, bytes: [UInt8], shape: [Int], type: GGUFTensorType) throws {
        let elements = shape.reduce(1, *)
        try checkNew(name, shape: shape, count: elements, type: type)
        guard type.byteCount(elements: elements) == bytes.count else {
            throw FormatError.invalidInput(file: Self.label, what: "tensor '\(name)'",
                                           reason: "\(bytes.count) bytes given, \(type.name) \(shape) needs "
                                               + "\(type.byteCount(elements: elements) ?? -1)")
        }
        tensors.append(Entry(name: name, dimensions: shape.reversed(), type: type, byteCount: bytes.count, bytes: bytes))
        tensorNames.insert(name)
    }

    private func checkNew(_ name: String, shape: [Int], count: Int, type: GGUFTensorType) throws {
        func fail(_ reason: String) -> FormatError { .invalidInput(file: Self.label, what: "tensor '\(name)'", reason: reason) }
        guard !name.isEmpty else { throw fail("the name is empty") }
        guard !tensorNames.contains(name) else { throw fail("a tensor of this name was already added") }
        guard !shape.isEmpty, shape.count <= GGUFHeaderParser.maxDimensions else {
            throw fail("shape \(shape) must have 1...\(GGUFHeaderParser.maxDimensions) dimensions")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("shape \(shape) has a negative dimension") }
        guard shape.reduce(1, *) == count else { throw fail("shape \(shape) holds \(shape.reduce(1, *)) values, \(count) given") }
        guard shape.last! % type.blockSize == 0 else {
            throw fail("row length \(shape.last!) is not a multiple of the \(type.name) block size \(type.blockSize)")
        }
    }

    /// Writes the file atomically (temporary file beside `url`, then rename).
    public func write(to url: URL) throws {
        if let planned = tensors.first(where: { $0.bytes == nil }) {
            throw FormatError.invalidInput(file: Self.label, what: "tensor '\(planned.name)'",
                                           reason: "is planned, not added; write planned tensors with streamingWriter(to:)")
        }
        let stream = try streamingWriter(to: url, planned: false)
        for tensor in tensors { try tensor.bytes!.withUnsafeBytes { try stream.append(tensor.name, $0) } }
        try stream.commit()
    }

    /// Writes the header of a file of planned tensors (`planTensor`) and returns the writer that takes their
    /// bytes in plan order; the file appears on its `commit()`.
    ///
    /// ```swift
    /// var writer = GGUFWriter()
    /// writer["general.architecture"] = .string("llama")
    /// try writer.planTensor("output.weight", shape: [vocab, dim], type: .bf16)
    /// let stream = try writer.streamingWriter(to: url)
    /// try bits.withUnsafeBytes { try stream.append("output.weight", $0) }
    /// try stream.commit()
    /// ```
    public func streamingWriter(to url: URL) throws -> GGUFStreamWriter {
        if let added = tensors.first(where: { $0.bytes != nil }) {
            throw FormatError.invalidInput(file: Self.label, what: "tensor '\(added.name)'",
                                           reason: "was added with its bytes; a streamed file takes planned tensors only")
        }
        return try streamingWriter(to: url, planned: true)
    }

    private func streamingWriter(to url: URL, planned: Bool) throws -> GGUFStreamWriter {
        try validateMetadata()
        var header = headerBytes()
        header += [UInt8](repeating: 0, count: padded(header.count) - header.count)
        return try GGUFStreamWriter(url, header: header, plan: tensors.map { ($0.name, $0.byteCount) },
                                    alignment: alignment)
    }

    private func padded(_ offset: Int) -> Int { (offset + alignment - 1) / alignment * alignment }

    private func validateMetadata() throws {
        for key in keys {
            guard let value = values[key] else { continue }
            if let problem = Self.problem(in: value) {
                throw FormatError.invalidInput(file: Self.label, what: "metadata key '\(key)'", reason: problem)
            }
        }
        if let declared = values["general.alignment"], declared.intValue != alignment {
            throw FormatError.invalidInput(file: Self.label, what: "metadata key 'general.alignment'",
                                           reason: "value \(declared) differs from the writer's alignment \(alignment)")
        }
    }

    /// Why an array value cannot be written (elements of another type than declared), or nil.
    private static func problem(in value: GGUFValue) -> String? {
        guard case let .array(elementType, elements) = value else { return nil }
        for (index, element) in elements.enumerated() {
            guard element.type == elementType else {
                return "array element \(index) is \(element.type), the array declares \(elementType)"
            }
            if let problem = problem(in: element) { return problem }
        }
        return nil
    }

    private func headerBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes += Array("GGUF".utf8)
        append(UInt32(3), to: &bytes)
        append(UInt64(tensors.count), to: &bytes)
        append(UInt64(keys.count), to: &bytes)
        for key in keys {
            appendString(key, to: &bytes)
            let value = values[key]!
            append(value.type.rawValue, to: &bytes)
            appendValue(value, to: &bytes)
        }
        var offset = 0
        for tensor in tensors {
            appendString(tensor.name, to: &bytes)
            append(UInt32(tensor.dimensions.count), to: &bytes)
            for dimension in tensor.dimensions { append(UInt64(dimension), to: &bytes) }
            append(tensor.type.rawValue, to: &bytes)
            append(UInt64(offset), to: &bytes)
            offset = padded(offset + tensor.byteCount)
        }
        return bytes
    }

    private func appendValue(_ value: GGUFValue, to bytes: inout [UInt8]) {
        switch value {
        case let .uint8(v): append(v, to: &bytes)
        case let .int8(v): append(v, to: &bytes)
        case let .uint16(v): append(v, to: &bytes)
        case let .int16(v): append(v, to: &bytes)
        case let .uint32(v): append(v, to: &bytes)
        case let .int32(v): append(v, to: &bytes)
        case let .uint64(v): append(v, to: &bytes)
        case let .int64(v): append(v, to: &bytes)
        case let .float32(v): append(v.bitPattern, to: &bytes)
        case let .float64(v): append(v.bitPattern, to: &bytes)
        case let .bool(v): bytes.append(v ? 1 : 0)
        case let .string(v): appendString(v, to: &bytes)
        case let .array(elementType, elements):
            append(elementType.rawValue, to: &bytes)
            append(UInt64(elements.count), to: &bytes)
            // Elements are written bare; a nested array's payload is again "element type, count, elements".
            for element in elements { appendValue(element, to: &bytes) }
        }
    }

    private func appendString(_ string: String, to bytes: inout [UInt8]) {
        let utf8 = Array(string.utf8)
        append(UInt64(utf8.count), to: &bytes)
        bytes += utf8
    }

    private func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        #if _endian(little)
        return values.withUnsafeBytes { Array($0) }   // already in file order: one copy
        #else
        return values.map(\.littleEndian).withUnsafeBytes { Array($0) }
        #endif
    }
}
