import Foundation

/// Takes the tensor bytes of a GGUF file whose header `GGUFWriter.streamingWriter(to:)` has written, one tensor at a
/// time in plan order, padding each to the file's alignment; the file appears atomically on `commit()`, and a
/// writer dropped before that leaves nothing. At most one tensor needs to be in memory, so a 14 GB checkpoint
/// can be written on a machine with less.
///
/// ```swift
/// let stream = try writer.streamingWriter(to: url)        // writer: a GGUFWriter with planned tensors
/// try bits.withUnsafeBytes { try stream.append("token_embd.weight", $0) }
/// try stream.commit()
/// ```
public final class GGUFStreamWriter {
    private let stream: PlannedTensorStream

    init(_ url: URL, header: [UInt8], plan: [(name: String, byteCount: Int)], alignment: Int) throws {
        stream = try PlannedTensorStream(url, header: header, plan: plan.map { ($0.name, $0.byteCount, "the plan") },
                                         alignment: alignment)
    }

    /// Appends the data of the next planned tensor, which must be `name` with exactly its encoded byte count.
    public func append(_ name: String, _ bytes: UnsafeRawBufferPointer) throws { try stream.append(name, bytes) }

    /// Checks every planned tensor was written, then renames the file into place.
    public func commit() throws { try stream.commit() }
}
