import Foundation
import Testing
import LNAFormats
import LNATestSupport

@Suite struct GGUFWriterTests {
    /// One value of every type, including empty, string and nested arrays.
    static let allValues: [(String, GGUFValue)] = [
        ("t.u8", .uint8(255)), ("t.i8", .int8(-128)), ("t.u16", .uint16(65535)), ("t.i16", .int16(-32768)),
        ("t.u32", .uint32(4_000_000_000)), ("t.i32", .int32(-2_000_000_000)),
        ("t.u64", .uint64(UInt64.max)), ("t.i64", .int64(Int64.min)),
        ("t.f32", .float32(-1.5e-7)), ("t.f64", .float64(2.0e300)),
        ("t.bool.true", .bool(true)), ("t.bool.false", .bool(false)),
        ("t.string", .string("héllo ▁wörld 😀\n")), ("t.empty.string", .string("")),
        ("t.array.i32", .array(.int32, [.int32(1), .int32(-2), .int32(3)])),
        ("t.array.f32", .array(.float32, [.float32(0.25), .float32(-8)])),
        ("t.array.strings", .array(.string, [.string("<s>"), .string(""), .string("▁the")])),
        ("t.array.empty", .array(.uint8, [])),
        ("t.array.bool", .array(.bool, [.bool(true), .bool(false)])),
        ("t.array.nested", .array(.array, [
            .array(.string, [.string("a"), .string("b")]),
            .array(.uint64, [.uint64(7)]),
            .array(.array, [.array(.int8, [.int8(-1)])]),
        ])),
    ]

