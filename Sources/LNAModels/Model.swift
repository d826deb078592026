import Foundation
import LNAFormats
import LNAHooks

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
    let layers: [FastLayer]
    let embedding: [Float]
    let finalNorm: [Float]
    let lmHead: DenseLinear
    let rotary: [RotaryTable]

    init(config: ModelConfig, url: URL, tensorTypes: [String: Int], raw: RawWeights) {
        self.config = config
        self.url = url
        self.name = ModelLocator.knownName(of: url) ?? url.lastPathComponent
        self.tensorTypes = tensorTypes
        self.layers = raw.layers.map { FastLayer(raw: $0, config: config) }
        self.embedding = raw.embedding
        self.finalNorm = raw.finalNorm
        self.lmHead = DenseLinear(weights: raw.output ?? raw.embedding, outputs: config.vocabularySize,
                                  inputs: config.hiddenSize)
        self.rotary = (0..<config.layerCount).map { l in
            RotaryTable(headDim: config.headDim, inverseFrequencies: RopeScaling.inverseFrequencies(
                headDim: config.headDim, base: config.ropeBase(layer: l),
                scaling: config.slidingWindowLayers[l] && config.localRopeBase != nil ? nil : config.ropeScaling))
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
        return Model(config: opened.config, url: url, tensorTypes: opened.tensorTypes,
                     raw: try RawWeights.load(opened.loader))
    }
}

/// One decoder block's weights, packed for the fast path.
struct FastLayer: @unchecked Sendable {
    let attentionNorm: [Float]
    let query: DenseLinear, key: DenseLinear, value: DenseLinear, attentionOutput: DenseLinear
    let queryNorm: [Float]?, keyNorm: [Float]?
    let postAttentionNorm: [Float]?
    let mlpNorm: [Float]
    let gate: DenseLinear, up: DenseLinear, down: DenseLinear
    let postMLPNorm: [Float]?

    init(raw w: RawLayerWeights, config c: ModelConfig) {
        attentionNorm = w.attentionNorm
        query = DenseLinear(weights: w.query, outputs: c.queryWidth, inputs: c.hiddenSize, bias: w.queryBias)
        key = DenseLinear(weights: w.key, outputs: c.kvWidth, inputs: c.hiddenSize, bias: w.keyBias)
        value = DenseLinear(weights: w.value, outputs: c.kvWidth, inputs: c.hiddenSize, bias: w.valueBias)
        attentionOutput = DenseLinear(weights: w.attentionOutput, outputs: c.hiddenSize, inputs: c.queryWidth)
        queryNorm = w.queryNorm
        keyNorm = w.keyNorm
        postAttentionNorm = w.postAttentionNorm
        mlpNorm = w.mlpNorm
        gate = DenseLinear(weights: w.gate, outputs: c.intermediateSize, inputs: c.hiddenSize)
        up = DenseLinear(weights: w.up, outputs: c.intermediateSize, inputs: c.hiddenSize)
        down = DenseLinear(weights: w.down, outputs: c.hiddenSize, inputs: c.intermediateSize)
        postMLPNorm = w.postMLPNorm
    }
}

/// cos/sin of RoPE angles per position, grown on demand.
final class RotaryTable: @unchecked Sendable {
    let headDim: Int
    let inverseFrequencies: [Double]
    private(set) var cosines: [Float] = []
    private(set) var sines: [Float] = []
    private var positions = 0
    private let lock = NSLock()

    init(headDim: Int, inverseFrequencies: [Double]) {
        self.headDim = headDim
        self.inverseFrequencies = inverseFrequencies
    }

    /// Makes sure angles for positions 0..<count exist; returns (cos, sin) tables `[count, headDim/2]`.
    func tables(upTo count: Int) -> (cos: [Float], sin: [Float]) {
        lock.lock()
        defer { lock.unlock() }
        if count > positions {
            let half = headDim / 2
            for p in positions..<count {
                for i in 0..<half {
                    let angle = Double(p) * inverseFrequencies[i]
                    cosines.append(Float(cos(angle)))
                    sines.append(Float(sin(angle)))
                }
            }
            positions = count
        }
        return (cosines, sines)
    }
}
