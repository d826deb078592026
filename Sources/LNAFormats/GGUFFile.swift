import Foundation

/// A GGUF file (versions 2 and 3), memory-mapped read-only: metadata is parsed on open, tensor data is never copied
/// until asked for.
///
/// Opening validates the whole header strictly (magic, version, every metadata value, the tensor table, alignment,
/// bounds, overlap) and throws a one-line `FormatError` naming the file and byte offset on the first problem.
///
/// ```swift
/// let gguf = try GGUFFile(contentsOf: URL(fileURLWithPath: "models/gemma-3-270m-q4_k_m.gguf"))
/// let arch = try gguf.string("general.architecture")           // "gemma3"
/// let layers = try gguf.int("\(arch).block_count")             // 18
/// let tokens = try gguf.stringArray("tokenizer.ggml.tokens")
/// let norm = try gguf.floats("output_norm.weight")              // dequantised float32
/// ```
public final class GGUFFile: Sendable {
    /// The file's path (as used in error messages).
    public let path: String
    /// GGUF version (2 or 3).
    public let version: Int
    /// All metadata by key.
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// The tensor table in file order.
    public var tensors: [GGUFTensorInfo] { table.entries }
    /// Alignment of tensor data (`general.alignment`, default 32).
    public let alignment: Int
    /// File offset where the data section begins.
    public let dataOffset: Int

    let file: MappedFile
    let table: TensorTable<GGUFTensorInfo>

    /// The default `general.alignment`.
    public static let defaultAlignment = 32
    /// "GGUF" as a little-endian u32.
    static let magic: UInt32 = 0x4655_4747

    /// Maps and validates the file at `url`.
    public convenience init(contentsOf url: URL) throws {
        try self.init(mapped: MappedFile(url))
    }

    /// Parses an already mapped file.
    public init(mapped file: MappedFile) throws {
        self.file = file
        path = file.path
        var parser = GGUFHeaderParser(cursor: BinaryCursor(file.bytes, file: file.path))
        let header = try parser.parse()
        version = header.version
        metadata = header.metadata
        metadataKeys = header.metadataKeys
        table = TensorTable(header.tensors)
        alignment = header.alignment
        dataOffset = header.dataOffset
    }

    /// The table entry of a tensor, or nil.
    public func tensorInfo(_ name: String) -> GGUFTensorInfo? { table.entry(name) }

    /// The table entry of a tensor; throws `missingTensor` (with near matches) when absent.
    public func requireTensor(_ name: String) throws -> GGUFTensorInfo { try table.require(name, file: path) }

    /// The tensor's bytes inside the map (no copy). Valid only while this `GGUFFile` is alive.
    ///
    /// ```swift
    /// let raw = try gguf.rawBytes("blk.0.ffn_up.weight")   // Q4_K blocks, for int8/quantised kernels
    /// ```
    public func rawBytes(_ name: String) throws -> UnsafeRawBufferPointer {
        table.bytes(of: try requireTensor(name), in: file)
    }

    /// `general.architecture`, when present as a string.
    public var architecture: String? { metadata["general.architecture"]?.stringValue }
}

/// The validated content of a GGUF header.
struct GGUFHeader {
    var version: Int
    var metadata: [String: GGUFValue]
    var metadataKeys: [String]
    var tensors: [GGUFTensorInfo]
    var alignment: Int
    var dataOffset: Int
}

/// Reads and validates the header, metadata and tensor table of a GGUF file.
struct GGUFHeaderParser {
    var cursor: BinaryCursor
    var file: String { cursor.file }

    /// ggml's GGML_MAX_DIMS.
    static let maxDimensions = 4

    mutating func parse() throws -> GGUFHeader {
        let magic = try cursor.read(UInt32.self, "the magic number")
        guard magic == GGUFFile.magic else {
            let bytes = withUnsafeBytes(of: magic.littleEndian) { Array($0) }
            let printable = bytes.map { (0x20..<0x7f).contains($0) ? String(UnicodeScalar($0)) : "." }.joined()
            throw FormatError.badMagic(file: file, found: "'\(printable)' (expected 'GGUF')")
        }
        let version = try cursor.read(UInt32.self, "the version")
        guard version == 2 || version == 3 else {
            throw FormatError.unsupportedVersion(file: file, offset: 4, version: version)
        }
        let tensorCount = try readCount("the tensor count")
        let keyCount = try readCount("the metadata key count")

        var metadata: [String: GGUFValue] = [:]
        metadata.reserveCapacity(capacityLimit(keyCount, minimumItemSize: 13))
        var keys: [String] = []
        for index in 0..<keyCount {
            let keyOffset = cursor.offset
            let key = try cursor.readGGUFString("metadata key #\(index)")
            guard metadata[key] == nil else { throw FormatError.duplicateKey(file: file, offset: keyOffset, key: key) }
            let typeOffset = cursor.offset
            let rawType = try cursor.read(UInt32.self, "the value type of key '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw FormatError.unknownValueType(file: file, offset: typeOffset, key: key, type: rawType)
            }
            metadata[key] = try readValue(type, key: key, depth: 0)
            keys.append(key)
        }

        let alignment = try Self.alignment(metadata["general.alignment"], file: file)
        let tensors = try readTensorTable(count: tensorCount)
        let dataOffset = try align(cursor.offset, to: alignment)
        let resolved = try resolve(tensors, dataOffset: dataOffset, alignment: alignment)
        return GGUFHeader(version: Int(version), metadata: metadata, metadataKeys: keys, tensors: resolved,
                          alignment: alignment, dataOffset: dataOffset)
    }

