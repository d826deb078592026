import Foundation

/// A `torch.save` file (zip archive with `<root>/data.pkl` and raw storages `<root>/data/<key>`) read without
/// PyTorch: the pickle is rebuilt into a `PickleValue`, tensors are read on request.
///
/// ```swift
/// let file = try TorchFile(contentsOf: URL(fileURLWithPath: "activation.en.Mistral.pt"))
/// let total = file.root["total_tokens"]?.intValue
/// let counts = try file.int64Values(file.root["over_zero"]!.tensor!)   // [L*H], row-major
/// ```
public struct TorchFile: Sendable {
    /// The unpickled object.
    public let root: PickleValue
    /// The archive's root folder name (for example `activation.en.Mistral-…`).
    public let archiveRoot: String
    public let fileName: String
    private let archive: ZipArchive

    /// Opens and unpickles a file; tensor values are read lazily.
    public init(contentsOf url: URL) throws {
        try self.init(archive: try ZipArchive(contentsOf: url))
    }

    /// Unpickles an archive already opened.
    public init(archive: ZipArchive) throws {
        self.archive = archive
        self.fileName = archive.fileName
        guard let pickleEntry = archive.entries.first(where: { $0.name.hasSuffix("data.pkl") && $0.name.split(separator: "/").count <= 2 }) else {
            throw PyTorchError.missingEntry(file: archive.fileName, entry: "<root>/data.pkl")
        }
        let name = pickleEntry.name
        self.archiveRoot = name.contains("/") ? String(name[..<name.lastIndex(of: "/")!]) : ""
        if let orderEntry = archive.entry(named: archiveRoot + "/byteorder") {
            let order = String(decoding: try archive.contents(of: orderEntry), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard order == "little" else { throw PyTorchError.unsupportedByteOrder(file: archive.fileName, order: order) }
        }
        var machine = PickleMachine(bytes: Array(try archive.contents(of: pickleEntry)), fileName: archive.fileName)
        self.root = try machine.run()
    }

    /// All tensors in the object, in pickle order (depth first).
    public var tensors: [TorchTensorReference] {
        func collect(_ v: PickleValue, _ out: inout [TorchTensorReference]) {
            switch v {
            case .tensor(let t): out.append(t)
            case .list(let items), .tuple(let items): items.forEach { collect($0, &out) }
            case .dict(let items): items.forEach { collect($0.value, &out) }
            default: break
            }
        }
        var out: [TorchTensorReference] = []
        collect(root, &out)
        return out
    }

    /// The raw little-endian bytes of a storage.
    public func storageBytes(_ storage: TorchStorageReference) throws -> Data {
        let member = archiveRoot.isEmpty ? "data/\(storage.key)" : "\(archiveRoot)/data/\(storage.key)"
        guard let entry = archive.entry(named: member) else { throw PyTorchError.missingEntry(file: fileName, entry: member) }
        let data = try archive.contents(of: entry)
        let (expected, overflow) = storage.elementCount.multipliedReportingOverflow(by: storage.dtype.size)
        guard !overflow, data.count == expected else {
            throw PyTorchError.badTensor(file: fileName, key: storage.key,
                                         reason: "storage holds \(data.count) bytes, expected \(storage.elementCount) × \(storage.dtype.size) (truncated or corrupt)")
        }
        return data
    }

    /// A tensor's values as Int64, row-major (integer and bool dtypes only).
    public func int64Values(_ tensor: TorchTensorReference) throws -> [Int64] {
        let raw = try storageBytes(tensor.storage)
        let read: (UnsafeRawBufferPointer, Int) -> Int64
        switch tensor.dtype {
        case .int64: read = { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 8, as: Int64.self)) }
        case .int32: read = { Int64(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 4, as: Int32.self))) }
        case .int16: read = { Int64(Int16(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 2, as: Int16.self))) }
        case .int8: read = { Int64($0.load(fromByteOffset: $1, as: Int8.self)) }
        case .uint8, .bool: read = { Int64($0.load(fromByteOffset: $1, as: UInt8.self)) }
        default:
            throw PyTorchError.badTensor(file: fileName, key: tensor.storage.key, reason: "dtype \(tensor.dtype) is not an integer type")
        }
        return try gather(tensor, raw, read)
    }

    /// A tensor's values as Double, row-major (any numeric dtype; float16/bfloat16 widened exactly).
    public func doubleValues(_ tensor: TorchTensorReference) throws -> [Double] {
        let raw = try storageBytes(tensor.storage)
        let read: (UnsafeRawBufferPointer, Int) -> Double
        switch tensor.dtype {
        case .float64: read = { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 8, as: UInt64.self))) }
        case .float32: read = { Double(Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 4, as: UInt32.self)))) }
        case .bfloat16:
            read = { Double(Float(bitPattern: UInt32(UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 2, as: UInt16.self))) << 16)) }
        case .float16:
            read = { Double(Self.halfToFloat(UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 2, as: UInt16.self)))) }
        default:
            return try int64Values(tensor).map(Double.init)
        }
        return try gather(tensor, raw, read)
    }

    /// Copies elements in row-major order, following the tensor's strides and offset.
    private func gather<T>(_ tensor: TorchTensorReference, _ raw: Data, _ read: (UnsafeRawBufferPointer, Int) -> T) throws -> [T] {
        // Readers build references only through the pickle, which validates them; this keeps a hand-made one safe.
        if let problem = tensor.layoutProblem {
            throw PyTorchError.badTensor(file: fileName, key: tensor.storage.key, reason: problem)
        }
        let shape = tensor.shape, stride = tensor.stride
        let count = tensor.elementCount
        if count == 0 { return [] }
        return raw.withUnsafeBytes { buffer -> [T] in
            var out: [T] = []
            out.reserveCapacity(count)
            if Self.isContiguous(shape, stride) {
                for i in 0..<count { out.append(read(buffer, tensor.storageOffset + i)) }
                return out
            }
            var index = [Int](repeating: 0, count: shape.count)
            for _ in 0..<count {
                let at = tensor.storageOffset + zip(index, stride).reduce(0) { $0 + $1.0 * $1.1 }
                out.append(read(buffer, at))
                var d = shape.count - 1
                while d >= 0 { index[d] += 1; if index[d] < shape[d] { break }; index[d] = 0; d -= 1 }
            }
            return out
        }
    }

    static func isContiguous(_ shape: [Int], _ stride: [Int]) -> Bool {
        var expected = 1
        for d in stride.indices.reversed() {
            if shape[d] != 1 && stride[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    static func halfToFloat(_ h: UInt16) -> Float {
        #if arch(x86_64) || arch(arm64)
        return Float(Float16(bitPattern: h))
        #else
        return 0
        #endif
    }
}
