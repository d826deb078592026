import Foundation

/// Builds GGUF files byte by byte, so tests can produce valid and deliberately broken files without the writer.
struct GGUFTestBytes {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); bytes.append(contentsOf: s.utf8) }
    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
        raw(Array("GGUF".utf8)); u32(version); u64(tensors); u64(keys)
    }

    mutating func tensor(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        string(name); u32(UInt32(dims.count)); for d in dims { u64(d) }; u32(type); u64(offset)
    }

    mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    func write(_ name: String = "test.gguf") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lna-formats-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}

/// A small valid v3 file: three metadata keys and two F32 tensors (a [2, 3] matrix and a [4] vector).
func smallGGUF() -> GGUFTestBytes {
    var b = GGUFTestBytes()
    b.header(tensors: 2, keys: 3)
    b.string("general.architecture"); b.u32(8); b.string("llama")
    b.string("llama.block_count"); b.u32(4); b.u32(2)
    b.string("tokenizer.ggml.tokens"); b.u32(9); b.u32(8); b.u64(2); b.string("a"); b.string("bc")
    b.tensor("w", dims: [3, 2], type: 0, offset: 0)
    b.tensor("v", dims: [4], type: 0, offset: 32)
    b.pad(to: 32)
    for i in 0..<6 { b.f32(Float(i)) }
    b.pad(to: 32)
    for i in 0..<4 { b.f32(Float(10 + i)) }
    return b
}
