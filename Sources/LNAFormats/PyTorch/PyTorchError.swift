/// Why a PyTorch `.pt` file (a `torch.save` zip archive) could not be read.
///
/// Every message is one line naming the file, the offset or key, and what was expected.
///
/// ```swift
/// do { _ = try TorchFile(contentsOf: url) } catch let error as PyTorchError { print(error) }
/// ```
public enum PyTorchError: Error, CustomStringConvertible, Equatable {
    /// The zip structure is broken (no end-of-central-directory record, truncated header, bad signature...).
    case corruptZip(file: String, offset: Int, reason: String)
    /// The entry is compressed; torch.save writes STORED entries only.
    case compressedEntry(file: String, entry: String, method: Int)
    /// A required archive member is absent (for example `<root>/data.pkl` or a storage `data/<key>`).
    case missingEntry(file: String, entry: String)
    /// The pickle stream uses an opcode this reader does not implement.
    case unsupportedOpcode(file: String, offset: Int, opcode: UInt8)
    /// The pickle stream is malformed (stack underflow, missing MARK, truncated argument...).
    case corruptPickle(file: String, offset: Int, reason: String)
    /// The pickle calls a class or function this reader does not rebuild.
    case unsupportedGlobal(file: String, offset: Int, name: String)
    /// A tensor's storage is too small for its shape, stride and offset, or has an unknown type.
    case badTensor(file: String, key: String, reason: String)
    /// The archive stores big-endian data.
    case unsupportedByteOrder(file: String, order: String)

    public var description: String {
        switch self {
        case let .corruptZip(file, offset, reason):
            return "\(file): not a valid torch.save zip at byte \(offset): \(reason)"
        case let .compressedEntry(file, entry, method):
            return "\(file): entry \(entry) uses zip compression method \(method); only STORED (0) entries, as torch.save writes, are supported"
        case let .missingEntry(file, entry):
            return "\(file): archive member \(entry) is missing (truncated or not a torch.save file?)"
        case let .unsupportedOpcode(file, offset, opcode):
            return "\(file): pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset) of data.pkl is not supported by this reader (expected a torch.save of tensors, lists, dicts, ints, floats, strings)"
        case let .corruptPickle(file, offset, reason):
            return "\(file): malformed pickle at byte \(offset) of data.pkl: \(reason)"
        case let .unsupportedGlobal(file, offset, name):
            return "\(file): pickle refers to \(name) at byte \(offset) of data.pkl, which this reader does not rebuild (only tensors, storages and OrderedDict)"
        case let .badTensor(file, key, reason):
            return "\(file): tensor with storage \(key): \(reason)"
        case let .unsupportedByteOrder(file, order):
            return "\(file): byteorder is \(order); only little-endian archives are supported"
        }
    }
}
