import Foundation
import Testing
import LNAFormats
import LNATestSupport

/// A file written by Python's `safetensors.numpy.save` (safetensors 0.x, numpy 2.x) with seven dtypes and
/// metadata {"format": "np", "note": "hé"}.
let pythonSafeTensorsBase64 = """
wAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJucCIsIm5vdGUiOiJow6kifSwiaTY0Ijp7ImR0eXBlIjoiSTY0Iiwic2hhcGUiOlsyXSwiZGF0YV9vZmZzZXRzIjpbMCwxNl19LCJmNjQiOnsiZHR5cGUiOiJGNjQiLCJzaGFwZSI6WzFdLCJkYXRhX29mZnNldHMiOlsxNiwyNF19LCJmMzIiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsM10sImRhdGFfb2Zmc2V0cyI6WzI0LDQ4XX0sImkzMiI6eyJkdHlwZSI6IkkzMiIsInNoYXBlIjpbNF0sImRhdGFfb2Zmc2V0cyI6WzQ4LDY0XX0sImYxNiI6eyJkdHlwZSI6IkYxNiIsInNoYXBlIjpbM10sImRhdGFfb2Zmc2V0cyI6WzY0LDcwXX0sInU4Ijp7ImR0eXBlIjoiVTgiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOls3MCw3Ml19LCJiIjp7ImR0eXBlIjoiQk9PTCIsInNoYXBlIjpbM10sImRhdGFfb2Zmc2V0cyI6WzcyLDc1XX19ICAgICAg+/////////8AAAAAAAEAABgtRFT7IQlAAADAPwAAAMAAAFBAAAAAAG8SgzoAAODABwAAAPj///8JAAAACgAAAAA4ALz/e/8AAQAB
"""

func writeTemporary(_ bytes: [UInt8], name: String) throws -> URL {
    let url = try TestResources.temporaryDirectory("lna-safetensors").appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

/// A safetensors file with the given header text and data bytes.
func safeTensorsBytes(header: String, data: [UInt8]) -> [UInt8] {
    var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) }
    bytes += Array(header.utf8)
    return bytes + data
}

