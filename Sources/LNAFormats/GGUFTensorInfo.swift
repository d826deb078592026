/// One entry of a GGUF tensor table.
///
/// ```swift
/// let info = gguf.tensors[0]
/// print(info.name, info.shape, info.type, info.byteCount)   // "token_embd.weight [262144, 640] Q8_0 176160768"
/// ```
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// Row-major shape, outermost first (GGUF's dims reversed): `[rows, rowLength]` for a matrix.
    public let shape: [Int]
    /// Dimensions exactly as stored in the file, fastest-varying first (ggml's `ne`).
    public let dimensions: [Int]
    public let type: GGUFTensorType
    /// Offset of the data relative to the start of the data section.
    public let offset: Int
    /// Offset of the data from the start of the file.
    public let fileOffset: Int
    /// Bytes of data.
    public let byteCount: Int

    public var elementCount: Int { dimensions.reduce(1, *) }
    /// Elements per row: the fastest-varying dimension (1 for a scalar).
    public var rowLength: Int { dimensions.first ?? 1 }
    /// Number of rows: the product of all dimensions but the first.
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
    /// Bytes of one row.
    public var rowByteCount: Int { rowLength / type.blockSize * type.typeSize }

    /// The shape and type as a `TensorDescriptor`.
    public var descriptor: TensorDescriptor { TensorDescriptor(name: name, shape: shape, typeName: type.name) }
}
