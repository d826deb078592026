/// Where a model's weights come from: a GGUF file, a safetensors file or a sharded safetensors directory.
///
/// Every source reports shapes in row-major order, outermost first (`[out, in]` for a linear weight),
/// whatever its own convention (GGUF lists dimensions fastest first), and dequantises to float32 on request.
///
/// ```swift
/// let source: TensorSource = try GGUFFile(contentsOf: url)
/// let w = try source.floats("blk.0.ffn_gate.weight")   // [Float], row-major
/// ```
public protocol TensorSource: Sendable {
    /// Names of all tensors, in file order.
    var tensorNames: [String] { get }
    /// Shape and storage type of one tensor, or nil when there is no such tensor.
    func descriptor(_ name: String) -> TensorDescriptor?
    /// The tensor's values dequantised to float32, row-major in `descriptor(name).shape` order.
    func floats(_ name: String) throws -> [Float]
    /// Selected rows (a row = the innermost dimension, e.g. one embedding vector), dequantised and concatenated
    /// in the order given (`rows.count × shape.last` floats). GGUF and safetensors sources convert only those
    /// rows; the default implementation converts the whole tensor.
    ///
    /// ```swift
    /// let vectors = try source.dequantizeRows("token_embd.weight", rows: tokenIDs)
    /// ```
    func dequantizeRows(_ name: String, rows: [Int]) throws -> [Float]
}

extension TensorSource {
    public func dequantizeRows(_ name: String, rows: [Int]) throws -> [Float] {
        guard let descriptor = descriptor(name) else {
            throw FormatError.missingTensor(file: "tensor source", tensor: name, nearMatches: nearMatches(for: name, in: tensorNames))
        }
        let all = try floats(name)
        let rowLength = descriptor.shape.last ?? 1
        let rowCount = rowLength == 0 ? 0 : all.count / rowLength
        var output: [Float] = []
        output.reserveCapacity(rows.count * rowLength)
        for row in rows {
            guard row >= 0, row < rowCount else {
                throw FormatError.rowOutOfRange(file: "tensor source", tensor: name, rows: "\(row)", rowCount: rowCount)
            }
            output += all[(row * rowLength)..<((row + 1) * rowLength)]
        }
        return output
    }
}

/// Shape and storage type of one stored tensor.
public struct TensorDescriptor: Sendable, Equatable {
    public let name: String
    /// Row-major shape, outermost first.
    public let shape: [Int]
    /// Storage type as its format names it: `F32`, `F16`, `BF16`, `Q8_0`, `Q4_K`, `I64`, ...
    public let typeName: String

    public init(name: String, shape: [Int], typeName: String) {
        self.name = name
        self.shape = shape
        self.typeName = typeName
    }

    public var elementCount: Int { shape.reduce(1, *) }
}
