import Foundation
import LNAFormats
import LNAHooks
import LNAModels
import LNATensor
import LNATestSupport
import LNATokenizers
import Testing

/// The memory-saving weight storages (bf16 panels, layers streamed from the mapped file) on a tiny bf16
/// checkpoint written by `SyntheticCheckpoint`: the same logits and `mlp.hook_act` counts as resident float32,
/// bit for bit, packed multi-sequence batches and single tokens included.
struct WeightStorageTests {
    // 80 neurons and 48-wide attention: outputs that are not multiples of the 32-wide panels.
    static let shape = SyntheticCheckpoint.Shape(hiddenSize: 64, intermediateSize: 80, layerCount: 3, headCount: 3,
                                                 kvHeadCount: 1, headDim: 16, slidingWindow: 6)
    static let batch = TokenBatch([[1, 40, 291, 7, 88], [1, 150, 3, 299, 64, 12, 5, 77, 210, 33, 9], [1, 20, 21, 22, 23, 24, 25, 26, 27]])

    /// Writes the tiny checkpoint into a fresh folder (removed by the caller).
    func writeTiny(_ name: String) throws -> (root: URL, model: URL, tokenizer: Tokenizer) {
        let root = try TestResources.temporaryDirectory(name)
        let vocabulary = TinyCheckpoint(architecture: "llama", seed: 1).tokenizerVocabulary
        let model = root.appendingPathComponent("model")
        try SyntheticCheckpoint.write(Self.shape, tokenizer: vocabulary, to: model, seed: 5, maxShardBytes: 40_000)
        return (root, model, try Tokenizer(vocabulary: vocabulary))
    }

    /// Logits of every row of the packed batch and act > 0 counts per layer.
    func run(_ model: Model, _ batch: TokenBatch) throws -> (logits: [Float], counts: [[Int64]]) {
        let hooks = HookSet(layerCount: model.config.layerCount)
        let neurons = model.config.intermediateSize
        let counts = UnsafeMutablePointer<Int64>.allocate(capacity: model.config.layerCount * neurons)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: model.config.layerCount * neurons)
        try hooks.observe("blocks.*.mlp.hook_act") { t in
            accumulatePositiveCounts(values: t.values, rows: t.rows, columns: t.columns,
                                     into: counts + (t.point.layer ?? 0) * neurons)
        }
        let logits = try model.forward(batch, hooks: hooks, logits: .all).logits
        let perLayer = (0..<model.config.layerCount).map { l in Array(UnsafeBufferPointer(start: counts + l * neurons, count: neurons)) }
        return (logits, perLayer)
    }

    @Test func bf16AndStreamedEqualResidentFloat32BitForBit() throws {
        let tiny = try writeTiny("weights-storage")
        defer { try? FileManager.default.removeItem(at: tiny.root) }
        let resident = try Model.load(url: tiny.model, tokenizer: tiny.tokenizer, weights: .resident)
        #expect(resident.weightStorage == .resident)
        let expected = try run(resident, Self.batch)
        let finite = expected.logits.allSatisfy { $0.isFinite }
        let counts = Array(expected.counts.joined())
        let nonTrivial = counts.contains { $0 > 0 } && counts.contains { $0 < Int64(Self.batch.rowCount) }
        #expect(finite && nonTrivial)
        let single = try resident.forward(TokenBatch([17]), logits: .all).logits
        for storage in [WeightStorage.bf16, .streamed] {
            let model = try Model.load(url: tiny.model, tokenizer: tiny.tokenizer, weights: storage)
            #expect(model.weightStorage == storage)
            let got = try run(model, Self.batch)
            #expect(got.logits.map(\.bitPattern) == expected.logits.map(\.bitPattern), "\(storage)")
            #expect(got.counts == expected.counts, "\(storage)")
            // One row takes the matrix–vector path.
            #expect(try model.forward(TokenBatch([17]), logits: .all).logits.map(\.bitPattern) == single.map(\.bitPattern))
        }
        let streamed = try Model.load(url: tiny.model, tokenizer: tiny.tokenizer, weights: .streamed)
        let bf16 = try Model.load(url: tiny.model, tokenizer: tiny.tokenizer, weights: .bf16)
        #expect(streamed.residentWeightBytes == 0)
        #expect(bf16.residentWeightBytes * 2 == resident.residentWeightBytes)
        // Small models stay resident float32 by default.
        #expect(try Model.load(url: tiny.model, tokenizer: tiny.tokenizer).weightStorage == .resident)
    }

    @Test func syntheticCheckpointIsAShardedBF16MistralWithUnitNorms() throws {
        let tiny = try writeTiny("weights-synthetic")
        defer { try? FileManager.default.removeItem(at: tiny.root) }
        let files = try FileManager.default.contentsOfDirectory(atPath: tiny.model.path).sorted()
        #expect(files.contains("config.json") && files.contains("tokenizer.json") && files.contains(ShardedSafeTensors.indexFileName))
        #expect(files.filter { $0.hasSuffix(".safetensors") }.count > 1)
        #expect(!files.contains { $0.hasPrefix(".") })
        let config = try JSONValue.parse(Data(contentsOf: tiny.model.appendingPathComponent("config.json")))
        #expect(config["dtype"]?.stringValue == "bfloat16")   // transformers 5 spells it dtype
        #expect(config["architectures"]?.arrayValue?.first?.stringValue == "MistralForCausalLM")
        #expect(config["vocab_size"] == .int(300))
        let weights = try ShardedSafeTensors(directory: tiny.model)
        #expect(Set(weights.tensorNames.compactMap { weights.descriptor($0)?.typeName }) == ["BF16"])
        #expect(try weights.floats("model.norm.weight") == [Float](repeating: 1, count: 64))
        let down = try weights.floats("model.layers.2.mlp.down_proj.weight")
        let variance = down.reduce(0) { $0 + Double($1 * $1) } / Double(down.count)
        #expect(abs(variance * 80 - 1) < 0.1)   // N(0, 1/fan_in)
        // The same seed writes the same weights; the folder is refused when it exists.
        #expect(throws: ModelError.self) {
            try SyntheticCheckpoint.write(Self.shape, tokenizer: TinyCheckpoint(architecture: "llama", seed: 1).tokenizerVocabulary,
                                          to: tiny.model)
        }
    }

    @Test func bf16IsRefusedForCheckpointsThatAreNotBF16() throws {
        let dir = try TestResources.temporaryDirectory("weights-f32")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tiny = TinyCheckpoint(architecture: "mistral", seed: 2)
        try tiny.writeHF(to: dir)   // float32 safetensors
        let tokenizer = try Tokenizer(vocabulary: tiny.tokenizerVocabulary)
        #expect(throws: ModelError.self) { try Model.load(url: dir, tokenizer: tokenizer, weights: .bf16) }
        let resident = try Model.load(url: dir, tokenizer: tokenizer, weights: .resident)
        let streamed = try Model.load(url: dir, tokenizer: tokenizer, weights: .streamed)
        let tokens = TokenBatch([1, 40, 291, 7, 88, 150, 3, 299, 64, 12])
        #expect(try streamed.forward(tokens, logits: .all).logits == resident.forward(tokens, logits: .all).logits)
        #expect(try WeightStorage(parsing: "STREAM") == .streamed)
        #expect(throws: ModelError.self) { try WeightStorage(parsing: "f16") }
    }
}
