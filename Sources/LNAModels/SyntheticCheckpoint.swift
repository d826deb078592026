import Foundation
import LNAFormats
import LNATensor
import LNATokenizers

/// Writes a random bf16 Hugging Face checkpoint of a given shape (e.g. Mistral-7B's), to measure load time,
/// memory and speed of models too large to ship: `config.json` (`MistralForCausalLM`, `torch_dtype` bfloat16),
/// sharded safetensors with `model.safetensors.index.json`, and the `tokenizer.json` given (its vocabulary size
/// sets `vocab_size`).
///
/// Weights are drawn N(0, 1/fan_in) (approximately: a sum of four uniforms), norms are 1, so activations stay
/// finite and about unit-sized through every layer. The checkpoint is written one tensor at a time (at most one
/// tensor in memory) into a temporary folder beside `directory`, renamed into place when complete.
///
/// ```swift
/// let vocab = try ModelTokenizer.load("smollm2-135m").vocabulary
/// try SyntheticCheckpoint.write(.mistral7B, tokenizer: vocab, to: URL(fileURLWithPath: "/tmp/mistral-7b-bf16"))
/// ```
public enum SyntheticCheckpoint {
    /// The dimensions of a Mistral-style decoder (the vocabulary comes from the tokenizer).
    public struct Shape: Sendable, Equatable {
        public var hiddenSize: Int
        public var intermediateSize: Int
        public var layerCount: Int
        public var headCount: Int
        public var kvHeadCount: Int
        public var headDim: Int
        public var slidingWindow: Int?

        public init(hiddenSize: Int, intermediateSize: Int, layerCount: Int, headCount: Int, kvHeadCount: Int,
                    headDim: Int, slidingWindow: Int? = nil) {
            self.hiddenSize = hiddenSize
            self.intermediateSize = intermediateSize
            self.layerCount = layerCount
            self.headCount = headCount
            self.kvHeadCount = kvHeadCount
            self.headDim = headDim
            self.slidingWindow = slidingWindow
        }

        /// Mistral-7B-v0.1: hidden 4096, 32 layers, 14336 neurons, 32 heads, 8 KV heads of 128, window 4096.
        public static let mistral7B = Shape(hiddenSize: 4096, intermediateSize: 14336, layerCount: 32, headCount: 32,
                                            kvHeadCount: 8, headDim: 128, slidingWindow: 4096)

        /// A 2-layer toy of the same family (hidden 64, 96 neurons), for tests of the tools.
        public static let tiny = Shape(hiddenSize: 64, intermediateSize: 96, layerCount: 2, headCount: 4,
                                       kvHeadCount: 2, headDim: 16, slidingWindow: nil)

        /// Shapes by name: `mistral-7b`, `tiny`.
        public static let named: [String: Shape] = ["mistral-7b": .mistral7B, "tiny": .tiny]

        /// The model configuration of this shape with `vocabularySize` tokens.
        public func config(vocabularySize: Int) -> ModelConfig {
            ModelConfig(
                architecture: "mistral", vocabularySize: vocabularySize, hiddenSize: hiddenSize,
                intermediateSize: intermediateSize, layerCount: layerCount, headCount: headCount,
                kvHeadCount: kvHeadCount, headDim: headDim, ropeBase: 10_000,
                slidingWindow: slidingWindow, slidingWindowLayers: Array(repeating: slidingWindow != nil, count: layerCount),
                tiedEmbeddings: false, contextLength: 32_768, ropeScaling: nil,
                block: LlamaFamily.llamaRecipe(headDim: headDim, epsilon: Self.rmsEpsilon))
        }

        /// The RMSNorm epsilon of the family (config.json `rms_norm_eps`, GGUF `attention.layer_norm_rms_epsilon`).
        static let rmsEpsilon: Float = 1e-5
    }

    /// Bytes of the weights of `shape` with `vocabularySize` tokens, in bf16.
    public static func weightBytes(_ shape: Shape, vocabularySize: Int) -> Int {
        plan(shape.config(vocabularySize: vocabularySize)).reduce(0) { $0 + $1.byteCount }
    }

    /// Writes the checkpoint into `directory`, which must not exist yet. Shards hold at most `maxShardBytes`
    /// (or one tensor, when larger). `progress` gets a line per shard written.
    public static func write(_ shape: Shape, tokenizer: TokenizerVocabulary, to directory: URL, seed: UInt64 = 1,
                             maxShardBytes: Int = 2 << 30, progress: ((String) -> Void)? = nil) throws {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: directory.path) else {
            throw ModelError.invalidConfig(directory.path, "already exists; delete it or choose another folder")
        }
        let parent = directory.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let temporary = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        var committed = false
        defer { if !committed { try? fm.removeItem(at: temporary) } }

