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
    let embedding: [Float]
    let finalNorm: [Float]
    let lmHead: PackedLinear
    /// RoPE of every layer (local and global layers differ in Gemma 3).
    let rotary: [RotaryEmbedding]

    init(config: ModelConfig, url: URL, tensorTypes: [String: Int], tokenizer: Tokenizer, raw: RawWeights) throws {
        self.config = config
        self.url = url
        self.name = ModelLocator.knownName(of: url) ?? url.lastPathComponent
        self.tensorTypes = tensorTypes
        self.tokenizer = tokenizer
        self.layers = try raw.layers.map { try FastLayer(raw: $0, config: config) }
        self.embedding = raw.embedding
        self.finalNorm = raw.finalNorm
        self.lmHead = try PackedLinear(weight: raw.output ?? raw.embedding, outputs: config.vocabularySize,
                                  inputs: config.hiddenSize)
        self.rotary = try (0..<config.layerCount).map { l in
            try RotaryEmbedding(
                inverseFrequencies: RopeScaling.inverseFrequencies(
                    headDim: config.headDim, base: config.ropeBase(layer: l),
                    scaling: config.slidingWindowLayers[l] && config.localRopeBase != nil ? nil : config.ropeScaling),
                headDimension: config.headDim, style: .neox, capacity: min(config.contextLength, 8192))
        }
    }

    /// Loads a model from a MODEL argument: a `.gguf` path, a Hugging Face directory, or a known name.
    public static func load(_ argument: String) throws -> Model {
        try load(url: ModelLocator.resolve(argument))
    }

    /// Loads a `.gguf` file or a Hugging Face directory.
    public static func load(url: URL) throws -> Model {
        let opened = try ModelFile.open(url)
        try opened.loader.verifyNoExtraTensors()
        return try Model(config: opened.config, url: url, tensorTypes: opened.tensorTypes,
                         tokenizer: try ModelTokenizer.load(file: opened), raw: try RawWeights.load(opened.loader))
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
