import Foundation
import Testing
import LNAFormats
import LNATestSupport

/// Opens `bytes` as a GGUF file and returns the error's message, or nil when it opened.
func ggufError(_ bytes: [UInt8], name: String = "broken.gguf") throws -> String? {
    let url = try GGUFTestBytes(bytes: bytes).write(name)
    do {
        _ = try GGUFFile(contentsOf: url)
        return nil
    } catch let error as FormatError {
        return error.description
    }
}

func safeTensorsError(_ bytes: [UInt8], name: String = "broken.safetensors") throws -> String? {
    let url = try writeTemporary(bytes, name: name)
    do {
        _ = try SafeTensorsFile(contentsOf: url)
        return nil
    } catch let error as FormatError {
        return error.description
    }
}

/// Checks a message is one line naming the file and containing every fragment.
func expectMessage(_ message: String?, _ fragments: String..., file: String = "broken.gguf",
                   sourceLocation: SourceLocation = #_sourceLocation) {
    guard let message else {
        Issue.record("no error was thrown", sourceLocation: sourceLocation)
        return
    }
    #expect(!message.contains("\n"), "not one line: \(message)", sourceLocation: sourceLocation)
    #expect(message.contains(file), "no file name: \(message)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(message.contains(fragment), "'\(fragment)' missing from: \(message)", sourceLocation: sourceLocation)
    }
}

@Suite struct GGUFErrorTests {
    @Test func everyTruncationIsAnErrorNamingFileAndOffset() throws {
        let full = smallGGUF().bytes
        for length in 0..<full.count {
            let message = try ggufError(Array(full[0..<length]))
            expectMessage(message, "offset")
        }
        #expect(try ggufError(full) == nil)
    }

    @Test func truncationMessagesSayWhatWasBeingRead() throws {
        let full = smallGGUF().bytes
        expectMessage(try ggufError([]), "truncated at offset 0", "magic")
        expectMessage(try ggufError(Array(full[0..<30])), "truncated at offset 24", "metadata key #0")
        // Header (24) + key "general.architecture" (8 + 20) + type (4) + string length (8) = offset 64.
        expectMessage(try ggufError(Array(full[0..<66])), "offset 64", "key 'general.architecture'")
        expectMessage(try ggufError(Array(full[0..<(full.count - 1)])), "tensor 'v'", "runs past the end")
    }

    @Test func truncatedRealModelHeader() throws {
        guard let url = try TestResources.model("gemma3-270m") else { return }
        let handle = try FileHandle(forReadingFrom: url)
        let prefix = try handle.read(upToCount: 1_000_000) ?? Data()
        try handle.close()
        expectMessage(try ggufError(Array(prefix), name: "gemma-prefix.gguf"),
                      "truncated at offset 1000000: needed 10 more byte(s) for element 62792 of the 262144-element",
                      "-element string array 'tokenizer.ggml.tokens'", file: "gemma-prefix.gguf")
    }

    @Test func badMagicAndVersion() throws {
        var bytes = smallGGUF().bytes
        bytes[0] = UInt8(ascii: "L")
        expectMessage(try ggufError(bytes), "bad magic at offset 0", "'LGUF'")
        for version: UInt32 in [1, 4, 0x0300_0000] {
            var b = smallGGUF().bytes
            withUnsafeBytes(of: version.littleEndian) { b.replaceSubrange(4..<8, with: $0) }
            expectMessage(try ggufError(b), "unsupported version \(version) at offset 4")
        }
        var bigEndian = smallGGUF().bytes
        bigEndian.replaceSubrange(4..<8, with: [0, 0, 0, 3])
        expectMessage(try ggufError(bigEndian), "big-endian GGUF")
    }

    @Test func duplicateKeyAndTensor() throws {
        var b = GGUFTestBytes()
        b.header(tensors: 0, keys: 2)
        b.string("a"); b.u32(4); b.u32(1)
        b.string("a"); b.u32(4); b.u32(2)
        expectMessage(try ggufError(b.bytes), "duplicate metadata key 'a' at offset 41")

        var t = GGUFTestBytes()
        t.header(tensors: 2, keys: 0)
        t.tensor("w", dims: [8], type: 0, offset: 0)
        t.tensor("w", dims: [8], type: 0, offset: 32)
        t.pad(to: 32); t.raw([UInt8](repeating: 0, count: 64))
        expectMessage(try ggufError(t.bytes), "duplicate tensor name 'w' at offset 57")
    }

