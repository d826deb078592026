import Foundation
import LNAFiles

extension TransformersConfig {
    /// The config.json of a loaded model, the inverse of `ModelConfig(transformers:…)` and the architectures'
    /// flags: decoding the written file gives back the same `ModelConfig`. Throws when the configuration has
    /// something the family's config.json cannot say (a sliding window on a llama, a non-standard query scale).
    ///
    /// ```swift
    /// let t = try TransformersConfig(exporting: model.config, bosID: 1, eosID: 2, dtype: "bfloat16")
    /// try AtomicFileWriter.write(t.jsonData(), to: dir.appendingPathComponent("config.json"))
    /// ```
    init(exporting c: ModelConfig, bosID: Int?, eosID: Int?, dtype: String) throws {
        func refuse(_ what: String) -> ModelError { ModelError.invalidConfig("config.json export", what) }
        let modelType = c.architecture == "gemma3" ? "gemma3_text" : c.architecture
        guard c.block.positions.rope != nil, case .gated = c.block.mlp else {
            throw refuse("lna convert writes config.json for the rotary, gated-MLP families only (not \(c.architecture))")
        }
        let family = try TransformersFamily.named(modelType, source: "config.json export")
        self.modelType = modelType
        architectures = [Self.className(modelType)]
        multimodalWrapper = nil
        vocabSize = c.vocabularySize
        hiddenSize = c.hiddenSize
        intermediateSize = c.intermediateSize
        numHiddenLayers = c.layerCount
        numAttentionHeads = c.headCount
        numKeyValueHeads = c.kvHeadCount
        headDim = c.headDim
        activation = c.activation
        maxPositionEmbeddings = c.contextLength
        normEpsilon = Double(String(c.block.norm.epsilon)) ?? Double(c.block.norm.epsilon)  // 1e-06, not 9.99999997e-07
        tieWordEmbeddings = c.tiedEmbeddings
        attentionBias = c.block.attention.queryKeyValueBias
        mlpBias = false
        layerTypes = c.slidingWindowLayers.map { $0 ? .slidingAttention : .fullAttention }
        slidingWindow = c.slidingWindowLayers.contains(true) ? c.slidingWindow : nil
        if slidingWindow != nil, case .allFull = family.layerRule {
            throw refuse("\(modelType) has no sliding_window key; the model slides on \(layerTypes.filter { $0 == .slidingAttention }.count) layers")
        }
        let partial = Double(c.rotaryDimension) / Double(c.headDim)
        rope = Self.ropeParameters(theta: c.ropeBase, scaling: c.ropeScaling, partial: partial)
        slidingRope = c.localRopeBase.map { Self.ropeParameters(theta: $0, scaling: c.localRopeScaling, partial: partial) }
        let standardScale = 1 / Float(c.headDim).squareRoot()
        if family.keys.contains("query_pre_attn_scalar") {
            queryPreAttnScalar = Double(1 / (c.block.attention.scale * c.block.attention.scale)).rounded()
        } else {
            queryPreAttnScalar = nil
            guard c.block.attention.scale == standardScale else {
                throw refuse("attention scale \(c.block.attention.scale) is not 1/√head_dim, which \(modelType) cannot express")
            }
        }
        attnLogitSoftcapping = c.block.attention.logitSoftcap.map(Double.init)
        finalLogitSoftcapping = c.logits.softcap.map(Double.init)
        logitScale = c.logits.scale.map(Double.init)
        useQKNorm = modelType == "cohere" && (c.block.attention.queryKeyNorm != nil)
        bosTokenID = bosID
        eosTokenIDs = eosID.map { [$0] } ?? []
        padTokenID = nil
        self.dtype = dtype
    }

    private static func ropeParameters(theta: Double, scaling: RopeScaling?, partial: Double) -> RopeParameters {
        var p = RopeParameters(type: .default, theta: theta)
        p.partialRotaryFactor = partial
        guard let s = scaling else { return p }
        p.factor = s.factor
        switch s.kind {
        case .linear: p.type = .linear
        case .llama3:
            p.type = .llama3
            p.lowFreqFactor = s.lowFrequencyFactor
            p.highFreqFactor = s.highFrequencyFactor
            p.originalMaxPositionEmbeddings = s.originalContextLength
        case .yarn:
            p.type = .yarn
            p.originalMaxPositionEmbeddings = s.originalContextLength
            p.attentionFactor = s.attentionFactor
            p.betaFast = s.betaFast
            p.betaSlow = s.betaSlow
            p.truncate = s.truncate
        case .longrope:
            p.type = .longrope
            p.originalMaxPositionEmbeddings = s.originalContextLength
            p.attentionFactor = s.attentionFactor
            p.shortFactor = s.shortFactor
            p.longFactor = s.shortFactor  // only short factors are ever used within the exported context
        }
        return p
    }

    static func className(_ modelType: String) -> String {
        switch modelType {
        case "llama": return "LlamaForCausalLM"
        case "mistral": return "MistralForCausalLM"
        case "qwen2": return "Qwen2ForCausalLM"
        case "qwen3": return "Qwen3ForCausalLM"
        case "gemma": return "GemmaForCausalLM"
        case "gemma2": return "Gemma2ForCausalLM"
        case "gemma3_text": return "Gemma3ForCausalLM"
        case "phi3": return "Phi3ForCausalLM"
        case "olmo2": return "Olmo2ForCausalLM"
        case "cohere": return "CohereForCausalLM"
        default: return "AutoModelForCausalLM"
        }
    }

