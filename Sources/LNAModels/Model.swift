import Foundation
import LNAFormats
import LNAHooks
import LNATensor
import LNATokenizers

/// A loaded model ready to run: configuration, packed weights and (for model files that carry one) its
/// tokenizer. One generic pre-norm decoder serves every architecture; hooks observe and edit its tensors.
///
/// ```swift
/// let model = try Model.load("gemma3-270m")
/// let ids = model.tokenizer.encode("Hallo Welt")
/// let out = try model.forward(TokenBatch(ids), logits: .lastOfEachSequence)
/// ```
public final class Model: @unchecked Sendable {
    public let config: ModelConfig
    /// Where the weights came from.
    public let url: URL
    /// The known model name (`gemma3-270m`) or the file name.
    public let name: String
    /// Storage types of the source tensors, with counts (`Q5_0: 81`).
    public let tensorTypes: [String: Int]
    /// The model's own tokenizer (from GGUF metadata or `tokenizer.json`).
    public let tokenizer: Tokenizer
    let layers: [FastLayer]
    let embedding: EmbeddingTable
    let finalNorm: [Float]
    /// The LM head, packed on first use: activation recording never pays for it (Gemma: 262,144 × 640).
    let lmHead: LazyLinear
    /// RoPE of every layer (local and global layers differ in Gemma 3).
    let rotary: [RotaryEmbedding]

    init(file: ModelFile, url: URL, tokenizer: Tokenizer) throws {
        let config = file.config
        let loader = file.loader
        self.config = config
        self.url = url
        self.name = ModelLocator.knownName(of: url) ?? url.lastPathComponent
        self.tensorTypes = file.tensorTypes
        self.tokenizer = tokenizer
        // One layer at a time: the float32 copy of a layer lives only until it is packed.
        self.layers = try (0..<config.layerCount).map { l in
            try FastLayer(raw: RawLayerWeights.load(loader, layer: l), config: config)
        }
        self.embedding = try EmbeddingTable(loader: loader, gguf: file.gguf)
        self.finalNorm = try loader.load(.finalNorm)
        self.lmHead = LazyLinear(outputs: config.vocabularySize, inputs: config.hiddenSize) { rows in
            try loader.loadRows(config.tiedEmbeddings ? .tokenEmbedding : .output, rows: rows)
        }
        // Layers with the same frequencies share one table (Gemma 3: two tables of 8 MB, not eighteen).
        var tables: [[Double]: RotaryEmbedding] = [:]
        self.rotary = try (0..<config.layerCount).map { l in
            let frequencies = RopeScaling.inverseFrequencies(
                headDim: config.headDim, base: config.ropeBase(layer: l),
                scaling: config.slidingWindowLayers[l] && config.localRopeBase != nil ? nil : config.ropeScaling)
            if let shared = tables[frequencies] { return shared }
            let table = try RotaryEmbedding(inverseFrequencies: frequencies, headDimension: config.headDim,
                                            style: .neox, capacity: min(config.contextLength, 8192))
            tables[frequencies] = table
            return table
        }
    }

    /// Loads a model from a MODEL argument: a `.gguf` path, a Hugging Face directory, or a known name.
    public static func load(_ argument: String) throws -> Model {
        try load(url: ModelLocator.resolve(argument))
    }

    /// Loads a `.gguf` file or a Hugging Face directory. Give `tokenizer` to use another tokenizer than the
    /// file's own (or for weights-only checkpoints).
    public static func load(url: URL, tokenizer: Tokenizer? = nil) throws -> Model {
        let opened = try ModelFile.open(url)
        try opened.loader.verifyNoExtraTensors()
        return try Model(file: opened, url: url, tokenizer: tokenizer ?? ModelTokenizer.load(file: opened))
    }
}

/// One decoder block's weights, packed for the fast path.
struct FastLayer: @unchecked Sendable {
    let attentionNorm: [Float]
    let query: PackedLinear, key: PackedLinear, value: PackedLinear, attentionOutput: PackedLinear
    let queryNorm: [Float]?, keyNorm: [Float]?
    let postAttentionNorm: [Float]?
    let mlpNorm: [Float]
    let gate: PackedLinear, up: PackedLinear, down: PackedLinear
    let postMLPNorm: [Float]?

    init(raw w: RawLayerWeights, config c: ModelConfig) throws {
        attentionNorm = w.attentionNorm
        query = try PackedLinear(weight: w.query, outputs: c.queryWidth, inputs: c.hiddenSize, bias: w.queryBias)
        key = try PackedLinear(weight: w.key, outputs: c.kvWidth, inputs: c.hiddenSize, bias: w.keyBias)
        value = try PackedLinear(weight: w.value, outputs: c.kvWidth, inputs: c.hiddenSize, bias: w.valueBias)
        attentionOutput = try PackedLinear(weight: w.attentionOutput, outputs: c.hiddenSize, inputs: c.queryWidth)
        queryNorm = w.queryNorm
        keyNorm = w.keyNorm
        postAttentionNorm = w.postAttentionNorm
        mlpNorm = w.mlpNorm
        gate = try PackedLinear(weight: w.gate, outputs: c.intermediateSize, inputs: c.hiddenSize)
        up = try PackedLinear(weight: w.up, outputs: c.intermediateSize, inputs: c.hiddenSize)
        down = try PackedLinear(weight: w.down, outputs: c.hiddenSize, inputs: c.intermediateSize)
        postMLPNorm = w.postMLPNorm
    }
}

/// Token embedding rows: dequantised on demand from a mapped GGUF file (no float32 copy of a 262k × 640
/// table), or a dense float32 table for other sources.
struct EmbeddingTable: @unchecked Sendable {
    let rowLength: Int
    private let gguf: GGUFFile?
    private let name: String
    private let dense: [Float]

    init(loader: WeightLoader, gguf: GGUFFile?) throws {
        rowLength = loader.config.hiddenSize
        name = loader.fileName(.tokenEmbedding, layer: nil)
        if let gguf, loader.format == .gguf {
            self.gguf = gguf
            dense = []
        } else {
            self.gguf = nil
            dense = try loader.load(.tokenEmbedding)
        }
    }

    /// Writes the embedding of `token` into `row` (`rowLength` floats).
    func copy(token: Int, into row: UnsafeMutablePointer<Float>) throws {
        if let gguf {
            try gguf.dequantizeRow(name, row: token, into: UnsafeMutableBufferPointer(start: row, count: rowLength))
        } else {
            dense.withUnsafeBufferPointer { row.update(from: $0.baseAddress! + token * rowLength, count: rowLength) }
        }
    }
}

/// A `PackedLinear` built on first use from a weight loader, then kept. The weight arrives in blocks of rows
/// and is packed block by block: the LM head never exists twice in float32 (Gemma 3: 671 MB per copy).
final class LazyLinear: @unchecked Sendable {
    let outputs: Int
    let inputs: Int
    private let makeRows: (Range<Int>) throws -> [Float]
    private var packed: PackedLinear?
    private let lock = NSLock()

    init(outputs: Int, inputs: Int, rows: @escaping (Range<Int>) throws -> [Float]) {
        self.outputs = outputs
        self.inputs = inputs
        self.makeRows = rows
    }

    func get() throws -> PackedLinear {
        lock.lock()
        defer { lock.unlock() }
        if let packed { return packed }
        let layer = try PackedLinear(outputs: outputs, inputs: inputs, rows: makeRows)
        packed = layer
        return layer
    }
}