    @Test func unknownTypes() throws {
        var b = GGUFTestBytes()
        b.header(tensors: 0, keys: 1)
        b.string("k"); b.u32(13); b.u32(0)
        expectMessage(try ggufError(b.bytes), "unknown metadata value type 13 at offset 33 for key 'k'")

        var a = GGUFTestBytes()
        a.header(tensors: 0, keys: 1)
        a.string("arr"); a.u32(9); a.u32(99); a.u64(0)
        expectMessage(try ggufError(a.bytes), "unknown metadata value type 99 at offset 39 for key 'arr'")

        var t = GGUFTestBytes()
        t.header(tensors: 1, keys: 0)
        t.tensor("w", dims: [32], type: 4, offset: 0)   // 4 = removed Q4_2
        t.pad(to: 32); t.raw([UInt8](repeating: 0, count: 64))
        expectMessage(try ggufError(t.bytes), "unknown tensor type id 4 for tensor 'w' at offset 45")

        var bad = GGUFTestBytes()
        bad.header(tensors: 0, keys: 1)
        bad.string("flag"); bad.u32(7); bad.u8(2)
        expectMessage(try ggufError(bad.bytes), "bool value 2 of key 'flag'", "offset 40")
    }

    @Test func tensorBoundsAlignmentOverlapAndOverflow() throws {
        func file(_ tensors: [(String, [UInt64], UInt32, UInt64)], dataBytes: Int = 64, keys: [(String, UInt32)] = [])
            -> [UInt8]
        {
            var b = GGUFTestBytes()
            b.header(tensors: UInt64(tensors.count), keys: UInt64(keys.count))
            for (key, value) in keys { b.string(key); b.u32(4); b.u32(value) }
            for (name, dims, type, offset) in tensors { b.tensor(name, dims: dims, type: type, offset: offset) }
            b.pad(to: 32)
            b.raw([UInt8](repeating: 0, count: dataBytes))
            return b.bytes
        }
        expectMessage(try ggufError(file([("w", [8], 0, 64)])), "tensor 'w'", "data at offset 128 (+32 bytes) runs past the end")
        expectMessage(try ggufError(file([("w", [8], 0, 4)])), "tensor 'w'", "not a multiple of the alignment 32")
        expectMessage(try ggufError(file([("a", [16], 0, 0), ("b", [8], 0, 32)])),
                      "tensors 'a' and 'b' overlap", "offset")
        expectMessage(try ggufError(file([("w", [UInt64(1) << 62, 4], 0, 0)])), "tensor 'w'", "overflows")
        expectMessage(try ggufError(file([("w", [UInt64.max], 0, 0)])), "tensor 'w'", "overflows")
        expectMessage(try ggufError(file([("w", [1, 1, 1, 1, 1], 0, 0)])), "tensor 'w'", "5 dimensions")
        expectMessage(try ggufError(file([("w", [16], 8, 0)])), "tensor 'w'", "not a multiple of the Q8_0 block size 32")
        expectMessage(try ggufError(file([("w", [8], 0, UInt64.max)])), "tensor 'w'", "overflows")
        expectMessage(try ggufError(file([], keys: [("general.alignment", 24)])), "general.alignment = 24")
        // A valid non-default alignment is honoured: the data section starts at 128, not at 96.
        #expect(try ggufError(file([("w", [8], 0, 64)], dataBytes: 160, keys: [("general.alignment", 64)])) == nil)
        expectMessage(try ggufError(file([("w", [8], 0, 64)], dataBytes: 120, keys: [("general.alignment", 64)])),
                      "data at offset 192 (+32 bytes) runs past the end of the file at offset 216")
    }

    @Test func deeplyNestedArraysAreRejected() throws {
        var b = GGUFTestBytes()
        b.header(tensors: 0, keys: 1)
        b.string("deep"); b.u32(9)
        for _ in 0..<20 { b.u32(9); b.u64(1) }
        b.u32(4); b.u64(0)
        expectMessage(try ggufError(b.bytes), "arrays of key 'deep' nest deeper than 16")
    }

