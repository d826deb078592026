/// A bounds-checked little-endian reader over a byte buffer. Every read that would pass the end throws
/// `FormatError.truncated` with the offset and a description of what was being read.
struct BinaryCursor {
    let bytes: UnsafeRawBufferPointer
    let file: String
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, file: String, offset: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, _ context: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw FormatError.truncated(file: file, offset: offset, needed: max(count, 0) - remaining, context: context())
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ context: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size, context())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    mutating func readFloat(_ context: @autoclosure () -> String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, context()))
    }

    mutating func readDouble(_ context: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, context()))
    }

    /// Reads `count` raw bytes and returns the view into the buffer (no copy).
    mutating func readBytes(_ count: Int, _ context: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        try require(count, context())
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// Reads a u64 length then that many UTF-8 bytes (invalid sequences are replaced, never trapped on).
    mutating func readGGUFString(_ context: @autoclosure () -> String) throws -> String {
        let length = try read(UInt64.self, context())
        guard length <= UInt64(remaining) else {
            throw FormatError.truncated(file: file, offset: offset, needed: Int(clamping: length) - remaining,
                                        context: context() + " (string of \(length) bytes)")
        }
        let raw = try readBytes(Int(length), context())
        return String(decoding: raw, as: UTF8.self)
    }

    mutating func seek(to newOffset: Int) { offset = newOffset }
}
