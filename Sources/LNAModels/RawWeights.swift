/// All weights of a model as plain float32 arrays in canonical layout (`[out, in]` row-major), as read by
/// `WeightLoader`. The reference forward uses them directly; the fast model packs them layer by layer. A
/// component the recipe does not have is nil.
struct RawLayerWeights {
    var attentionNorm: NormWeights?
    var query: [Float], queryBias: [Float]?
    var key: [Float], keyBias: [Float]?
    var value: [Float], valueBias: [Float]?
    var attentionOutput: [Float], attentionOutputBias: [Float]?
    var queryNorm: NormWeights?, keyNorm: NormWeights?
    var postAttentionNorm: NormWeights?
    var mlpNorm: NormWeights?
    /// The dense (or shared-expert) MLP; nil where the layer has none.
    var gate: [Float]?, up: [Float]?, down: [Float]?
    var upBias: [Float]?, downBias: [Float]?
    var postMLPNorm: NormWeights?
    /// Mixture-of-experts layers: the router `[experts, d]`, each expert's gate, up, down, the shared expert's gate.
    var router: [Float]?
    var experts: [(gate: [Float], up: [Float], down: [Float])] = []
    var sharedExpertGate: [Float]?

    static func load(_ loader: WeightLoader, layer l: Int) throws -> RawLayerWeights {
        let c = loader.config
        func optional(_ role: WeightRole) throws -> [Float]? {
            role.isPresent(in: c, layer: l) ? try loader.load(role, layer: l) : nil
        }
        let routed = WeightRole.router.isPresent(in: c, layer: l)
        var experts: [(gate: [Float], up: [Float], down: [Float])] = []
        if routed, case let .experts(e) = c.block.mlp {
            experts = try (0..<e.count).map { x in
                (try loader.loadExpert(.gate, layer: l, expert: x), try loader.loadExpert(.up, layer: l, expert: x),
                 try loader.loadExpert(.down, layer: l, expert: x))
            }
        }
        var weights = RawLayerWeights(
            attentionNorm: try NormWeights(loader, .attentionNorm, bias: .attentionNormBias, layer: l),
            query: try loader.load(.query, layer: l), queryBias: try optional(.queryBias),
            key: try loader.load(.key, layer: l), keyBias: try optional(.keyBias),
            value: try loader.load(.value, layer: l), valueBias: try optional(.valueBias),
            attentionOutput: try loader.load(.attentionOutput, layer: l),
            attentionOutputBias: try optional(.attentionOutputBias),
            queryNorm: try NormWeights(loader, .queryNorm, layer: l),
            keyNorm: try NormWeights(loader, .keyNorm, layer: l),
            postAttentionNorm: try NormWeights(loader, .postAttentionNorm, layer: l),
            mlpNorm: try NormWeights(loader, .mlpNorm, bias: .mlpNormBias, layer: l),
            gate: try optional(routed ? .sharedGate : .gate), up: try optional(routed ? .sharedUp : .up),
            down: try optional(routed ? .sharedDown : .down), upBias: try optional(.upBias),
            downBias: try optional(.downBias),
            postMLPNorm: try NormWeights(loader, .postMLPNorm, layer: l),
            router: try optional(.router), sharedExpertGate: try optional(.sharedExpertGate))
        weights.experts = experts
        return weights
    }
}

struct RawWeights {
    var embedding: [Float]
    var finalNorm: NormWeights
    /// nil when the output is tied to the embedding.
    var output: [Float]?
    var layers: [RawLayerWeights]
    /// Absolute position table (learned or sinusoidal), empty otherwise; BLOOM's embedding LayerNorm.
    var positionTable: [Float] = []
    var embeddingNorm: NormWeights?

    static func load(_ loader: WeightLoader) throws -> RawWeights {
        guard let finalNorm = try NormWeights(loader, .finalNorm, bias: .finalNormBias, layer: nil) else {
            throw ModelError.missingTensor(loader.fileName(.finalNorm, layer: nil), source: loader.sourceName)
        }
        return RawWeights(
            embedding: try loader.load(.tokenEmbedding),
            finalNorm: finalNorm,
            output: loader.config.tiedEmbeddings ? nil : try loader.load(.output),
            layers: try (0..<loader.config.layerCount).map { try RawLayerWeights.load(loader, layer: $0) },
            positionTable: try AbsolutePositions.table(loader.config, loader: loader),
            embeddingNorm: try NormWeights(loader, .embeddingNorm, bias: .embeddingNormBias, layer: nil))
    }
}
