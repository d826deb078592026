/// Typed reads and `TensorSource` conformance.
///
/// ```swift
/// let st = try SafeTensorsFile(contentsOf: url)
/// let counts = try st.doubles("activation_counts")
/// let ids = try st.int64s("token_ids")
/// ```
extension SafeTensorsFile: TensorSource {
    public var tensorNames: [String] { tensors.map(\.name) }

    public func descriptor(_ name: String) -> TensorDescriptor? { tensorInfo(name)?.descriptor }

    /// Values as Float (F32, F16, BF16, F64 and the integer types; F64 and large integers lose precision).
    public func floats(_ name: String) throws -> [Float] {
        let info = try requireTensor(name)
        let raw = try rawBytes(name)
        let count = info.elementCount
        guard count > 0 else { return [] }
        switch info.dtype {
        case .f32: return [Float](unsafeUninitializedCapacity: count) { out, n in
            Dequantizer.dequantize(.f32, source: raw.baseAddress!, count: count, into: out.baseAddress!); n = count }
        case .f16: return [Float](unsafeUninitializedCapacity: count) { out, n in
            Dequantizer.dequantizeParallel(.f16, source: raw.baseAddress!, count: count, into: out.baseAddress!); n = count }
        case .bf16: return [Float](unsafeUninitializedCapacity: count) { out, n in
            Dequantizer.dequantizeParallel(.bf16, source: raw.baseAddress!, count: count, into: out.baseAddress!); n = count }
        default: return try doubles(name).map(Float.init)
        }
    }

    /// Selected rows (innermost dimension) as Float, converting only those rows (F32, F16, BF16; other dtypes
    /// convert the whole tensor).
    public func dequantizeRows(_ name: String, rows: [Int]) throws -> [Float] {
        let info = try requireTensor(name)
        let rowLength = info.shape.last ?? 1
        let rowCount = rowLength == 0 ? 0 : info.elementCount / rowLength
        if let bad = rows.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw FormatError.rowOutOfRange(file: path, tensor: name, rows: "\(bad)", rowCount: rowCount)
        }
        let type: GGUFTensorType
        switch info.dtype {
        case .f32: type = .f32
        case .f16: type = .f16
        case .bf16: type = .bf16
        default:
            let all = try floats(name)
            return rows.flatMap { all[($0 * rowLength)..<(($0 + 1) * rowLength)] }
        }
        let raw = try rawBytes(name)
        let rowBytes = rowLength * info.dtype.byteSize
        guard rows.count * rowLength > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: rows.count * rowLength) { out, initialized in
            for (position, row) in rows.enumerated() {
                Dequantizer.dequantize(type, source: raw.baseAddress! + row * rowBytes, count: rowLength,
                                       into: out.baseAddress! + position * rowLength)
            }
            initialized = rows.count * rowLength
        }
    }

    /// Values as Double (any floating-point or integer dtype).
    public func doubles(_ name: String) throws -> [Double] {
        let info = try requireTensor(name)
        let raw = try rawBytes(name)
        switch info.dtype {
        case .f64: return Self.load(raw, Double.self) { $0 }
        case .f32, .f16, .bf16: return try floats(name).map(Double.init)
        case .i64: return Self.load(raw, Int64.self) { Double($0) }
        case .i32: return Self.load(raw, Int32.self) { Double($0) }
        case .i16: return Self.load(raw, Int16.self) { Double($0) }
        case .i8: return Self.load(raw, Int8.self) { Double($0) }
        case .u64: return Self.load(raw, UInt64.self) { Double($0) }
        case .u32: return Self.load(raw, UInt32.self) { Double($0) }
        case .u16: return Self.load(raw, UInt16.self) { Double($0) }
        case .u8, .bool: return Self.load(raw, UInt8.self) { Double($0) }
        case .f8e4m3, .f8e5m2: throw unsupported(info, "reading as Double")
        }
    }

    /// Values as Int64 (integer and BOOL dtypes only; a U64 above Int64.max is an error).
    public func int64s(_ name: String) throws -> [Int64] {
        let info = try requireTensor(name)
        let raw = try rawBytes(name)
        switch info.dtype {
        case .i64: return Self.load(raw, Int64.self) { $0 }
        case .i32: return Self.load(raw, Int32.self) { Int64($0) }
        case .i16: return Self.load(raw, Int16.self) { Int64($0) }
        case .i8: return Self.load(raw, Int8.self) { Int64($0) }
        case .u32: return Self.load(raw, UInt32.self) { Int64($0) }
        case .u16: return Self.load(raw, UInt16.self) { Int64($0) }
        case .u8, .bool: return Self.load(raw, UInt8.self) { Int64($0) }
        case .u64:
            let values = Self.load(raw, UInt64.self) { $0 }
            guard let big = values.first(where: { $0 > UInt64(Int64.max) }) else { return values.map { Int64($0) } }
            throw FormatError.invalidInput(file: path, what: "tensor '\(name)' as Int64", reason: "U64 value \(big) overflows")
        default: throw unsupported(info, "reading as Int64")
        }
    }

    private func unsupported(_ info: SafeTensorsTensorInfo, _ operation: String) -> FormatError {
        .unsupportedTensorType(file: path, tensor: info.name, type: info.dtype.rawValue, operation: operation)
    }

    private static func load<T: FixedWidthInteger, R>(_ raw: UnsafeRawBufferPointer, _: T.Type,
                                                      _ convert: (T) -> R) -> [R] {
        let count = raw.count / MemoryLayout<T>.size
        return (0..<count).map { convert(T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))) }
    }

    private static func load<R>(_ raw: UnsafeRawBufferPointer, _: Double.Type, _ convert: (Double) -> R) -> [R] {
        let count = raw.count / 8
        return (0..<count).map { convert(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))) }
    }
}
