import Foundation

/// Writes a safetensors file one tensor at a time, for files too large to build in memory (a 7B checkpoint's
/// shards): the header is written first from the planned names, dtypes and shapes, then each tensor's bytes in
/// plan order. The file appears atomically on `commit()`; a writer dropped before that leaves nothing.
///
/// ```swift
/// let plan = [SafeTensorsStreamWriter.Planned(name: "w", dtype: .bf16, shape: [2, 3])]
/// let out = try SafeTensorsStreamWriter(url, plan: plan, metadata: ["format": "pt"])
/// try bits.withUnsafeBytes { try out.append("w", $0) }   // bits: [UInt16], 6 values
/// try out.commit()
/// ```
public final class SafeTensorsStreamWriter {
    /// One tensor of the plan.
    public struct Planned: Sendable, Equatable {
        public var name: String
        public var dtype: SafeTensorsDType
        public var shape: [Int]
        public init(name: String, dtype: SafeTensorsDType, shape: [Int]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }
        /// Bytes of the tensor's data.
        public var byteCount: Int { shape.reduce(1, *) * dtype.byteSize }
    }

    public let plan: [Planned]
    private let stream: PlannedTensorStream

    /// Creates the temporary file and writes the header (tensors laid out in plan order).
    public init(_ url: URL, plan: [Planned], metadata: [String: String] = [:]) throws {
        var names = Set<String>()
        for entry in plan {
            guard !entry.name.isEmpty, entry.name != "__metadata__", names.insert(entry.name).inserted,
                  entry.shape.allSatisfy({ $0 >= 0 }) else {
                throw FormatError.invalidInput(file: url.path, what: "tensor '\(entry.name)'",
                                               reason: "the name is empty, reserved or repeated, or the shape \(entry.shape) has a negative dimension")
            }
        }
        self.plan = plan
        var object = JSONObject()
        if !metadata.isEmpty {
            object["__metadata__"] = .object(JSONObject(metadata.keys.sorted().map { ($0, .string(metadata[$0]!)) }))
        }
        var offset = 0
        for entry in plan {
            object[entry.name] = .object(JSONObject([
                ("dtype", .string(entry.dtype.rawValue)),
                ("shape", .array(entry.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + entry.byteCount)])),
            ]))
            offset += entry.byteCount
        }
        var header = Array(JSONValue.object(object).description.utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        let length = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
        stream = try PlannedTensorStream(url, header: length + header, plan: plan.map {
            ($0.name, $0.byteCount, "shape \($0.shape) × \($0.dtype.rawValue)")
        })
    }

    /// Appends the data of the next planned tensor, which must be `name` with exactly its byte count
    /// (little-endian values).
    public func append(_ name: String, _ bytes: UnsafeRawBufferPointer) throws { try stream.append(name, bytes) }

    /// Checks every planned tensor was written, then renames the file into place.
    public func commit() throws { try stream.commit() }
}