    @Test func metadataOfEveryTypeRoundTrips() throws {
        var writer = GGUFWriter()
        for (key, value) in Self.allValues { writer[key] = value }
        let url = try TestResources.temporaryDirectory("lna-gguf-writer").appendingPathComponent("meta.gguf")
        try writer.write(to: url)
        let gguf = try GGUFFile(contentsOf: url)
        #expect(gguf.version == 3)
        #expect(gguf.metadataKeys == Self.allValues.map(\.0))
        for (key, value) in Self.allValues { #expect(gguf.metadata[key] == value, "\(key)") }
        #expect(gguf.tensors.isEmpty)
        #expect(throws: FormatError.self) { try gguf.int("t.u64") }
        #expect(try gguf.int("t.i64") == Int(Int64.min))
        #expect(try gguf.float("t.f32") == Double(Float(-1.5e-7)))
        #expect(try gguf.bool("t.bool.true"))
        #expect(try gguf.stringArray("t.array.strings") == ["<s>", "", "▁the"])
        #expect(try gguf.intArray("t.array.i32") == [1, -2, 3])
        #expect(try gguf.floatArray("t.array.f32") == [0.25, -8])
        #expect(try gguf.intArray("t.array.empty") == [])
        #expect(throws: FormatError.self) { try gguf.stringArray("t.array.i32") }
    }

    @Test func tensorsRoundTripInEveryWritableType() throws {
        let values: [Float] = (0..<(4 * 64)).map { Float(sin(Double($0) * 0.37)) * 3 }
        var writer = GGUFWriter()
        writer["general.architecture"] = .string("llama")
        try writer.addTensor("a.f32", values, shape: [4, 64])
        try writer.addTensor("b.f16", values, shape: [4, 64], type: .f16)
        try writer.addTensor("c.bf16", values, shape: [2, 2, 64], type: .bf16)
        try writer.addTensor("d.q8_0", values, shape: [8, 32], type: .q8_0)
        try writer.addTensor("e.odd", [1, 2, 3], shape: [3])   // 12 bytes: the next tensor needs padding
        try writer.addTensor("f.after", [4], shape: [1])
        let dir = try TestResources.temporaryDirectory("lna-gguf-writer")
        let url = dir.appendingPathComponent("tensors.gguf")
        try writer.write(to: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["tensors.gguf"])

        let gguf = try GGUFFile(contentsOf: url)
        #expect(gguf.tensorNames == ["a.f32", "b.f16", "c.bf16", "d.q8_0", "e.odd", "f.after"])
        #expect(gguf.tensorInfo("c.bf16")?.shape == [2, 2, 64])
        #expect(gguf.tensorInfo("c.bf16")?.dimensions == [64, 2, 2])
        #expect(gguf.tensorInfo("d.q8_0")?.byteCount == 8 * 34)
        for tensor in gguf.tensors { #expect(tensor.fileOffset % 32 == 0) }
        #expect(try gguf.floats("a.f32") == values)
        #expect(try gguf.floats("b.f16") == values.map { Float(Float16($0)) })
        #expect(try gguf.floats("c.bf16") == values.map { Float(bitPattern: UInt32(bfloat16Bits($0)) << 16) })
        let q8 = try gguf.floats("d.q8_0")
        for (block, start) in stride(from: 0, to: values.count, by: 32).enumerated() {
            let amax = values[start..<(start + 32)].map(abs).max()!
            for j in start..<(start + 32) {   // error at most half a quantisation step (plus f16 scale rounding)
                #expect(abs(q8[j] - values[j]) <= amax / 127 * 0.5 + amax * 1e-3, "block \(block)")
            }
        }
        #expect(try gguf.floats("e.odd") == [1, 2, 3])
        #expect(try gguf.floats("f.after") == [4])
    }

    @Test func q8_0MatchesGGMLReferenceQuantiser() {
        // Hand-computed: amax = 127 → d = 1, q = round(x) with ties away from zero.
        var values = [Float](repeating: 0, count: 32)
        values[0] = 127; values[1] = -2.5; values[2] = 2.5; values[3] = 0.49; values[4] = -127
        let bytes = Quantizer.quantizeQ8_0(values)
        #expect(bytes.count == 34)
        #expect(bytes[0] == 0x00 && bytes[1] == 0x3C)   // f16 1.0
        #expect(Array(bytes[2..<7]).map { Int8(bitPattern: $0) } == [127, -3, 3, 0, -127])
        #expect(Quantizer.quantizeQ8_0([Float](repeating: 0, count: 32)) == [UInt8](repeating: 0, count: 34))
    }

    @Test func customAlignmentAndRawTensors() throws {
        let source = try GGUFFile(contentsOf: try smallGGUF().write())
        var writer = try GGUFWriter(alignment: 64)
        writer.copyMetadata(from: source)
        writer["llama.block_count"] = .uint32(3)    // replaces, keeps position
        try writer.addRawTensor("w", bytes: Array(try source.rawBytes("w")), shape: [2, 3], type: .f32)
        try writer.addTensor("x", [Float](repeating: -127, count: 32), shape: [32], type: .q8_0)   // d = 1: exact
        let url = try TestResources.temporaryDirectory("lna-gguf-writer").appendingPathComponent("aligned.gguf")
        try writer.write(to: url)
        let gguf = try GGUFFile(contentsOf: url)
        #expect(gguf.alignment == 64)
        #expect(gguf.metadataKeys == ["general.alignment", "general.architecture", "llama.block_count",
                                      "tokenizer.ggml.tokens"])
        #expect(try gguf.int("llama.block_count") == 3)
        #expect(try gguf.floats("w") == [0, 1, 2, 3, 4, 5])
        #expect(try gguf.floats("x") == [Float](repeating: -127, count: 32))
        for tensor in gguf.tensors { #expect(tensor.fileOffset % 64 == 0) }
    }

    @Test func writerRejectsBadInput() throws {
        var writer = GGUFWriter()
        try writer.addTensor("a", [1, 2], shape: [2])
        #expect(throws: FormatError.self) { try writer.addTensor("a", [1], shape: [1]) }
        #expect(throws: FormatError.self) { try writer.addTensor("b", [1, 2], shape: [3]) }
        #expect(throws: FormatError.self) { try writer.addTensor("c", [Float](repeating: 0, count: 16), shape: [16], type: .q8_0) }
        #expect(throws: FormatError.self) { try writer.addTensor("d", [Float](repeating: .nan, count: 32), shape: [32], type: .q8_0) }
        #expect(throws: FormatError.self) { try writer.addTensor("e", [Float](repeating: 0, count: 256), shape: [256], type: .q4_K) }
        #expect(throws: FormatError.self) { try writer.addRawTensor("f", bytes: [0, 1], shape: [32], type: .q8_0) }
        #expect(throws: FormatError.self) { try GGUFWriter(alignment: 24) }
        writer["bad"] = .array(.int32, [.int32(1), .string("x")])
        let url = try TestResources.temporaryDirectory("lna-gguf-writer").appendingPathComponent("bad.gguf")
        let error = #expect(throws: FormatError.self) { try writer.write(to: url) }
        #expect(error?.description.contains("'bad'") == true)
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    /// Planned tensors streamed one at a time give the same file as the in-memory writer; out-of-order,
    /// wrongly sized or missing tensors are refused and leave no file.
    @Test func streamedTensorsGiveTheSameFileAsAddedOnes() throws {
        let dir = try TestResources.temporaryDirectory("lna-gguf-stream")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a: [Float] = [1, -2, 3], b = (0..<64).map { Float($0) / 8 }
        var added = GGUFWriter(), planned = GGUFWriter()
        added["general.architecture"] = .string("llama")
        planned["general.architecture"] = .string("llama")
        try added.addTensor("a", a, shape: [3])
        try added.addTensor("b", b, shape: [2, 32], type: .bf16)
        try planned.planTensor("a", shape: [3], type: .f32)
        try planned.planTensor("b", shape: [2, 32], type: .bf16)
        let inMemory = dir.appendingPathComponent("added.gguf"), streamedURL = dir.appendingPathComponent("streamed.gguf")
        try added.write(to: inMemory)
        let stream = try planned.streamingWriter(to: streamedURL)
        try a.withUnsafeBytes { try stream.append("a", $0) }
        try b.map(bfloat16Bits).withUnsafeBytes { try stream.append("b", $0) }
        try stream.commit()
        #expect(try Data(contentsOf: streamedURL) == Data(contentsOf: inMemory))
        // Dropping a tensor's mapped pages keeps what a later read sees.
        let gguf = try GGUFFile(contentsOf: streamedURL)
        let before = try gguf.floats("b")
        gguf.releasePages(of: "b")
        gguf.releasePages(of: "no such tensor")
        #expect(try gguf.floats("b") == before && gguf.floats("a") == a)

        let bad = dir.appendingPathComponent("bad.gguf")
        let wrongOrder = try planned.streamingWriter(to: bad)
        #expect(throws: FormatError.self) { try b.withUnsafeBytes { try wrongOrder.append("b", $0) } }
        #expect(throws: FormatError.self) { try [Float(1)].withUnsafeBytes { try wrongOrder.append("a", $0) } }
        try a.withUnsafeBytes { try wrongOrder.append("a", $0) }
        #expect(throws: FormatError.self) { try wrongOrder.commit() }   // "b" missing
        #expect(!FileManager.default.fileExists(atPath: bad.path))
        #expect(throws: FormatError.self) { try planned.write(to: bad) }   // planned tensors have no bytes to write
        #expect(throws: FormatError.self) { try added.streamingWriter(to: bad) }
        #expect(throws: FormatError.self) { try planned.planTensor("c", shape: [Int.max, 4], type: .f32) }
    }
}