        let config = shape.config(vocabularySize: tokenizer.tokens.count)
        let tensors = plan(config)
        let shards = splitIntoShards(tensors, maxBytes: maxShardBytes)
        var weightMap: [String: String] = [:]
        var index = 0
        for (number, shard) in shards.enumerated() {
            let name = String(format: "model-%05d-of-%05d.safetensors", number + 1, shards.count)
            let writer = try SafeTensorsStreamWriter(temporary.appendingPathComponent(name), plan: shard,
                                                     metadata: ["format": "pt", "generated_by": "lna synthetic"])
            for tensor in shard {
                let bits = randomBF16(count: tensor.shape.reduce(1, *), fanIn: tensor.shape.count == 1 ? nil : tensor.shape.last,
                                      seed: tensorSeed(seed, index: index))
                try bits.withUnsafeBytes { try writer.append(tensor.name, $0) }
                weightMap[tensor.name] = name
                index += 1
            }
            try writer.commit()
            progress?("\(name): \(shard.count) tensors, \(shard.reduce(0) { $0 + $1.byteCount } >> 20) MiB")
        }
        let totalSize = tensors.reduce(0) { $0 + $1.byteCount }
        let indexJSON = try JSONSerialization.data(
            withJSONObject: ["metadata": ["total_size": totalSize], "weight_map": weightMap],
            options: [.prettyPrinted, .sortedKeys])
        try AtomicFileWriter.write(indexJSON, to: temporary.appendingPathComponent(ShardedSafeTensors.indexFileName))
        let exported = try TransformersConfig(exporting: config, bosID: tokenizer.bosID, eosID: tokenizer.eosID,
                                              dtype: "bfloat16")
        try AtomicFileWriter.write(exported.jsonData(), to: temporary.appendingPathComponent("config.json"))
        try AtomicFileWriter.write(Data(tokenizer.huggingFaceTokenizerJSON().utf8),
                                   to: temporary.appendingPathComponent("tokenizer.json"))
        guard rename(temporary.path, directory.path) == 0 else {
            throw ModelError.invalidConfig(directory.path, "cannot rename \(temporary.path) into place: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    /// Every weight of a Mistral checkpoint in file order (embedding, layers, final norm, LM head). A tensor's
    /// position in this list seeds its values, so the Hugging Face and GGUF files hold the same model.
    static func roles(_ c: ModelConfig) -> [(role: WeightRole, layer: Int?)] {
        var roles: [(role: WeightRole, layer: Int?)] = [(.tokenEmbedding, nil)]
        let layerRoles: [WeightRole] = [.attentionNorm, .query, .key, .value, .attentionOutput, .mlpNorm, .gate, .up, .down]
        for l in 0..<c.layerCount { roles += layerRoles.map { ($0, l) } }
        roles += [(.finalNorm, nil), (.output, nil)]
        return roles
    }

    /// Every tensor of the Hugging Face checkpoint in file order, all BF16.
    static func plan(_ c: ModelConfig) -> [SafeTensorsStreamWriter.Planned] {
        roles(c).map { role, layer in
            SafeTensorsStreamWriter.Planned(name: HFNames.name(role, layer: layer), dtype: .bf16, shape: role.shape(in: c))
        }
    }

    static func tensorSeed(_ seed: UInt64, index: Int) -> UInt64 { seed &+ UInt64(index) &* 0x9E37_79B9 }

    static func splitIntoShards(_ tensors: [SafeTensorsStreamWriter.Planned],
                                maxBytes: Int) -> [[SafeTensorsStreamWriter.Planned]] {
        var shards: [[SafeTensorsStreamWriter.Planned]] = [[]]
        var bytes = 0
        for tensor in tensors {
            if bytes + tensor.byteCount > maxBytes && !shards[shards.count - 1].isEmpty {
                shards.append([])
                bytes = 0
            }
            shards[shards.count - 1].append(tensor)
            bytes += tensor.byteCount
        }
        return shards
    }

    /// A tensor's values as bf16 bits: 1 for norms (`fanIn` nil), else ≈ N(0, 1/fan_in), generated in parallel
    /// chunks whose seeds depend only on `seed` and the chunk (the same file on any machine).
    static func randomBF16(count: Int, fanIn: Int?, seed: UInt64) -> [UInt16] {
        guard let fanIn else { return [UInt16](repeating: bfloat16Bits(1), count: count) }
        // Four 16-bit uniforms: mean 2, variance 1/3; centred and scaled to the standard deviation 1/√fan_in.
        let scale = Float(3).squareRoot() / Float(fanIn).squareRoot() / 65_536
        let chunk = 1 << 20
        return [UInt16](unsafeUninitializedCapacity: count) { out, initialized in
            let base = out.baseAddress!
            ComputePool.shared.parallelFor(count: (count + chunk - 1) / chunk) { part in
                var generator = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(part))
                for i in (part * chunk)..<min(count, (part + 1) * chunk) {
                    let r = generator.next()
                    let sum = Int32(r & 0xFFFF) + Int32((r >> 16) & 0xFFFF) + Int32((r >> 32) & 0xFFFF) + Int32(r >> 48)
                    base[i] = bfloat16Bits(Float(sum - 2 * 65_536) * scale)
                }
            }
            initialized = count
        }
    }
}
