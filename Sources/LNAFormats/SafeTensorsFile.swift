import Foundation

/// One tensor of a safetensors file.
public struct SafeTensorsTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafeTensorsDType
    /// Row-major shape, outermost first (empty for a scalar).
    public let shape: [Int]
    /// Byte range relative to the start of the data buffer (`data_offsets`).
    public let dataOffsets: Range<Int>
    /// Offset of the first byte from the start of the file.
    public let fileOffset: Int

    public var elementCount: Int { shape.reduce(1, *) }
    public var byteCount: Int { dataOffsets.count }
    public var descriptor: TensorDescriptor { TensorDescriptor(name: name, shape: shape, typeName: dtype.rawValue) }
}

/// A safetensors file, memory-mapped read-only, with its header validated strictly on open: header length,
/// JSON syntax, dtypes, shapes, `data_offsets` in bounds, byte size = elements × dtype size, and no overlap.
///
/// ```swift
/// let st = try SafeTensorsFile(contentsOf: url)
/// let w = try st.floats("model.layers.0.mlp.up_proj.weight")   // BF16 → Float
/// let kind = st.metadata["format"]                              // "pt"
/// ```
public final class SafeTensorsFile: Sendable {
    public let path: String
    /// Tensors in data order (by offset).
    public var tensors: [SafeTensorsTensorInfo] { table.entries }
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    /// File offset of the data buffer (8 + header length).
    public let dataOffset: Int

    let file: MappedFile
    let table: TensorTable<SafeTensorsTensorInfo>

    /// Headers longer than this are refused, as the reference implementation does (100 MB).
    public static let maxHeaderLength = 100_000_000

    public convenience init(contentsOf url: URL) throws {
        try self.init(mapped: MappedFile(url))
    }

    public init(mapped file: MappedFile) throws {
        self.file = file
        path = file.path
        let header = try SafeTensorsHeaderParser(bytes: file.bytes, file: file.path).parse()
        table = TensorTable(header.tensors)
        metadata = header.metadata
        dataOffset = header.dataOffset
    }

    public func tensorInfo(_ name: String) -> SafeTensorsTensorInfo? { table.entry(name) }

    /// The entry of `name`; throws `missingTensor` with near matches when absent.
    public func requireTensor(_ name: String) throws -> SafeTensorsTensorInfo { try table.require(name, file: path) }

    /// The tensor's bytes inside the map (no copy); valid while this object is alive.
    public func rawBytes(_ name: String) throws -> UnsafeRawBufferPointer {
        table.bytes(of: try requireTensor(name), in: file)
    }
}

/// Parses and validates a safetensors header.
struct SafeTensorsHeaderParser {
    let bytes: UnsafeRawBufferPointer
    let file: String

    struct Header {
        var tensors: [SafeTensorsTensorInfo]
        var metadata: [String: String]
        var dataOffset: Int
    }

    func parse() throws -> Header {
        var cursor = BinaryCursor(bytes, file: file)
        let length = try cursor.read(UInt64.self, "the 8-byte header length")
        guard length >= 2, length <= UInt64(SafeTensorsFile.maxHeaderLength) else {
            throw FormatError.invalidHeader(file: file, offset: 0,
                                            reason: "header length \(length) is outside 2...\(SafeTensorsFile.maxHeaderLength)")
        }
        let headerBytes = try cursor.readBytes(Int(length), "the JSON header of \(length) bytes")
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw FormatError.invalidHeader(file: file, offset: 8, reason: "the JSON header does not start with '{'")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(headerBytes) } catch let error as JSONParseError {
            throw FormatError.invalidHeader(file: file, offset: 8 + error.offset, reason: "bad JSON: \(error.reason)")
        }
        guard case let .object(object) = json else {
            throw FormatError.invalidHeader(file: file, offset: 8, reason: "the header is not a JSON object")
        }
        let dataOffset = 8 + Int(length)
        let dataSize = bytes.count - dataOffset
        var tensors: [SafeTensorsTensorInfo] = []
        var metadata: [String: String] = [:]
        for key in object.keys {
            let value = object[key]!
            if key == "__metadata__" {
                metadata = try parseMetadata(value)
            } else {
                tensors.append(try parseTensor(key, value, dataOffset: dataOffset, dataSize: dataSize))
            }
        }
        // Table order is file order.
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        try TensorHeaderChecks.requireDisjoint(tensors, file: file)
        return Header(tensors: tensors, metadata: metadata, dataOffset: dataOffset)
    }

    private func invalid(_ reason: String) -> FormatError { .invalidHeader(file: file, offset: 8, reason: reason) }

    private func parseMetadata(_ value: JSONValue) throws -> [String: String] {
        guard case let .object(object) = value else { throw invalid("__metadata__ is not an object") }
        var metadata: [String: String] = [:]
        for key in object.keys {
            guard let string = object[key]?.stringValue else {
                throw invalid("__metadata__ key '\(key)' is \(object[key]!.typeName), expected a string")
            }
            metadata[key] = string
        }
        return metadata
    }

    private func parseTensor(_ name: String, _ value: JSONValue, dataOffset: Int, dataSize: Int) throws
        -> SafeTensorsTensorInfo
    {
        guard case let .object(entry) = value else { throw invalid("tensor '\(name)' entry is not an object") }
        guard let dtypeName = entry["dtype"]?.stringValue else { throw invalid("tensor '\(name)' has no string dtype") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw invalid("tensor '\(name)' has unknown dtype '\(dtypeName)'")
        }
        guard let shapeValues = entry["shape"]?.arrayValue else { throw invalid("tensor '\(name)' has no shape array") }
        var shape: [Int] = []
        for dimensionValue in shapeValues {
            guard case let .int(dimension) = dimensionValue, dimension >= 0 else {
                throw invalid("tensor '\(name)' shape entry \(dimensionValue) is not a non-negative integer")
            }
            shape.append(dimension)
        }
        let elements = try TensorHeaderChecks.elementCount(shape, file: file, offset: 8, tensor: name)
        guard let offsets = entry["data_offsets"]?.arrayValue, offsets.count == 2,
              case let .int(begin) = offsets[0], case let .int(end) = offsets[1], begin >= 0, begin <= end
        else { throw invalid("tensor '\(name)' data_offsets is not [begin, end] with 0 <= begin <= end") }
        let (expected, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw FormatError.sizeOverflow(file: file, offset: 8, tensor: name) }
        guard end - begin == expected else {
            throw invalid("tensor '\(name)' has \(end - begin) bytes in data_offsets but shape \(shape) × "
                          + "\(dtype.rawValue) needs \(expected)")
        }
        guard end <= dataSize else {
            throw FormatError.tensorOutOfBounds(file: file, tensor: name, offset: dataOffset + begin,
                                                byteCount: end - begin, limit: bytes.count)
        }
        return SafeTensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end,
                                     fileOffset: dataOffset + begin)
    }
}