    /// Reads a u64 count. A corrupt count is not rejected here (the read of the first missing element reports the
    /// exact offset); callers reserve at most `capacityLimit` entries, so it never causes a huge allocation.
    private mutating func readCount(_ what: String) throws -> Int {
        let offset = cursor.offset
        let count = try cursor.read(UInt64.self, what)
        guard let value = Int(exactly: count) else {
            throw FormatError.truncated(file: file, offset: offset, needed: Int.max, context: "\(what) \(count)")
        }
        return value
    }

    /// The most entries of at least `minimumItemSize` bytes the rest of the file could hold.
    private func capacityLimit(_ count: Int, minimumItemSize: Int) -> Int {
        min(count, max(cursor.remaining, 0) / minimumItemSize)
    }

    private static func alignment(_ value: GGUFValue?, file: String) throws -> Int {
        guard let value else { return GGUFFile.defaultAlignment }
        guard let alignment = value.intValue, alignment > 0, alignment & (alignment - 1) == 0 else {
            throw FormatError.invalidHeader(file: file, offset: 0,
                                            reason: "general.alignment = \(value) is not a positive power of two")
        }
        return alignment
    }

    private func align(_ offset: Int, to alignment: Int) throws -> Int {
        let (padded, overflow) = offset.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw FormatError.invalidHeader(file: file, offset: offset, reason: "offset overflow") }
        return padded / alignment * alignment
    }

    // MARK: Metadata values

    /// Nested arrays deeper than this are rejected (no real file nests more than twice).
    static let maxDepth = 16

    private mutating func readValue(_ type: GGUFValueType, key: String, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try cursor.read(UInt8.self, "the u8 value of key '\(key)'"))
        case .int8: return .int8(try cursor.read(Int8.self, "the i8 value of key '\(key)'"))
        case .uint16: return .uint16(try cursor.read(UInt16.self, "the u16 value of key '\(key)'"))
        case .int16: return .int16(try cursor.read(Int16.self, "the i16 value of key '\(key)'"))
        case .uint32: return .uint32(try cursor.read(UInt32.self, "the u32 value of key '\(key)'"))
        case .int32: return .int32(try cursor.read(Int32.self, "the i32 value of key '\(key)'"))
        case .uint64: return .uint64(try cursor.read(UInt64.self, "the u64 value of key '\(key)'"))
        case .int64: return .int64(try cursor.read(Int64.self, "the i64 value of key '\(key)'"))
        case .float32: return .float32(try cursor.readFloat("the f32 value of key '\(key)'"))
        case .float64: return .float64(try cursor.readDouble("the f64 value of key '\(key)'"))
        case .bool:
            let offset = cursor.offset
            let byte = try cursor.read(UInt8.self, "the bool value of key '\(key)'")
            guard byte <= 1 else {
                throw FormatError.invalidHeader(file: file, offset: offset,
                                                reason: "bool value \(byte) of key '\(key)' is neither 0 nor 1")
            }
            return .bool(byte == 1)
        case .string: return .string(try cursor.readGGUFString("the string value of key '\(key)'"))
        case .array: return try readArray(key: key, depth: depth)
        }
    }

    private mutating func readArray(key: String, depth: Int) throws -> GGUFValue {
        let typeOffset = cursor.offset
        guard depth < Self.maxDepth else {
            throw FormatError.invalidHeader(file: file, offset: typeOffset,
                                            reason: "arrays of key '\(key)' nest deeper than \(Self.maxDepth)")
        }
        let rawType = try cursor.read(UInt32.self, "the array element type of key '\(key)'")
        guard let elementType = GGUFValueType(rawValue: rawType) else {
            throw FormatError.unknownValueType(file: file, offset: typeOffset, key: key, type: rawType)
        }
        let minimumSize = elementType.fixedSize ?? (elementType == .string ? 8 : 12)
        let count = try readCount("the array length of key '\(key)'")
        var values: [GGUFValue] = []
        values.reserveCapacity(capacityLimit(count, minimumItemSize: minimumSize))
        switch elementType {
        case .string:
            for index in 0..<count {
                values.append(.string(try cursor.readGGUFString("element \(index) of the \(count)-element string array '\(key)'")))
            }
        default:
            for index in 0..<count {
                do {
                    values.append(try readValue(elementType, key: key, depth: depth + 1))
                } catch let FormatError.truncated(file, offset, needed, _) {
                    throw FormatError.truncated(file: file, offset: offset, needed: needed,
                                                context: "element \(index) of the \(count)-element array '\(key)'")
                }
            }
        }
        return .array(elementType, values)
    }

    // MARK: Tensor table

    private struct RawTensor {
        var name: String
        var dimensions: [Int]
        var type: GGUFTensorType
        var offset: Int
        var byteCount: Int
        var tableOffset: Int
    }

    private mutating func readTensorTable(count: Int) throws -> [RawTensor] {
        var tensors: [RawTensor] = []
        tensors.reserveCapacity(capacityLimit(count, minimumItemSize: 32))
        var seen = Set<String>()
        for index in 0..<count {
            let tableOffset = cursor.offset
            let name = try cursor.readGGUFString("the name of tensor #\(index)")
            guard seen.insert(name).inserted else {
                throw FormatError.duplicateTensor(file: file, offset: tableOffset, tensor: name)
            }
            let dimsOffset = cursor.offset
            let dimensionCount = try cursor.read(UInt32.self, "the dimension count of tensor '\(name)'")
            guard dimensionCount <= Self.maxDimensions else {
                throw FormatError.badShape(file: file, offset: dimsOffset, tensor: name,
                                           reason: "\(dimensionCount) dimensions, at most \(Self.maxDimensions) allowed")
            }
            var dimensions: [Int] = []
            for axis in 0..<Int(dimensionCount) {
                let dimension = try cursor.read(UInt64.self, "dimension \(axis) of tensor '\(name)'")
                guard let value = Int(exactly: dimension) else {
                    throw FormatError.sizeOverflow(file: file, offset: tableOffset, tensor: name)
                }
                dimensions.append(value)
            }
            let typeOffset = cursor.offset
            let rawType = try cursor.read(UInt32.self, "the type of tensor '\(name)'")
            guard let type = GGUFTensorType(rawValue: rawType) else {
                throw FormatError.unknownTensorType(file: file, offset: typeOffset, tensor: name, type: rawType)
            }
            let offset = try cursor.read(UInt64.self, "the data offset of tensor '\(name)'")
            guard let dataOffset = Int(exactly: offset) else {
                throw FormatError.sizeOverflow(file: file, offset: tableOffset, tensor: name)
            }
            let byteCount = try Self.byteCount(dimensions, type: type, name: name, offset: tableOffset, file: file)
            tensors.append(RawTensor(name: name, dimensions: dimensions, type: type, offset: dataOffset,
                                     byteCount: byteCount, tableOffset: tableOffset))
        }
        return tensors
    }

    private static func byteCount(_ dimensions: [Int], type: GGUFTensorType, name: String, offset: Int,
                                  file: String) throws -> Int {
        let elements = try TensorHeaderChecks.elementCount(dimensions, file: file, offset: offset, tensor: name)
        let rowLength = dimensions.first ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw FormatError.badShape(file: file, offset: offset, tensor: name,
                                       reason: "row length \(rowLength) is not a multiple of the \(type.name) "
                                           + "block size \(type.blockSize)")
        }
        guard let bytes = type.byteCount(elements: elements) else {
            throw FormatError.sizeOverflow(file: file, offset: offset, tensor: name)
        }
        return bytes
    }

    /// A tensor's file offset for an error message: its offset comes from the file (up to 2^63 − 1), so the sum
    /// saturates at `Int.max` instead of trapping.
    private static func absolute(_ offset: Int, _ dataOffset: Int) -> Int {
        let (sum, overflow) = dataOffset.addingReportingOverflow(offset)
        return overflow ? Int.max : sum
    }

    /// Checks alignment, bounds and overlap of every tensor and produces the public table entries.
    private func resolve(_ raw: [RawTensor], dataOffset: Int, alignment: Int) throws -> [GGUFTensorInfo] {
        let fileSize = cursor.bytes.count
        let dataSize = max(fileSize - dataOffset, 0)
        var infos: [GGUFTensorInfo] = []
        infos.reserveCapacity(raw.count)
        for tensor in raw {
            guard tensor.offset % alignment == 0 else {
                throw FormatError.misalignedTensor(file: file, tensor: tensor.name,
                                                   offset: Self.absolute(tensor.offset, dataOffset), alignment: alignment)
            }
            let (end, overflow) = tensor.offset.addingReportingOverflow(tensor.byteCount)
            guard !overflow, end <= dataSize else {
                throw FormatError.tensorOutOfBounds(file: file, tensor: tensor.name,
                                                    offset: Self.absolute(tensor.offset, dataOffset),
                                                    byteCount: tensor.byteCount, limit: fileSize)
            }
            infos.append(GGUFTensorInfo(name: tensor.name, shape: tensor.dimensions.reversed(),
                                        dimensions: tensor.dimensions, type: tensor.type, offset: tensor.offset,
                                        fileOffset: dataOffset + tensor.offset, byteCount: tensor.byteCount))
        }
        try TensorHeaderChecks.requireDisjoint(infos, file: file)
        return infos
    }
}