@Suite struct SafeTensorsTests {
    @Test func readsFileWrittenByPython() throws {
        let bytes = [UInt8](try #require(Data(base64Encoded: pythonSafeTensorsBase64)))
        let st = try SafeTensorsFile(contentsOf: try writeTemporary(bytes, name: "python.safetensors"))
        #expect(st.metadata == ["format": "np", "note": "hé"])
        #expect(st.tensorNames == ["i64", "f64", "f32", "i32", "f16", "u8", "b"])
        #expect(st.descriptor("f32") == TensorDescriptor(name: "f32", shape: [2, 3], typeName: "F32"))
        #expect(try st.floats("f32") == [1.5, -2.0, 3.25, 0.0, 1e-3, -7.0])
        #expect(try st.floats("f16") == [0.5, -1.0, 65504.0])
        #expect(try st.doubles("f64") == [3.141592653589793])
        #expect(try st.int64s("i64") == [-5, 1 << 40])
        #expect(try st.int64s("i32") == [7, -8, 9, 10])
        #expect(try st.int64s("u8") == [255, 0])
        #expect(try st.int64s("b") == [1, 0, 1])
        #expect(throws: FormatError.self) { try st.int64s("f32") }
    }

    @Test func writerRoundTripsEveryDType() throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt", "quote\"key": "line\nbreak"])
        let values: [Float] = [1, -2.5, 3.0e-5, 1.0e30, 0.1, -0.0]
        try writer.add("f32", values, shape: [2, 3])
        try writer.add("bf16", values, shape: [6], as: .bf16)
        try writer.add("f16", values, shape: [3, 2], as: .f16)
        try writer.add("f64", [0.1, 2.0e300], shape: [2])
        try writer.add("i64", [Int64.min, 42], shape: [2])
        try writer.add("i32", [Int32(-1)], shape: [1])
        try writer.add("mask", [1, 0, 1], shape: [3], asBool: true)
        try writer.add("scalar", [Float(7)], shape: [])
        let dir = try TestResources.temporaryDirectory("lna-safetensors")
        let url = dir.appendingPathComponent("roundtrip.safetensors")
        try writer.write(to: url)
        // Nothing but the file is left in the folder (the temporary was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["roundtrip.safetensors"])

        let st = try SafeTensorsFile(contentsOf: url)
        #expect(st.dataOffset % 8 == 0)
        #expect(st.metadata == ["format": "pt", "quote\"key": "line\nbreak"])
        #expect(try st.floats("f32") == values)
        #expect(try st.floats("bf16") == values.map { Float(bitPattern: UInt32(bfloat16Bits($0)) << 16) })
        #expect(try st.floats("f16") == values.map { Float(Float16($0)) })
        #expect(try st.doubles("f64") == [0.1, 2.0e300])
        #expect(try st.int64s("i64") == [Int64.min, 42])
        #expect(try st.int64s("i32") == [-1])
        #expect(try st.int64s("mask") == [1, 0, 1])
        #expect(st.descriptor("scalar")?.shape == [])
        #expect(try st.floats("scalar") == [7])
        #expect(st.descriptor("f16")?.typeName == "F16")
        // Every tensor starts at a multiple of its element size.
        for tensor in st.tensors { #expect(tensor.dataOffsets.lowerBound % tensor.dtype.byteSize == 0) }
    }

    @Test func bfloat16RoundsToNearestEven() {
        #expect(bfloat16Bits(1.0) == 0x3F80)
        // 1 + 2^-8 is exactly half-way between 1 and 1 + 2^-7: ties go to the even mantissa (1.0).
        #expect(bfloat16Bits(Float(bitPattern: 0x3F80_8000)) == 0x3F80)
        // 1 + 3·2^-8 is half-way between 1 + 2^-7 (odd) and 1 + 2^-6: rounds up to even.
        #expect(bfloat16Bits(Float(bitPattern: 0x3F81_8000)) == 0x3F82)
        #expect(bfloat16Bits(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(bfloat16Bits(-2.0) == 0xC000)
        #expect(bfloat16Bits(.infinity) == 0x7F80)
        #expect(Float(bitPattern: UInt32(bfloat16Bits(.nan)) << 16).isNaN)
        #expect(bfloat16Bits(Float.greatestFiniteMagnitude) == 0x7F80)   // overflows to infinity, like torch
    }

    @Test func writerRejectsBadInput() throws {
        var writer = SafeTensorsWriter()
        try writer.add("a", [Float(1), 2], shape: [2])
        #expect(throws: FormatError.self) { try writer.add("a", [Float(1)], shape: [1]) }
        #expect(throws: FormatError.self) { try writer.add("b", [Float(1)], shape: [2]) }
        #expect(throws: FormatError.self) { try writer.add("c", [Float(1)], shape: [1], as: .i64) }
        #expect(throws: FormatError.self) { try writer.add("__metadata__", [Int64(1)], shape: [1]) }
        #expect(throws: FormatError.self) { try writer.add("m", [2], shape: [1], asBool: true) }
    }

    @Test func shardedDirectoryWithIndex() throws {
        let dir = try TestResources.temporaryDirectory("lna-sharded")
        var first = SafeTensorsWriter()
        try first.add("model.embed_tokens.weight", [Float](repeating: 1, count: 6), shape: [3, 2], as: .bf16)
        try first.write(to: dir.appendingPathComponent("model-00001-of-00002.safetensors"))
        var second = SafeTensorsWriter()
        try second.add("model.norm.weight", [Float(2), 3], shape: [2])
        try second.write(to: dir.appendingPathComponent("model-00002-of-00002.safetensors"))
        let index = """
        {"metadata": {"total_size": 20}, "weight_map": {"model.norm.weight": "model-00002-of-00002.safetensors",
         "model.embed_tokens.weight": "model-00001-of-00002.safetensors"}}
        """
        try Data(index.utf8).write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        let source: TensorSource = try ShardedSafeTensors(directory: dir)
        #expect(source.tensorNames == ["model.embed_tokens.weight", "model.norm.weight"])
        #expect(try source.floats("model.norm.weight") == [2, 3])
        #expect(source.descriptor("model.embed_tokens.weight")?.shape == [3, 2])
        let missing = #expect(throws: FormatError.self) { try source.floats("model.norm.weigth") }
        #expect(missing?.description.contains("did you mean 'model.norm.weight'") == true)

        // An index naming a tensor its shard does not hold is an error.
        let broken = index.replacingOccurrences(of: "\"model.norm.weight\": \"model-00002",
                                                with: "\"model.norm.weight\": \"model-00001")
        try Data(broken.utf8).write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        #expect(throws: FormatError.self) { try ShardedSafeTensors(directory: dir) }
    }

    @Test func singleFileDirectory() throws {
        let dir = try TestResources.temporaryDirectory("lna-single")
        var writer = SafeTensorsWriter()
        try writer.add("w", [Double(1), 2], shape: [2])
        try writer.write(to: dir.appendingPathComponent("model.safetensors"))
        let source = try ShardedSafeTensors(directory: dir)
        #expect(try source.doubles("w") == [1, 2])
        #expect(try source.floats("w") == [1, 2])
        let empty = try TestResources.temporaryDirectory("lna-empty")
        #expect(throws: FormatError.self) { try ShardedSafeTensors(directory: empty) }
    }
}

@Suite struct HFConfigTests {
    let json = """
    {"num_hidden_layers": 24, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "model_type": "qwen2",
     "tie_word_embeddings": true, "sliding_window": null, "eos_token_id": [1, 2],
     "rope_scaling": {"factor": 8.0, "rope_type": "llama3"}, "name": "caf\\u00e9 \\ud83d\\ude00"}
    """

