import Foundation
import Synchronization
import Testing
import LNAFormats
import LNATestSupport

@Suite struct GGUFReaderTests {
    @Test func readsSmallFile() throws {
        let url = try smallGGUF().write()
        let gguf = try GGUFFile(contentsOf: url)
        #expect(gguf.version == 3)
        #expect(gguf.metadataKeys == ["general.architecture", "llama.block_count", "tokenizer.ggml.tokens"])
        #expect(try gguf.string("general.architecture") == "llama")
        #expect(try gguf.int("llama.block_count") == 2)
        #expect(try gguf.stringArray("tokenizer.ggml.tokens") == ["a", "bc"])
        #expect(gguf.alignment == 32)
        #expect(gguf.tensorNames == ["w", "v"])
        let w = try #require(gguf.tensorInfo("w"))
        #expect(w.shape == [2, 3])
        #expect(w.dimensions == [3, 2])
        #expect(w.type == .f32)
        #expect(w.byteCount == 24)
        #expect(gguf.descriptor("w") == TensorDescriptor(name: "w", shape: [2, 3], typeName: "F32"))
        #expect(try gguf.floats("w") == [0, 1, 2, 3, 4, 5])
        #expect(try gguf.floats("v") == [10, 11, 12, 13])
        #expect(try gguf.dequantizeRows("w", rows: 1..<2) == [3, 4, 5])
        #expect(try gguf.dequantizeRows("w", rows: [1, 0, 1]) == [3, 4, 5, 0, 1, 2, 3, 4, 5])
        #expect(try gguf.rawBytes("v").count == 16)
    }

    @Test func readsVersion2AndDequantisesIntoCallerMemory() throws {
        var bytes = smallGGUF().bytes
        bytes[4] = 2
        let gguf = try GGUFFile(contentsOf: try GGUFTestBytes(bytes: bytes).write())
        #expect(gguf.version == 2)
        var buffer = [Float](repeating: .nan, count: 6)
        try buffer.withUnsafeMutableBufferPointer { try gguf.dequantize("w", into: $0) }
        #expect(buffer == [0, 1, 2, 3, 4, 5])
        var wrongSize = [Float](repeating: 0, count: 5)
        #expect(throws: FormatError.self) { try wrongSize.withUnsafeMutableBufferPointer { try gguf.dequantize("w", into: $0) } }
    }

    @Test func typedAccessorsReportMissingAndWrongTypes() throws {
        let gguf = try GGUFFile(contentsOf: try smallGGUF().write())
        #expect(try gguf.optionalInt("llama.context_length") == nil)
        #expect(try gguf.optionalString("general.architecture") == "llama")
        let missing = #expect(throws: FormatError.self) { try gguf.int("llama.block_cont") }
        #expect(missing?.description.contains("'llama.block_cont'") == true)
        #expect(missing?.description.contains("did you mean 'llama.block_count'") == true)
        let wrong = #expect(throws: FormatError.self) { try gguf.int("general.architecture") }
        #expect(wrong?.description.contains("is string, expected an integer") == true)
        #expect(throws: FormatError.self) { try gguf.optionalBool("llama.block_count") }
        let noTensor = #expect(throws: FormatError.self) { try gguf.floats("ww") }
        #expect(noTensor?.description.contains("no tensor named 'ww'") == true)
    }

    @Test(arguments: ["gemma3-270m", "smollm2-135m", "qwen2.5-0.5b"])
    func readsRealModel(_ model: String) throws {
        guard let url = try TestResources.model(model) else { return }
        let gguf = try GGUFFile(contentsOf: url)
        let arch = try gguf.string("general.architecture")
        #expect(try gguf.int("\(arch).block_count") > 0)
        let tokens = try gguf.stringArray("tokenizer.ggml.tokens")
        #expect(tokens.count > 40000)
        let embedding = try #require(gguf.tensorInfo("token_embd.weight"))
        #expect(embedding.shape == [tokens.count, try gguf.int("\(arch).embedding_length")])
    }
}

@Suite struct ConcurrencyTests {
    @Test func oneFileReadFromManyThreadsAtOnce() throws {
        guard let url = try TestResources.model("smollm2-135m") else { return }
        let gguf = try GGUFFile(contentsOf: url)
        let name = "token_embd.weight"
        let expected = try gguf.dequantizeRows(name, rows: Array(0..<64))
        let rowLength = try gguf.requireTensor(name).rowLength
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { row in
            let values = (try? gguf.dequantizeRows(name, rows: [row])) ?? []
            if values != Array(expected[(row * rowLength)..<((row + 1) * rowLength)]) {
                mismatches.withLock { $0 += 1 }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
