/// All weights of a model as plain float32 arrays in canonical layout (`[out, in]` row-major), as read by
/// `WeightLoader`. The reference forward uses them directly; the fast model packs them layer by layer.
struct RawLayerWeights {
    var attentionNorm: [Float]
    var query: [Float], queryBias: [Float]?
    var key: [Float], keyBias: [Float]?
    var value: [Float], valueBias: [Float]?
    var attentionOutput: [Float]
    var queryNorm: [Float]?, keyNorm: [Float]?
    var postAttentionNorm: [Float]?
    var mlpNorm: [Float]
    var gate: [Float], up: [Float], down: [Float]
    var postMLPNorm: [Float]?

    static func load(_ loader: WeightLoader, layer l: Int) throws -> RawLayerWeights {
        let c = loader.config
        func optional(_ role: WeightRole) throws -> [Float]? {
            role.isPresent(in: c) ? try loader.load(role, layer: l) : nil
        }
        return RawLayerWeights(
            attentionNorm: try loader.load(.attentionNorm, layer: l),
            query: try loader.load(.query, layer: l), queryBias: try optional(.queryBias),
            key: try loader.load(.key, layer: l), keyBias: try optional(.keyBias),
            value: try loader.load(.value, layer: l), valueBias: try optional(.valueBias),
            attentionOutput: try loader.load(.attentionOutput, layer: l),
            queryNorm: try optional(.queryNorm), keyNorm: try optional(.keyNorm),
            postAttentionNorm: try optional(.postAttentionNorm),
            mlpNorm: try loader.load(.mlpNorm, layer: l),
            gate: try loader.load(.gate, layer: l), up: try loader.load(.up, layer: l),
            down: try loader.load(.down, layer: l),
            postMLPNorm: try optional(.postMLPNorm))
    }
}

struct RawWeights {
    var embedding: [Float]
    var finalNorm: [Float]
    /// nil when the output is tied to the embedding.
    var output: [Float]?
    var layers: [RawLayerWeights]

    static func load(_ loader: WeightLoader) throws -> RawWeights {
        RawWeights(
            embedding: try loader.load(.tokenEmbedding),
            finalNorm: try loader.load(.finalNorm),
            output: loader.config.tiedEmbeddings ? nil : try loader.load(.output),
            layers: try (0..<loader.config.layerCount).map { try RawLayerWeights.load(loader, layer: $0) })
    }
}
