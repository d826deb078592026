import LNATensor

extension ModelConfig {
    /// The forward's view of a decoded `config.json`: the sizes and per-layer schedule every family shares, and
    /// the Llama recipe with what the common keys say (norm epsilon, activation, attention biases, query scale,
    /// softcaps, logit scale). Architecture files then set what is theirs (norm kind, topology, q/k norms, RoPE
    /// pairing, embedding scale). Throws naming the key when a value cannot be run exactly (a RoPE entry lna
    /// cannot honour, partial rotary that differs between layer types, `mlp_bias`).
    ///
    /// ```swift
    /// var c = try ModelConfig(transformers: t, architecture: "llama", source: "config.json")
    /// ```
    init(transformers t: TransformersConfig, architecture: String, source: String) throws {
        if t.mlpBias {
            throw ModelError.configValue(file: source, key: "mlp_bias", value: "true",
                                         expected: "false (biases on gate/up/down are not implemented)")
        }
        let rotary = try Self.rotaryDimension(t, source: source)
        let scaling = try RopeScaling(t.rope, dimension: rotary, maxPositions: t.maxPositionEmbeddings, source: source)
        let localScaling = try t.slidingRope.flatMap {
            try RopeScaling($0, dimension: rotary, maxPositions: t.maxPositionEmbeddings, source: source)
        }
        // longrope is exact only up to a length; lna's context ends there (see RopeScaling).
        let limits = [scaling, localScaling].compactMap { $0?.exactContextLimit }
        let sliding = t.layerTypes.map { $0 == .slidingAttention }
        var recipe = LlamaFamily.llamaRecipe(headDim: t.headDim, epsilon: Float(t.normEpsilon), activation: t.activation)
        recipe.attention.scale = 1 / Float(t.queryPreAttnScalar ?? Double(t.headDim)).squareRoot()
        recipe.attention.queryKeyValueBias = t.attentionBias
        // qwen2's q/k/v biases come without an output bias; everywhere else attention_bias covers o_proj too.
        recipe.attention.outputBias = t.attentionBias && t.modelType != "qwen2" && t.modelType != "qwen2_moe"
        recipe.attention.logitSoftcap = t.attnLogitSoftcapping.map { Float($0) }
        if rotary != t.headDim { recipe.positions = .rope(.init(pairing: .halves, rotaryDimension: rotary)) }
        self.init(
            architecture: architecture, vocabularySize: t.vocabSize, hiddenSize: t.hiddenSize,
            intermediateSize: t.intermediateSize, layerCount: t.numHiddenLayers, headCount: t.numAttentionHeads,
            kvHeadCount: t.numKeyValueHeads, headDim: t.headDim, ropeBase: t.rope.theta,
            localRopeBase: t.slidingRope?.theta, slidingWindow: sliding.contains(true) ? t.slidingWindow : nil,
            slidingWindowLayers: sliding, tiedEmbeddings: t.tieWordEmbeddings,
            contextLength: ([t.maxPositionEmbeddings] + limits).min()!, ropeScaling: scaling, block: recipe,
            logits: LogitTransform(scale: t.logitScale.map { Float($0) }, softcap: t.finalLogitSoftcapping.map { Float($0) }))
        localRopeScaling = localScaling
    }

    /// A bloom, gpt2 or xglm config (`TransformersConfig.init(classic:)`): pre-norm LayerNorm with biases,
    /// multi-head attention with q/k/v/o biases and `positions`, a plain MLP with biases.
    ///
    /// ```swift
    /// let c = ModelConfig(classic: t, architecture: "gpt2", positions: .learned)
    /// ```
    init(classic t: TransformersConfig, architecture: String, positions: BlockRecipe.Positions) {
        self.init(plainDecoder: architecture, vocabulary: t.vocabSize, hidden: t.hiddenSize,
                  intermediate: t.intermediateSize, layers: t.numHiddenLayers, heads: t.numAttentionHeads,
                  epsilon: t.normEpsilon, activation: t.activation, positions: positions,
                  scaleAttention: t.scaleAttentionWeights, embeddingScale: t.scaleEmbedding,
                  tied: t.tieWordEmbeddings, context: t.maxPositionEmbeddings, embeddingNorm: t.embeddingLayerNorm)
    }

    /// The decoder of bloom, gpt2 and xglm from its sizes (Hugging Face or GGUF): pre-norm LayerNorm with biases,
    /// multi-head attention with q/k/v/o biases and `positions`, a plain MLP with biases.
    init(plainDecoder architecture: String, vocabulary: Int, hidden: Int, intermediate: Int, layers: Int, heads: Int,
         epsilon: Double, activation: BlockRecipe.Activation, positions: BlockRecipe.Positions, scaleAttention: Bool,
         embeddingScale: Bool, tied: Bool, context: Int, embeddingNorm: Bool) {
        let headDim = hidden / max(heads, 1)
        let scale: Float = scaleAttention ? 1 / Float(headDim).squareRoot() : 1
        let recipe = BlockRecipe(norm: .layer(epsilon: Float(epsilon), bias: true), residual: .preNorm,
                                 positions: positions,
                                 attention: .init(scale: scale, queryKeyValueBias: true, outputBias: true),
                                 mlp: .plain(activation, bias: true))
        self.init(
            architecture: architecture, vocabularySize: vocabulary, hiddenSize: hidden, intermediateSize: intermediate,
            layerCount: layers, headCount: heads, kvHeadCount: heads, headDim: headDim, ropeBase: 10_000,
            slidingWindow: nil, slidingWindowLayers: Array(repeating: false, count: layers),
            embeddingScale: embeddingScale ? Float(Double(hidden).squareRoot()) : nil,
            tiedEmbeddings: tied, contextLength: context, ropeScaling: nil, block: recipe)
        self.embeddingNorm = embeddingNorm
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
