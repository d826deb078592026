/// `TensorSource` conformance and float32 access to whole tensors or selected rows.
///
/// ```swift
/// let w = try gguf.floats("blk.0.attn_q.weight")                      // [out * in], row-major
/// let rows = try gguf.dequantizeRows("token_embd.weight", rows: [2, 105, 9])  // 3 × 640 floats
/// ```
extension GGUFFile: TensorSource {
    public var tensorNames: [String] { tensors.map(\.name) }

    public func descriptor(_ name: String) -> TensorDescriptor? { tensorInfo(name)?.descriptor }

    /// The whole tensor dequantised to float32 (large tensors are dequantised on all cores).
    public func floats(_ name: String) throws -> [Float] {
        let info = try requireTensor(name)
        return try dequantizedRows(info, rows: 0..<info.rowCount)
    }

    /// Dequantises the whole tensor into caller memory of exactly `elementCount` floats (no intermediate array;
    /// large tensors use all cores).
    ///
    /// ```swift
    /// var w = [Float](repeating: 0, count: info.elementCount)
    /// try w.withUnsafeMutableBufferPointer { try gguf.dequantize("blk.0.ffn_up.weight", into: $0) }
    /// ```
    public func dequantize(_ name: String, into target: UnsafeMutableBufferPointer<Float>) throws {
        let info = try requireTensor(name)
        try checkDequantizable(info)
        guard target.count == info.elementCount else {
            throw FormatError.invalidInput(file: path, what: "tensor '\(name)'",
                                           reason: "buffer holds \(target.count) floats, tensor has \(info.elementCount)")
        }
        guard let output = target.baseAddress, info.elementCount > 0 else { return }
        Dequantizer.dequantizeParallel(info.type, source: rowStart(info, 0), count: info.elementCount, into: output)
    }

    /// Rows `rows` (a row is the innermost dimension: one embedding vector, one output unit of a linear weight),
    /// dequantised to float32 and concatenated.
    public func dequantizeRows(_ name: String, rows: Range<Int>) throws -> [Float] {
        let info = try requireTensor(name)
        guard rows.lowerBound >= 0, rows.upperBound <= info.rowCount else {
            throw FormatError.rowOutOfRange(file: path, tensor: name, rows: "\(rows)", rowCount: info.rowCount)
        }
        return try dequantizedRows(info, rows: rows)
    }

    /// The given rows (in the given order, repeats allowed), dequantised and concatenated: `rows.count × rowLength`.
    public func dequantizeRows(_ name: String, rows: [Int]) throws -> [Float] {
        let info = try requireTensor(name)
        try checkDequantizable(info)
        if let bad = rows.first(where: { $0 < 0 || $0 >= info.rowCount }) {
            throw FormatError.rowOutOfRange(file: path, tensor: name, rows: "\(bad)", rowCount: info.rowCount)
        }
        let rowLength = info.rowLength
        let count = rows.count * rowLength
        guard count > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for (position, row) in rows.enumerated() {
                Dequantizer.dequantize(info.type, source: rowStart(info, row), count: rowLength,
                                       into: buffer.baseAddress! + position * rowLength)
            }
            initialized = count
        }
    }

    /// Dequantises one row into caller-provided memory of exactly `rowLength` floats (no allocation).
    public func dequantizeRow(_ name: String, row: Int, into target: UnsafeMutableBufferPointer<Float>) throws {
        try dequantizeRow(try requireTensor(name), row: row, into: target)
    }

    func dequantizeRow(_ info: GGUFTensorInfo, row: Int, into target: UnsafeMutableBufferPointer<Float>) throws {
        guard row >= 0, row < info.rowCount else {
            throw FormatError.rowOutOfRange(file: path, tensor: info.name, rows: "\(row)", rowCount: info.rowCount)
        }
        guard target.count == info.rowLength else {
            throw FormatError.invalidInput(file: path, what: "row \(row) of '\(info.name)'",
                                           reason: "buffer holds \(target.count) floats, row has \(info.rowLength)")
        }
        try checkDequantizable(info)
        guard let target = target.baseAddress else { return }   // a zero-length row
        Dequantizer.dequantize(info.type, source: rowStart(info, row), count: info.rowLength,
                               into: target)
    }

    private func dequantizedRows(_ info: GGUFTensorInfo, rows: Range<Int>) throws -> [Float] {
        try checkDequantizable(info)
        let count = rows.count * info.rowLength
        guard count > 0 else { return [] }
        let source = rowStart(info, rows.lowerBound)
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            Dequantizer.dequantizeParallel(info.type, source: source, count: count, into: buffer.baseAddress!)
            initialized = count
        }
    }

    /// Address of the first byte of `row` in the map (the row must be valid).
    private func rowStart(_ info: GGUFTensorInfo, _ row: Int) -> UnsafeRawPointer {
        file.bytes.baseAddress! + info.fileOffset + row * info.rowByteCount
    }

    private func checkDequantizable(_ info: GGUFTensorInfo) throws {
        guard info.type.isDequantizable else {
            throw FormatError.unsupportedTensorType(file: path, tensor: info.name, type: info.type.name,
                                                    operation: "dequantisation to float32")
        }
    }
}
