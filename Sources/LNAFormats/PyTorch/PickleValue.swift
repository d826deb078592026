/// A value rebuilt from a `torch.save` pickle: plain Python data plus tensor references.
///
/// Tensors are references into the archive's storages; read their values with `TorchFile`.
///
/// ```swift
/// if case .dict(let pairs) = file.root, let total = file.root["total_tokens"]?.intValue { print(total) }
/// ```
public indirect enum PickleValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    /// A dict (or OrderedDict) in insertion order.
    case dict([PickleDictItem])
    /// A class or function named by GLOBAL, such as `torch LongStorage`.
    case global(module: String, name: String)
    /// A storage persistent id `('storage', torch.XStorage, key, device, numel)`.
    case storage(TorchStorageReference)
    case tensor(TorchTensorReference)

    /// The value under a string key when this is a dict.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let items) = self else { return nil }
        for item in items { if case .string(let k) = item.key, k == key { return item.value } }
        return nil
    }

    /// The string keys of a dict, in order (non-string keys are skipped).
    public var dictKeys: [String] {
        guard case .dict(let items) = self else { return [] }
        return items.compactMap { if case .string(let k) = $0.key { return k } else { return nil } }
    }

    /// The integer value (ints and bools).
    public var intValue: Int? {
        switch self {
        case .int(let v): return v
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// The elements of a list or tuple.
    public var elements: [PickleValue]? {
        switch self {
        case .list(let items), .tuple(let items): return items
        default: return nil
        }
    }

    /// The tensor reference, if this is a tensor.
    public var tensor: TorchTensorReference? {
        if case .tensor(let t) = self { return t }
        return nil
    }

    /// A short type name for error messages.
    public var typeName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .global(let m, let n): return "\(m).\(n)"
        case .storage: return "storage"
        case .tensor: return "tensor"
        }
    }
}

/// One key/value pair of a pickled dict.
public struct PickleDictItem: Sendable {
    public let key: PickleValue
    public let value: PickleValue
}

/// Element types of torch storages (from the legacy storage class name).
public enum TorchDType: String, Sendable, CaseIterable {
    case int64 = "LongStorage", int32 = "IntStorage", int16 = "ShortStorage", int8 = "CharStorage"
    case uint8 = "ByteStorage", bool = "BoolStorage"
    case float64 = "DoubleStorage", float32 = "FloatStorage", float16 = "HalfStorage", bfloat16 = "BFloat16Storage"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .int64, .float64: return 8
        case .int32, .float32: return 4
        case .int16, .float16, .bfloat16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }
}

/// The storage a tensor points into: archive member `<root>/data/<key>`.
public struct TorchStorageReference: Sendable, Equatable {
    public let key: String
    public let dtype: TorchDType
    public let elementCount: Int
}

/// A tensor as `torch._utils._rebuild_tensor_v2` describes it (values stay in the archive).
public struct TorchTensorReference: Sendable, Equatable {
    public let storage: TorchStorageReference
    /// Offset into the storage, in elements.
    public let storageOffset: Int
    public let shape: [Int]
    /// Strides in elements.
    public let stride: [Int]

    /// Elements in the tensor (the product of `shape`; validated not to overflow when the pickle is read).
    public var elementCount: Int { shape.reduce(1, *) }
    public var dtype: TorchDType { storage.dtype }

    /// Why this layout cannot be read from its storage, or nil: every size is non-negative, the element count
    /// does not exceed the storage (lna reads no broadcast views), and every element's index lies inside the
    /// storage, all in checked arithmetic.
    var layoutProblem: String? {
        guard storageOffset >= 0, shape.allSatisfy({ $0 >= 0 }), stride.allSatisfy({ $0 >= 0 }), stride.count == shape.count else {
            return "offset \(storageOffset), shape \(shape) and stride \(stride) must be non-negative and of one rank"
        }
        // The product of the non-zero dimensions must fit in an Int whatever the order of multiplication.
        var product = 1
        for dimension in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: max(dimension, 1))
            guard !overflow else { return "shape \(shape) has more elements than an Int counts" }
            product = next
        }
        let count = shape.contains(0) ? 0 : product
        guard count <= storage.elementCount else {
            return "shape \(shape) has \(count) elements but the storage holds \(storage.elementCount)"
        }
        if count == 0 { return nil }
        var last = storageOffset
        for (dimension, step) in zip(shape, stride) {
            let (reach, overflow) = (dimension - 1).multipliedReportingOverflow(by: step)
            let (sum, overflowSum) = last.addingReportingOverflow(reach)
            guard !overflow, !overflowSum else { return "stride \(stride) reaches past any storage" }
            last = sum
        }
        guard last < storage.elementCount else {
            return "shape \(shape), stride \(stride) and offset \(storageOffset) reach element \(last) of a storage of \(storage.elementCount)"
        }
        return nil
    }
}
