import Foundation

/// Builds small `torch.save`-style archives (STORED zip + pickle protocol 2) so the reader can be tested on
/// Tang and Gurgurov layouts, dtypes and strides that the shared files do not cover.
enum TorchFixture {
    enum Value {
        case int(Int32)
        case tensor(storageClass: String, key: String, bytes: [UInt8], numel: Int, shape: [Int], stride: [Int])
    }

    static func int32Tensor(_ key: String, _ values: [Int32], shape: [Int], stride: [Int]? = nil) -> Value {
        .tensor(storageClass: "IntStorage", key: key, bytes: values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) },
                numel: values.count, shape: shape, stride: stride ?? contiguous(shape))
    }

    static func float32Tensor(_ key: String, _ values: [Float], shape: [Int]) -> Value {
        .tensor(storageClass: "FloatStorage", key: key, bytes: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) },
                numel: values.count, shape: shape, stride: contiguous(shape))
    }

    static func contiguous(_ shape: [Int]) -> [Int] {
        var stride = [Int](repeating: 1, count: shape.count)
        for d in stride.indices.dropLast().reversed() { stride[d] = stride[d + 1] * shape[d + 1] }
        return stride
    }

    /// A dict pickle `{key: value, …}` and its storages, zipped under `root/`.
    static func archive(root: String, items: [(String, Value)]) -> Data {
        var pickle: [UInt8] = [0x80, 2, 0x7D, 0x28]
        var storages: [(String, [UInt8])] = []
        func unicode(_ s: String) { let u = Array(s.utf8); pickle += [0x58] + le32(u.count) + u }
        func int(_ v: Int) { pickle += [0x4A] + le32(v) }
        func global(_ m: String, _ n: String) { pickle += [0x63] + Array("\(m)\n\(n)\n".utf8) }
        for (key, value) in items {
            unicode(key)
            switch value {
            case .int(let v): int(Int(v))
            case let .tensor(storageClass, storageKey, bytes, numel, shape, stride):
                storages.append((storageKey, bytes))
                global("torch._utils", "_rebuild_tensor_v2")
                pickle += [0x28, 0x28]
                unicode("storage"); global("torch", storageClass); unicode(storageKey); unicode("cpu"); int(numel)
                pickle += [0x74, 0x51]           // TUPLE, BINPERSID
                int(0)
                pickle += [0x28]; shape.forEach { int($0) }; pickle += [0x74]
                pickle += [0x28]; stride.forEach { int($0) }; pickle += [0x74]
                pickle += [0x89]                 // requires_grad False
                global("collections", "OrderedDict"); pickle += [0x29, 0x52]
                pickle += [0x74, 0x52]           // TUPLE, REDUCE
            }
        }
        pickle += [0x75, 0x2E]
        return zip([("\(root)/data.pkl", pickle), ("\(root)/byteorder", Array("little".utf8))]
                   + storages.map { ("\(root)/data/\($0.0)", $0.1) } + [("\(root)/version", Array("3\n".utf8))])
    }

    static func le32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian, Array.init) }
    static func le16(_ v: Int) -> [UInt8] { withUnsafeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, Array.init) }

    /// A STORED zip (CRCs left at 0: the reader does not check them).
    static func zip(_ members: [(String, [UInt8])]) -> Data {
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, bytes) in members {
            let offset = out.count, n = Array(name.utf8)
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(bytes.count) + le32(bytes.count)
                + le16(n.count) + le16(0) + n + bytes
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(bytes.count)
                + le32(bytes.count) + le16(n.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + n
        }
        let centralOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(members.count) + le16(members.count) + le32(central.count) + le32(centralOffset) + le16(0)
        return Data(out)
    }
}
