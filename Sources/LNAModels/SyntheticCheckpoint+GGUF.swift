import Foundation
import LNAFormats
import LNATokenizers

extension SyntheticCheckpoint {
    /// Writes the same model as `write(_:tokenizer:to:seed:)` with the same seed, as one GGUF file of
    /// architecture `llama` the way llama.cpp's converter stores a Mistral checkpoint: matrices bf16 (or quantised
    /// from those bf16 values to Q8_0, as `llama-quantize` would, with `matrixType: .q8_0`), q/k rows permuted for
    /// llama.cpp's interleaved RoPE, norms float32, the tokenizer as `tokenizer.ggml.*` keys.
    /// llama.cpp can then run the model lna measures (docs/performance.md, the 7B figure). Written one tensor at
    /// a time into a temporary file renamed into place.
    ///
    /// ```swift
    /// let gguf = try GGUFFile(contentsOf: URL(fileURLWithPath: "/work/models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    /// try SyntheticCheckpoint.writeGGUF(.mistral7B, tokenizer: try TokenizerVocabulary(gguf: gguf),
    ///                                   tokenizerSource: gguf.path, to: URL(fileURLWithPath: "/tmp/mistral-7b.gguf"))
    /// ```
    public static func writeGGUF(_ shape: Shape, tokenizer: TokenizerVocabulary, tokenizerSource: String, to file: URL,
                                 seed: UInt64 = 1, matrixType: GGUFTensorType = .bf16,
                                 progress: ((String) -> Void)? = nil) throws {
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw ModelError.invalidConfig(file.path, "already exists; delete it or choose another file")
        }
        guard let fileType = Self.llamaFileTypes[matrixType] else {
            throw ModelError.invalidConfig(file.path, "matrix type \(matrixType.name): expected BF16 or Q8_0")
        }
        let config = shape.config(vocabularySize: tokenizer.tokens.count)
        var writer = GGUFWriter()
        for (key, value) in modelMetadata(config, fileType: fileType) { writer[key] = value }
        for (key, value) in try tokenizer.ggufMetadata(source: tokenizerSource) { writer[key] = value }
        let roles = roles(config)
        for (role, layer) in roles {
            let shape = role.shape(in: config)
            try writer.planTensor(GGUFNames.name(role, layer: layer), shape: shape, type: shape.count == 1 ? .f32 : matrixType)
        }
        let stream = try writer.streamingWriter(to: file)
        for (index, (role, layer)) in roles.enumerated() {
            let shape = role.shape(in: config)
            let bits = randomBF16(count: shape.reduce(1, *), fanIn: shape.count == 1 ? nil : shape.last,
                                  seed: tensorSeed(seed, index: index))
            let name = GGUFNames.name(role, layer: layer)
            let rows: [UInt16]
            switch role {
            case .query: rows = permuted(bits, heads: config.headCount, columns: config.hiddenSize)
            case .key: rows = permuted(bits, heads: config.kvHeadCount, columns: config.hiddenSize)
            default: rows = bits
            }
            let widened = { rows.map { Float(bitPattern: UInt32($0) << 16) } }
            if shape.count == 1 {
                try widened().withUnsafeBytes { try stream.append(name, $0) }
            } else if matrixType == .q8_0 {
                try Quantizer.quantizeQ8_0(widened()).withUnsafeBytes { try stream.append(name, $0) }
            } else {
                try rows.withUnsafeBytes { try stream.append(name, $0) }
            }
            if layer.map({ role == .down && ($0 + 1) % 8 == 0 }) ?? false { progress?("\(layer! + 1) of \(config.layerCount) layers") }
        }
        try stream.commit()
    }

    /// llama.cpp's `general.file_type` (`LLAMA_FTYPE_MOSTLY_*`) of the matrix types this writer offers.
    static let llamaFileTypes: [GGUFTensorType: UInt32] = [.bf16: 32, .q8_0: 7]

    /// The `general.*` and `llama.*` keys llama.cpp needs for this configuration (and lna reads back as it).
    static func modelMetadata(_ c: ModelConfig, fileType: UInt32) -> [(String, GGUFValue)] {
        var keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("llama")),
            ("general.name", .string("lna synthetic \(c.layerCount)-layer Mistral")),
            ("general.file_type", .uint32(fileType)),
            ("llama.vocab_size", .uint32(UInt32(c.vocabularySize))),
            ("llama.context_length", .uint32(UInt32(c.contextLength))),
            ("llama.embedding_length", .uint32(UInt32(c.hiddenSize))),
            ("llama.block_count", .uint32(UInt32(c.layerCount))),
            ("llama.feed_forward_length", .uint32(UInt32(c.intermediateSize))),
            ("llama.attention.head_count", .uint32(UInt32(c.headCount))),
            ("llama.attention.head_count_kv", .uint32(UInt32(c.kvHeadCount))),
            ("llama.attention.key_length", .uint32(UInt32(c.headDim))),
            ("llama.attention.value_length", .uint32(UInt32(c.headDim))),
            ("llama.rope.dimension_count", .uint32(UInt32(c.headDim))),
            ("llama.rope.freq_base", .float32(Float(c.ropeBase))),
            ("llama.attention.layer_norm_rms_epsilon", .float32(Shape.rmsEpsilon)),
        ]
        if let window = c.slidingWindow { keys.append(("llama.attention.sliding_window", .uint32(UInt32(window)))) }
        return keys
    }

    /// llama.cpp's q/k row order: GGUF row h·hd + 2i + j holds Hugging Face row h·hd + j·hd/2 + i (the inverse of
    /// `WeightLoader.unpermuteRows`).
    static func permuted(_ rows: [UInt16], heads: Int, columns: Int) -> [UInt16] {
        let headDim = rows.count / columns / heads, half = headDim / 2
        var out = [UInt16](repeating: 0, count: rows.count)
        for h in 0..<heads {
            for i in 0..<half {
                for j in 0..<2 {
                    let to = (h * headDim + 2 * i + j) * columns, from = (h * headDim + j * half + i) * columns
                    out[to..<(to + columns)] = rows[from..<(from + columns)]
                }
            }
        }
        return out
    }
}