    @Test func absurdCountsAreTruncationErrorsNotAllocations() throws {
        var b = GGUFTestBytes()
        b.header(tensors: 0, keys: 1)
        b.string("big"); b.u32(9); b.u32(8); b.u64(UInt64(1) << 60)
        expectMessage(try ggufError(b.bytes), "truncated at offset 51", "element 0 of the 1152921504606846976-element string array 'big'")
        var s = GGUFTestBytes()
        s.header(tensors: 0, keys: 1)
        s.string("s"); s.u32(8); s.u64(UInt64.max)
        expectMessage(try ggufError(s.bytes), "truncated", "string value of key 's'")
        var k = GGUFTestBytes()
        k.header(tensors: UInt64.max, keys: 0)
        expectMessage(try ggufError(k.bytes), "truncated at offset 8", "tensor count")   // does not fit an Int
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let original = smallGGUF().bytes
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var opened = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<(1 + next() % 4) { bytes[next() % 180] = UInt8(truncatingIfNeeded: next()) }
            if let message = try ggufError(bytes) { expectMessage(message) } else { opened += 1 }
        }
        #expect(opened < 400)
    }

    @Test func unsupportedDequantisationNamesTensorAndType() throws {
        var b = GGUFTestBytes()
        b.header(tensors: 1, keys: 0)
        b.tensor("blk.0.ffn_up.weight", dims: [256], type: 16, offset: 0)   // IQ2_XXS
        b.pad(to: 32); b.raw([UInt8](repeating: 0, count: 96))
        let gguf = try GGUFFile(contentsOf: try b.write("iq.gguf"))
        let error = #expect(throws: FormatError.self) { try gguf.floats("blk.0.ffn_up.weight") }
        expectMessage(error?.description, "'blk.0.ffn_up.weight'", "IQ2_XXS", file: "iq.gguf")
        #expect(throws: FormatError.self) { try gguf.dequantizeRows("blk.0.ffn_up.weight", rows: [0]) }
        #expect(try gguf.rawBytes("blk.0.ffn_up.weight").count == 66)
    }

    @Test func missingFileAndDirectory() throws {
        let missing = #expect(throws: FormatError.self) { try GGUFFile(contentsOf: URL(fileURLWithPath: "/nonexistent/x.gguf")) }
        expectMessage(missing?.description, "cannot open", file: "/nonexistent/x.gguf")
        let directory = #expect(throws: FormatError.self) { try GGUFFile(contentsOf: URL(fileURLWithPath: "/tmp")) }
        expectMessage(directory?.description, "not a regular file", file: "/tmp")
    }
}

@Suite struct SafeTensorsErrorTests {
    let goodHeader = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[1],"data_offsets":[8,16]}}"#

    @Test func everyTruncationIsAnError() throws {
        let full = safeTensorsBytes(header: goodHeader, data: [UInt8](repeating: 0, count: 16))
        #expect(try safeTensorsError(full) == nil)
        for length in 0..<full.count {
            expectMessage(try safeTensorsError(Array(full[0..<length])), "offset", file: "broken.safetensors")
        }
    }

    @Test func badHeaders() throws {
        func check(_ header: String, data: Int = 16, _ fragments: String...,
                   sourceLocation: SourceLocation = #_sourceLocation) throws {
            let message = try safeTensorsError(safeTensorsBytes(header: header, data: [UInt8](repeating: 0, count: data)))
            guard let message else { Issue.record("no error for \(header)", sourceLocation: sourceLocation); return }
            expectMessage(message, file: "broken.safetensors", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(message.contains(fragment), "'\(fragment)' missing: \(message)", sourceLocation: sourceLocation)
            }
        }
        try check(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]"#, "bad JSON", "offset 60")
        try check(#"[1,2]"#, "does not start with '{'")
        try check(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{}}"#, "duplicate key")
        try check(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: 8, "tensor 'a'", "runs past the end")
        try check(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                  "tensors 'a' and 'b' overlap")
        try check(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, "tensor 'a'", "needs 12")
        try check(#"{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}"#, "unknown dtype 'Q4'")
        try check(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "tensor 'a' shape")
        try check(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, "data_offsets")
        try check(#"{"a":{"dtype":"F32","shape":[2]}}"#, "data_offsets")
        try check(#"{"__metadata__":{"n":1}}"#, "__metadata__ key 'n'")
        try check(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, "tensor 'a'", "overflows")
    }

    @Test func headerLengthBeyondFileOrLimit() throws {
        var bytes = withUnsafeBytes(of: UInt64(1_000).littleEndian) { Array($0) }
        bytes += Array("{}".utf8)
        expectMessage(try safeTensorsError(bytes), "truncated at offset 8", file: "broken.safetensors")
        let huge = withUnsafeBytes(of: UInt64(1) << 40) { Array($0) } + Array("{}".utf8)
        expectMessage(try safeTensorsError(huge), "header length", "offset 0", file: "broken.safetensors")
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let original = safeTensorsBytes(header: goodHeader, data: [UInt8](repeating: 7, count: 16))
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + next() % 3) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            if let message = try safeTensorsError(bytes) { expectMessage(message, file: "broken.safetensors") }
        }
    }
}
