extension ModelConfig {
    /// The forward's view of a decoded `config.json`: the fields every family shares. Architecture files then
    /// set what is theirs (q/k norms, sandwich norms, embedding scale). Throws naming the key when a value
    /// cannot be run exactly (a RoPE entry lna cannot honour, partial rotary that differs between layer types).
    ///
    /// ```swift
    /// var c = try ModelConfig(transformers: t, architecture: "llama", source: "config.json")
    /// ```
    init(transformers t: TransformersConfig, architecture: String, source: String) throws {
        let rotary = try Self.rotaryDimension(t, source: source)
        let scaling = try RopeScaling(t.rope, dimension: rotary, maxPositions: t.maxPositionEmbeddings, source: source)
        let localScaling = try t.slidingRope.flatMap {
            try RopeScaling($0, dimension: rotary, maxPositions: t.maxPositionEmbeddings, source: source)
        }
        // longrope is exact only up to a length; lna's context ends there (see RopeScaling).
        let limits = [scaling, localScaling].compactMap { $0?.exactContextLimit }
        let sliding = t.layerTypes.map { $0 == .slidingAttention }
        self.init(
            architecture: architecture, vocabularySize: t.vocabSize, hiddenSize: t.hiddenSize,
            intermediateSize: t.intermediateSize, layerCount: t.numHiddenLayers, headCount: t.numAttentionHeads,
            kvHeadCount: t.numKeyValueHeads, headDim: t.headDim, ropeBase: t.rope.theta,
            localRopeBase: t.slidingRope?.theta, slidingWindow: sliding.contains(true) ? t.slidingWindow : nil,
            slidingWindowLayers: sliding, rmsNormEpsilon: Float(t.normEpsilon), embeddingScale: nil,
            tiedEmbeddings: t.tieWordEmbeddings, qkNorm: false, sandwichNorms: false,
            attentionBias: t.attentionBias, activation: t.activation,
            attentionScale: 1 / Float(t.queryPreAttnScalar ?? Double(t.headDim)).squareRoot(),
            contextLength: ([t.maxPositionEmbeddings] + limits).min()!, ropeScaling: scaling)
        localRopeScaling = localScaling
        rotaryDimension = rotary == t.headDim ? nil : rotary
        // qwen2's q/k/v biases come without an output bias; everywhere else attention_bias covers o_proj too.
        attentionOutputBias = t.attentionBias && t.modelType != "qwen2"
        mlpBias = t.mlpBias
        attentionLogitSoftcap = t.attnLogitSoftcapping.map { Float($0) }
        finalLogitSoftcap = t.finalLogitSoftcapping.map { Float($0) }
        logitScale = t.logitScale.map { Float($0) }
    }

    /// `int(head_dim · partial_rotary_factor)`, as transformers computes the rotary width; one width for all
    /// layer types, even and positive.
    private static func rotaryDimension(_ t: TransformersConfig, source: String) throws -> Int {
        let widths = Set(([t.rope] + (t.slidingRope.map { [$0] } ?? [])).map { Int(Double(t.headDim) * $0.partialRotaryFactor) })
        guard widths.count == 1, let width = widths.first, width >= 2, width % 2 == 0 else {
            throw ModelError.configValue(
                file: source, key: "partial_rotary_factor", value: "\(t.rope.partialRotaryFactor)",
                expected: "a factor giving one even rotary width ≥ 2 of head_dim \(t.headDim) for every layer type")
        }
        return width
    }
}