    /// config.json in transformers 5's dialect (`rope_parameters`, `layer_types`), keys sorted, only keys
    /// the family's config class has.
    ///
    /// ```swift
    /// let text = String(decoding: try t.jsonData(), as: UTF8.self)
    /// ```
    public func jsonData() throws -> Data {
        let family = try TransformersFamily.named(modelType, source: "config.json export")
        var pairs: [(String, JSONDocument)] = [
            ("model_type", .string(modelType)), ("architectures", .array(architectures.map { .string($0) })),
            ("vocab_size", .int(vocabSize)), ("hidden_size", .int(hiddenSize)),
            ("intermediate_size", .int(intermediateSize)), ("num_hidden_layers", .int(numHiddenLayers)),
            ("num_attention_heads", .int(numAttentionHeads)), ("num_key_value_heads", .int(numKeyValueHeads)),
            ("head_dim", .int(headDim)), (family.activationKey, .string(Self.activationName(activation))),
            ("max_position_embeddings", .int(maxPositionEmbeddings)), (family.normEpsilonKey, .number(normEpsilon)),
            ("tie_word_embeddings", .bool(tieWordEmbeddings)), ("dtype", dtype.map { .string($0) } ?? .null),
            ("bos_token_id", bosTokenID.map { .int($0) } ?? .null),
            ("eos_token_id", eosTokenIDs.count == 1 ? .int(eosTokenIDs[0]) : .array(eosTokenIDs.map { .int($0) })),
        ]
        if family.keys.contains("attention_bias") { pairs.append(("attention_bias", .bool(attentionBias))) }
        if family.keys.contains("mlp_bias") { pairs.append(("mlp_bias", .bool(mlpBias))) }
        if family.keys.contains("query_pre_attn_scalar") {
            // transformers 5's strict config class types query_pre_attn_scalar as an int.
            let scalar: JSONDocument = queryPreAttnScalar.map { $0.rounded() == $0 && abs($0) < 1e15 ? .int(Int($0)) : .number($0) } ?? .null
            pairs.append(("query_pre_attn_scalar", scalar))
            pairs.append(("attn_logit_softcapping", attnLogitSoftcapping.map { .number($0) } ?? .null))
            pairs.append(("final_logit_softcapping", finalLogitSoftcapping.map { .number($0) } ?? .null))
        }
        if let logitScale { pairs.append(("logit_scale", .number(logitScale))) }
        if family.keys.contains("use_qk_norm") { pairs.append(("use_qk_norm", .bool(useQKNorm))) }
        pairs += layerPairs(family)
        if let slidingRope {
            pairs.append(("rope_parameters", .object([("full_attention", Self.document(rope)),
                                                      ("sliding_attention", Self.document(slidingRope))])))
        } else {
            pairs.append(("rope_parameters", Self.document(rope)))
        }
        if modelType == "phi3", let original = rope.originalMaxPositionEmbeddings {
            pairs.append(("original_max_position_embeddings", .int(original)))
        }
        let document = JSONDocument.object(pairs.sorted { $0.0 < $1.0 })
        return Data((document.serialized(pretty: true) + "\n").utf8)
    }

    private func layerPairs(_ family: TransformersFamily) -> [(String, JSONDocument)] {
        let window: JSONDocument = slidingWindow.map { .int($0) } ?? .null
        let types: JSONDocument = .array(layerTypes.map { .string($0.rawValue) })
        switch family.layerRule {
        case .allFull: return []
        case .allSlidingWhenWindow: return [("sliding_window", window)]
        case .qwen:
            let firstSliding = layerTypes.firstIndex(of: .slidingAttention) ?? numHiddenLayers
            return [("use_sliding_window", .bool(slidingWindow != nil)), ("sliding_window", window),
                    ("max_window_layers", .int(firstSliding)), ("layer_types", types)]
        case .pattern: return [("sliding_window", window), ("layer_types", types)]
        }
    }

    static func activationName(_ activation: ModelConfig.Activation) -> String {
        switch activation {
        case .silu: return "silu"
        case .geluTanh: return "gelu_pytorch_tanh"
        case .gelu: return "gelu"
        case .relu: return "relu"
        }
    }

    private static func document(_ p: RopeParameters) -> JSONDocument {
        var pairs: [(String, JSONDocument)] = [("rope_type", .string(p.type.rawValue)), ("rope_theta", .number(p.theta))]
        if p.partialRotaryFactor != 1 { pairs.append(("partial_rotary_factor", .number(p.partialRotaryFactor))) }
        let numbers: [(String, Double?)] = [
            ("factor", p.factor), ("low_freq_factor", p.lowFreqFactor), ("high_freq_factor", p.highFreqFactor),
            ("attention_factor", p.attentionFactor), ("beta_fast", p.betaFast), ("beta_slow", p.betaSlow),
            ("mscale", p.mscale), ("mscale_all_dim", p.mscaleAllDim),
        ]
        for (key, value) in numbers { if let value { pairs.append((key, .number(value))) } }
        if let original = p.originalMaxPositionEmbeddings { pairs.append(("original_max_position_embeddings", .int(original))) }
        if let truncate = p.truncate { pairs.append(("truncate", .bool(truncate))) }
        if let short = p.shortFactor { pairs.append(("short_factor", .array(short.map { .number($0) }))) }
        if let long = p.longFactor { pairs.append(("long_factor", .array(long.map { .number($0) }))) }
        return .object(pairs.sorted { $0.0 < $1.0 })
    }
}
