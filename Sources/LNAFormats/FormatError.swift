/// Errors of the file readers and writers in LNAFormats. Every message is one line naming the file, the byte
/// offset or the key/tensor concerned, and what was expected.
///
/// ```swift
/// do { _ = try GGUFFile(contentsOf: url) }
/// catch let error as FormatError { print(error) }   // "model.gguf: bad magic at offset 0: ..."
/// ```
public enum FormatError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened, stat'ed or mapped.
    case cannotOpen(file: String, reason: String)
    /// The first bytes are not the format's magic number.
    case badMagic(file: String, found: String)
    /// The container version is not one this reader supports.
    case unsupportedVersion(file: String, offset: Int, version: UInt32)
    /// The file ended before `needed` more bytes could be read at `offset`.
    case truncated(file: String, offset: Int, needed: Int, context: String)
    /// A GGUF metadata value type id is not one of the thirteen the format defines.
    case unknownValueType(file: String, offset: Int, key: String, type: UInt32)
    /// The same metadata key appears twice.
    case duplicateKey(file: String, offset: Int, key: String)
    /// The same tensor name appears twice.
    case duplicateTensor(file: String, offset: Int, tensor: String)
    /// A tensor's storage type id is unknown to this reader.
    case unknownTensorType(file: String, offset: Int, tensor: String, type: UInt32)
    /// A tensor's shape is invalid (too many dimensions, row not a multiple of the block size, ...).
    case badShape(file: String, offset: Int, tensor: String, reason: String)
    /// A tensor's element count or byte size does not fit in an Int.
    case sizeOverflow(file: String, offset: Int, tensor: String)
    /// A tensor's bytes do not lie inside the data section.
    case tensorOutOfBounds(file: String, tensor: String, offset: Int, byteCount: Int, limit: Int)
    /// A tensor's offset is not a multiple of the file's alignment.
    case misalignedTensor(file: String, tensor: String, offset: Int, alignment: Int)
    /// Two tensors' byte ranges overlap.
    case overlappingTensors(file: String, first: String, second: String, offset: Int)
    /// A header field has an invalid value (alignment not a power of two, bad header length, bad JSON, ...).
    case invalidHeader(file: String, offset: Int, reason: String)
    /// A metadata key that was asked for is absent.
    case missingKey(file: String, key: String, nearMatches: [String])
    /// A metadata key holds a value of another type than asked for.
    case wrongType(file: String, key: String, expected: String, found: String)
    /// A tensor that was asked for is absent.
    case missingTensor(file: String, tensor: String, nearMatches: [String])
    /// The tensor's storage type cannot be converted as asked (e.g. an i-quant to float).
    case unsupportedTensorType(file: String, tensor: String, type: String, operation: String)
    /// A row index or range lies outside the tensor.
    case rowOutOfRange(file: String, tensor: String, rows: String, rowCount: Int)
    /// A value handed to a writer cannot be stored (bad shape, non-finite where forbidden, name too long, ...).
    case invalidInput(file: String, what: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "\(file): cannot open: \(reason)"
        case let .badMagic(file, found):
            return "\(file): bad magic at offset 0: found \(found); not a file of the expected format"
        case let .unsupportedVersion(file, offset, version):
            let swapped = version.byteSwapped
            let hint = swapped == 2 || swapped == 3 ? "; this is a big-endian GGUF, only little-endian is supported" : ""
            return "\(file): unsupported version \(version) at offset \(offset) (supported: 2, 3)\(hint)"
        case let .truncated(file, offset, needed, context):
            return "\(file): truncated at offset \(offset): needed \(needed) more byte(s) for \(context)"
        case let .unknownValueType(file, offset, key, type):
            return "\(file): unknown metadata value type \(type) at offset \(offset) for key '\(key)' (known: 0...12)"
        case let .duplicateKey(file, offset, key):
            return "\(file): duplicate metadata key '\(key)' at offset \(offset)"
        case let .duplicateTensor(file, offset, tensor):
            return "\(file): duplicate tensor name '\(tensor)' at offset \(offset)"
        case let .unknownTensorType(file, offset, tensor, type):
            return "\(file): unknown tensor type id \(type) for tensor '\(tensor)' at offset \(offset)"
        case let .badShape(file, offset, tensor, reason):
            return "\(file): bad shape for tensor '\(tensor)' at offset \(offset): \(reason)"
        case let .sizeOverflow(file, offset, tensor):
            return "\(file): size of tensor '\(tensor)' (described at offset \(offset)) overflows a 64-bit integer"
        case let .tensorOutOfBounds(file, tensor, offset, byteCount, limit):
            return "\(file): tensor '\(tensor)' data at offset \(offset) (+\(byteCount) bytes) "
                + "runs past the end of the file at offset \(limit)"
        case let .misalignedTensor(file, tensor, offset, alignment):
            return "\(file): tensor '\(tensor)' data offset \(offset) is not a multiple of the alignment \(alignment)"
        case let .overlappingTensors(file, first, second, offset):
            return "\(file): tensors '\(first)' and '\(second)' overlap at data offset \(offset)"
        case let .invalidHeader(file, offset, reason):
            return "\(file): invalid header at offset \(offset): \(reason)"
        case let .missingKey(file, key, near):
            return "\(file): missing key '\(key)'" + Self.suggestion(near)
        case let .wrongType(file, key, expected, found):
            return "\(file): key '\(key)' is \(found), expected \(expected)"
        case let .missingTensor(file, tensor, near):
            return "\(file): no tensor named '\(tensor)'" + Self.suggestion(near)
        case let .unsupportedTensorType(file, tensor, type, operation):
            return "\(file): tensor '\(tensor)' has type \(type), which \(operation) does not support"
        case let .rowOutOfRange(file, tensor, rows, rowCount):
            return "\(file): rows \(rows) of tensor '\(tensor)' are outside 0..<\(rowCount)"
        case let .invalidInput(file, what, reason):
            return "\(file): cannot write \(what): \(reason)"
        }
    }

    private static func suggestion(_ near: [String]) -> String {
        near.isEmpty ? "" : " (did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?)"
    }
}