    @Test func typedAccessors() throws {
        let config = try HFConfig(json: try JSONValue.parse(Array(json.utf8)), path: "config.json")
        #expect(try config.int("num_hidden_layers") == 24)
        #expect(try config.double("rms_norm_eps") == 1e-6)
        #expect(try config.double("num_hidden_layers") == 24)
        #expect(try config.int("rope_theta") == 1_000_000)
        #expect(try config.string("model_type") == "qwen2")
        #expect(try config.bool("tie_word_embeddings"))
        #expect(try config.optionalInt("sliding_window") == nil)
        #expect(try config.optionalInt("max_window_layers") == nil)
        #expect(try config.intArray("eos_token_id") == [1, 2])
        #expect(try config.nested("rope_scaling").double("factor") == 8)
        #expect(try config.optionalNested("rope_scaling")?.string("rope_type") == "llama3")
        #expect(try config.string("name") == "café 😀")
        #expect(config.keys.first == "num_hidden_layers")
    }

    @Test func clearErrors() throws {
        let config = try HFConfig(json: try JSONValue.parse(Array(json.utf8)), path: "config.json")
        let missing = #expect(throws: FormatError.self) { try config.int("num_hiden_layers") }
        #expect(missing?.description == "config.json: missing key 'num_hiden_layers' "
                + "(did you mean 'num_hidden_layers'?)")
        let wrong = #expect(throws: FormatError.self) { try config.int("model_type") }
        #expect(wrong?.description == "config.json: key 'model_type' is a string, expected an integer")
        let nested = #expect(throws: FormatError.self) { try config.nested("rope_scaling").int("type") }
        #expect(nested?.description.hasPrefix("config.json:rope_scaling: missing") == true)
        #expect(throws: FormatError.self) { try config.int("sliding_window") }
    }

    @Test func jsonParserRejectsMalformedText() throws {
        for bad in ["{", "{\"a\":}", "[1,]", "{\"a\":1,\"a\":2}", "01", "\"\\x\"", "tru", "[1] x", "\"\u{01}\""] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONValue.parse(Array(bad.utf8)) }
        }
        #expect(try JSONValue.parse(Array("-0.5e2".utf8)) == .double(-50))
        #expect(try JSONValue.parse(Array("[Infinity, -Infinity, 1]".utf8)) == .array([.double(.infinity), .double(-.infinity), .int(1)]))
        #expect(try JSONValue.parse(Array("NaN".utf8)).doubleValue?.isNaN == true)
        // Deep nesting is an error, not a stack overflow.
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(deep.utf8)) }
        #expect(error?.description.contains("nesting deeper than 128") == true)
        // Random bytes never crash the parser.
        var state: UInt64 = 7
        let alphabet = Array("{}[]\",:0123456789-+.eEtrufalsnNI \\u\n".utf8)
        for _ in 0..<2000 {
            var text: [UInt8] = []
            for _ in 0..<(state % 40) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            _ = try? JSONValue.parse(text)
        }
        #expect(try JSONValue.parse(Array(" [1, {\"b\": null}] ".utf8)) == .array([.int(1), .object(JSONObject([("b", .null)]))]))
    }
}

@Suite struct EmptyAndRowTests {
    @Test func zeroSizedTensorsInBothFormats() throws {
        var st = SafeTensorsWriter()
        try st.add("empty", [Float](), shape: [0, 4], as: .bf16)
        try st.add("m", [Float(1), 2, 3, 4, 5, 6], shape: [3, 2], as: .f16)
        try st.add("d", [Double(1), 2, 3, 4], shape: [2, 2])
        let dir = try TestResources.temporaryDirectory("lna-empty-tensors")
        try st.write(to: dir.appendingPathComponent("e.safetensors"))
        let file = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("e.safetensors"))
        #expect(try file.floats("empty") == [])
        #expect(try file.dequantizeRows("empty", rows: []) == [])
        #expect(try file.dequantizeRows("m", rows: [2, 0]) == [5, 6, 1, 2])
        #expect(try file.dequantizeRows("d", rows: [1]) == [3, 4])
        #expect(throws: FormatError.self) { try file.dequantizeRows("m", rows: [3]) }

        var gw = GGUFWriter()
        try gw.addTensor("empty", [], shape: [0, 32], type: .q8_0)
        try gw.addTensor("zero-rows", [], shape: [4, 0])
        try gw.write(to: dir.appendingPathComponent("e.gguf"))
        let gguf = try GGUFFile(contentsOf: dir.appendingPathComponent("e.gguf"))
        #expect(try gguf.floats("empty") == [])
        #expect(try gguf.dequantizeRows("zero-rows", rows: [0, 3]) == [])
        #expect(try gguf.dequantizeRows("empty", rows: 0..<0) == [])
        // Through the protocol, too.
        let source: any TensorSource = gguf
        #expect(try source.dequantizeRows("zero-rows", rows: [1]) == [])
    }
}
