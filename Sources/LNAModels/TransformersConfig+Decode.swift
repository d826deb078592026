import Foundation
import LNAFormats

extension TransformersConfig {
    /// Reads and strictly decodes a `config.json` (either dialect; a multimodal Gemma 3 through its
    /// `text_config`). Throws `ModelError` naming the file, key and value for anything not understood.
    ///
    /// ```swift
    /// let t = try TransformersConfig(contentsOf: URL(fileURLWithPath: "gemma-3-4b-it/config.json"))
    /// print(t.multimodalWrapper ?? "-", t.layerTypes.filter { $0 == .fullAttention }.count)
    /// ```
    public init(contentsOf url: URL) throws {
        let config = try HFConfig(contentsOf: url)
        try self.init(object: config.object, source: url.path)
    }

    /// Decodes a parsed `config.json` object; `source` names it in errors.
    ///
    /// ```swift
    /// let t = try TransformersConfig(json: #"{"model_type": "llama", ...}"#, source: "inline")
    /// ```
    public init(json: String, source: String) throws {
        let value: JSONValue
        do { value = try JSONValue.parse(Array(json.utf8)) } catch let error as JSONParseError {
            throw FormatError.invalidHeader(file: source, offset: error.offset, reason: "bad JSON: \(error.reason)")
        }
        guard let object = value.objectValue else {
            throw FormatError.invalidHeader(file: source, offset: 0, reason: "the top level is \(value.typeName), not an object")
        }
        try self.init(object: object, source: source)
    }

    init(object: JSONObject, source: String) throws {
        let outer = ConfigKeyReader(object, source: source)
        guard let modelType = try outer.optionalString("model_type") else {
            throw outer.fail("model_type", outer.raw("model_type"), "a string naming the model family")
        }
        if let text = outer.present("text_config") {
            try self.init(multimodal: outer, modelType: modelType, text: text)
            return
        }
        if Self.classicModelTypes.contains(modelType) {
            try self.init(classic: outer, modelType: modelType)
            try outer.rejectUnread(modelType: modelType)
            return
        }
        let family = try TransformersFamily.named(modelType, source: source)
        try self.init(reader: outer, family: family)
        try outer.rejectUnread(modelType: modelType)
    }

    /// A multimodal wrapper: its language model is `text_config`; the vision tower is ignored by name.
    private init(multimodal outer: ConfigKeyReader, modelType: String, text: JSONValue) throws {
        guard modelType == "gemma3" else {
            throw outer.fail("model_type", .string(modelType), "gemma3 (the only multimodal layout lna reads the language model of)")
        }
        guard let textObject = text.objectValue else { throw outer.fail("text_config", text, "an object") }
        let inner = ConfigKeyReader(textObject, source: outer.source + ":text_config")
        let innerType = try inner.optionalString("model_type") ?? "gemma3_text"
        guard innerType == "gemma3_text" else {
            throw inner.fail("model_type", .string(innerType), "gemma3_text")
        }
        let family = try TransformersFamily.named(innerType, source: inner.source)
        try self.init(reader: inner, family: family)
        try inner.rejectUnread(modelType: innerType)
        multimodalWrapper = modelType
        // The wrapper's own keys: the vision tower and image-token bookkeeping never touch the text forward.
        outer.accept(["vision_config", "mm_tokens_per_image", "boi_token_index", "eoi_token_index",
                      "image_token_index", "image_token_id", "processor_class"])
        outer.accept(ConfigKeyReader.inertKeys)
        if outer.contains("tie_word_embeddings") {
            let tied = try outer.bool("tie_word_embeddings", default: true)
            guard tied == tieWordEmbeddings else {
                throw outer.fail("tie_word_embeddings", .bool(tied),
                                 "the same as text_config.tie_word_embeddings (\(tieWordEmbeddings))")
            }
        }
        if let names = outer.present("architectures")?.arrayValue?.compactMap(\.stringValue) { architectures = names }
        try outer.rejectUnread(modelType: modelType)
    }

    private init(reader r: ConfigKeyReader, family f: TransformersFamily) throws {
        modelType = f.modelType
        multimodalWrapper = nil
        architectures = r.present("architectures")?.arrayValue?.compactMap(\.stringValue) ?? []
        // Missing sizes take the config class's defaults, as transformers does (a multimodal Gemma 3's
        // text_config leaves most out); the tensor shapes are checked against them before loading.
        let sizes = f.defaultSizes
        vocabSize = try r.int("vocab_size", in: ConfigLimits.vocabulary, default: sizes.vocabulary)
        hiddenSize = try r.int("hidden_size", in: ConfigLimits.hidden, default: sizes.hidden)
        intermediateSize = try r.int("intermediate_size", in: ConfigLimits.intermediate, default: sizes.intermediate)
        numHiddenLayers = try r.int("num_hidden_layers", in: ConfigLimits.layers, default: sizes.layers)
        numAttentionHeads = try r.int("num_attention_heads", in: ConfigLimits.heads, default: sizes.heads)
        // An explicit null means num_attention_heads (every config class's __post_init__); absent means the
        // class default, which is not always that (mistral 8, qwen2 32).
        let kvDefault = r.object["num_key_value_heads"]?.isNull == true ? numAttentionHeads
            : f.defaultKeyValueHeads ?? numAttentionHeads
        numKeyValueHeads = try r.int("num_key_value_heads", in: ConfigLimits.heads, default: kvDefault)
        guard numAttentionHeads % numKeyValueHeads == 0 else {
            throw r.fail("num_key_value_heads", .int(numKeyValueHeads), "a divisor of num_attention_heads (\(numAttentionHeads))")
        }
        if let explicit = try r.optionalInt("head_dim", in: ConfigLimits.headDim) {
            headDim = explicit
        } else if let byFamily = f.defaultHeadDim {
            headDim = byFamily
        } else {
            guard hiddenSize % numAttentionHeads == 0 else {
                throw r.fail("hidden_size", .int(hiddenSize),
                             "a multiple of num_attention_heads (\(numAttentionHeads)) when head_dim is absent")
            }
            headDim = hiddenSize / numAttentionHeads
        }
        activation = try Self.activation(r, family: f)
        maxPositionEmbeddings = try r.int("max_position_embeddings", in: ConfigLimits.positions, default: f.defaultMaxPositions)
        normEpsilon = try r.double(f.normEpsilonKey, in: ConfigLimits.epsilon, default: f.defaultNormEpsilon)
        tieWordEmbeddings = try r.bool("tie_word_embeddings", default: f.defaultTiedEmbeddings)
        attentionBias = f.modelType == "qwen2" ? true
            : f.modelType == "qwen2_moe" ? try r.bool("qkv_bias", default: true)
            : f.keys.contains("attention_bias") ? try r.bool("attention_bias", default: false) : false
        mlpBias = f.keys.contains("mlp_bias") ? try r.bool("mlp_bias", default: false) : false

        let gemmaLike = f.keys.contains("query_pre_attn_scalar")
        queryPreAttnScalar = gemmaLike ? try r.double("query_pre_attn_scalar", in: ConfigLimits.positiveReal, default: 256) : nil
        let defaultAttnCap: Double? = f.modelType == "gemma2" ? 50 : nil
        let defaultFinalCap: Double? = f.modelType == "gemma2" ? 30 : nil
        attnLogitSoftcapping = gemmaLike ? (try r.optionalDouble("attn_logit_softcapping", in: ConfigLimits.positiveReal)
            ?? (r.object["attn_logit_softcapping"] == nil ? defaultAttnCap : nil)) : nil
        finalLogitSoftcapping = gemmaLike ? (try r.optionalDouble("final_logit_softcapping", in: ConfigLimits.positiveReal)
            ?? (r.object["final_logit_softcapping"] == nil ? defaultFinalCap : nil)) : nil
        logitScale = f.keys.contains("logit_scale") ? try r.double("logit_scale", in: -1e6...1e6, default: 0.0625) : nil
        useQKNorm = f.keys.contains("use_qk_norm") ? try r.bool("use_qk_norm", default: false) : false
        if f.keys.contains("use_bidirectional_attention"), try r.bool("use_bidirectional_attention", default: false) {
            throw r.fail("use_bidirectional_attention", .bool(true), "false or null (lna runs causal decoders)")
        }

        (layerTypes, slidingWindow) = try Self.layers(r, family: f, layers: numHiddenLayers)
        experts = try Self.experts(r, family: f, layers: numHiddenLayers, intermediateSize: intermediateSize,
                                   layerTypes: layerTypes)
        (rope, slidingRope) = try Self.rope(r, family: f, layerTypes: layerTypes, maxPositions: maxPositionEmbeddings)

        bosTokenID = try r.tokenIDs("bos_token_id").first
        eosTokenIDs = try r.tokenIDs("eos_token_id")
        padTokenID = try r.tokenIDs("pad_token_id").first
        dtype = try r.optionalString("dtype") ?? r.optionalString("torch_dtype")
        if f.modelType == "gemma3_text" { r.accept(["_sliding_window_pattern"]) }  // v5 writes it; layer_types rules
        r.accept(ConfigKeyReader.inertKeys)
        _ = r.raw("model_type")
    }

    // MARK: activation

    /// transformers' `ACT2FN` names lna runs. Gemma (v1) maps the legacy `gelu` to the tanh form, as its
    /// config class does.
    static func activationNamed(_ name: String, modelType: String) -> ModelConfig.Activation? {
        switch name {
        case "silu", "swish": return .silu
        case "gelu": return modelType == "gemma" ? .geluTanh : .gelu
        case "gelu_pytorch_tanh", "gelu_new", "gelu_fast": return .geluTanh
        case "relu": return .relu
        default: return nil
        }
    }

    private static func activation(_ r: ConfigKeyReader, family f: TransformersFamily) throws -> ModelConfig.Activation {
        let expected = "one of silu, swish, gelu, gelu_pytorch_tanh, gelu_new, gelu_fast, relu"
        let name = try r.optionalString(f.activationKey) ?? f.defaultActivation
        guard let activation = activationNamed(name, modelType: f.modelType) else {
            throw r.fail(f.activationKey, .string(name), expected)
        }
        // The other spelling (`hidden_act` next to `hidden_activation`) is not read by transformers 5; older
        // versions read it, so it must agree or the checkpoint is ambiguous.
        let other = f.activationKey == "hidden_act" ? "hidden_activation" : "hidden_act"
        if let otherName = try r.optionalString(other) {
            guard activationNamed(otherName, modelType: f.modelType) == activation else {
                throw r.fail(other, .string(otherName), "the same activation as \(f.activationKey) (\(name))")
            }
        }
        return activation
    }

    // MARK: layers

    private static func layers(_ r: ConfigKeyReader, family f: TransformersFamily, layers count: Int)
        throws -> ([LayerType], Int?) {
        var window: Int?
        var derived: [LayerType]
        switch f.layerRule {
        case .allFull:
            return (Array(repeating: .fullAttention, count: count), nil)
        case let .allSlidingWhenWindow(defaultWindow):
            window = r.object["sliding_window"] == nil ? defaultWindow : try r.optionalInt("sliding_window", in: ConfigLimits.window)
            _ = r.raw("sliding_window")
            return (Array(repeating: window == nil ? .fullAttention : .slidingAttention, count: count), window)
        case let .qwen(defaultWindow, defaultMaxWindowLayers):
            let use = try r.bool("use_sliding_window", default: false)
            // Qwen2MoeConfig writes sliding_window 0 when use_sliding_window is off.
            let zeroWhenOff = f.modelType == "qwen2_moe" && !use && r.object["sliding_window"].flatMap(ConfigKeyReader.exactInt) == 0
            let size = zeroWhenOff ? { _ = r.raw("sliding_window"); return nil }()
                : r.object["sliding_window"] == nil ? defaultWindow : try r.optionalInt("sliding_window", in: ConfigLimits.window)
            _ = r.raw("sliding_window")
            let maxWindowLayers = try r.int("max_window_layers", in: 0...Int(Int32.max), default: defaultMaxWindowLayers)
            window = use ? size : nil
            derived = (0..<count).map { window != nil && $0 >= maxWindowLayers ? .slidingAttention : .fullAttention }
        case let .pattern(defaultPattern, readsPatternKey, defaultWindow):
            window = r.object["sliding_window"] == nil ? defaultWindow : try r.optionalInt("sliding_window", in: ConfigLimits.window)
            _ = r.raw("sliding_window")
            let pattern = readsPatternKey
                ? try r.int("sliding_window_pattern", in: 1...ConfigLimits.layers.upperBound + 1, default: defaultPattern)
                : defaultPattern
            derived = (0..<count).map { ($0 + 1) % pattern != 0 ? .slidingAttention : .fullAttention }
        }
        guard let given = r.present("layer_types") else { return (derived, window) }
        guard let array = given.arrayValue, array.count == count else {
            throw r.fail("layer_types", given, "an array of \(count) layer types (num_hidden_layers)")
        }
        let types = try array.map { element -> LayerType in
            guard let name = element.stringValue, let type = LayerType(rawValue: name) else {
                throw r.fail("layer_types", element, "full_attention or sliding_attention")
            }
            return type
        }
        if types.contains(.slidingAttention) && window == nil {
            throw r.fail("layer_types", given, "no sliding_attention layers while sliding_window is off")
        }
        if readsBothLayerKeys(r), types != derived {
            throw r.fail("sliding_window_pattern", r.object["sliding_window_pattern"],
                         "a pattern that agrees with layer_types (both are given)")
        }
        return (types, window)
    }

    private static func readsBothLayerKeys(_ r: ConfigKeyReader) -> Bool {
        r.contains("sliding_window_pattern") && r.contains("layer_types")
    }

    // MARK: RoPE

    /// The RoPE of full-attention layers and, when it differs, of sliding layers, as transformers 5
    /// standardises them (`convert_rope_params_to_dict`): `rope_scaling` (pre-v5) or `rope_parameters`, θ from
    /// the dict, else `rope_theta`, else the family's `default_theta`.
    private static func rope(_ r: ConfigKeyReader, family f: TransformersFamily, layerTypes: [LayerType],
                             maxPositions: Int) throws -> (RopeParameters, RopeParameters?) {
        let legacyScaling = r.present("rope_scaling")
        let parameters = r.present("rope_parameters")
        let legacyTheta = try r.optionalDouble("rope_theta", in: ConfigLimits.positiveReal)
        let legacyPartial = try r.optionalDouble("partial_rotary_factor", in: 0...1)
        let phi3OriginalMax = f.modelType == "phi3"
            ? try r.int("original_max_position_embeddings", in: ConfigLimits.positions, default: 4096) : nil
        if let legacyScaling, legacyScaling.objectValue == nil { throw r.fail("rope_scaling", legacyScaling, "an object or null") }
        if let parameters, parameters.objectValue == nil { throw r.fail("rope_parameters", parameters, "an object or null") }
        let nestedKeys = Set(LayerType.allCases.map(\.rawValue))
        let nested = parameters?.objectValue.map { !$0.keys.isEmpty && $0.keys.allSatisfy(nestedKeys.contains) } ?? false

        func decode(_ object: JSONObject?, key: String, theta: Double) throws -> RopeParameters {
            try ropeParameters(object ?? JSONObject(), key: key, reader: r, theta: theta, partial: legacyPartial,
                               maxPositions: maxPositions, phi3OriginalMax: phi3OriginalMax, modelType: f.modelType)
        }

        if f.modelType == "gemma3_text" {
            if parameters != nil && !nested {
                throw r.fail("rope_parameters", parameters, "an object per layer type (full_attention, sliding_attention) for gemma3")
            }
            var full = parameters?["full_attention"]?.objectValue ?? JSONObject()
            if let scaling = legacyScaling?.objectValue {
                if parameters?["full_attention"] != nil {
                    throw r.fail("rope_scaling", legacyScaling, "absent when rope_parameters is given (one dialect per file)")
                }
                full = scaling
            }
            let localTheta = try r.optionalDouble("rope_local_base_freq", in: ConfigLimits.positiveReal)
            let global = try decode(full, key: "rope_parameters.full_attention", theta: legacyTheta ?? f.defaultTheta)
            let local = try decode(parameters?["sliding_attention"]?.objectValue, key: "rope_parameters.sliding_attention",
                                   theta: localTheta ?? TransformersFamily.gemma3LocalTheta)
            try agree(r, "rope_theta", legacyTheta, global.theta, full)
            try agree(r, "rope_local_base_freq", localTheta, local.theta, parameters?["sliding_attention"]?.objectValue)
            return (global, local)
        }
        if nested {
            guard f.hasLayerTypes else {
                throw r.fail("rope_parameters", parameters, "one flat object (model_type \(f.modelType) has no layer types)")
            }
            if legacyScaling != nil {
                throw r.fail("rope_scaling", legacyScaling, "absent when rope_parameters is given (one dialect per file)")
            }
            let theta = legacyTheta ?? f.defaultTheta
            let full = try decode(parameters?["full_attention"]?.objectValue, key: "rope_parameters.full_attention", theta: theta)
            let sliding = try decode(parameters?["sliding_attention"]?.objectValue, key: "rope_parameters.sliding_attention", theta: theta)
            return (full, sliding == full || !layerTypes.contains(.slidingAttention) ? nil : sliding)
        }
        if let legacyScaling, let parameters, legacyScaling != parameters {
            throw r.fail("rope_scaling", legacyScaling, "absent or equal to rope_parameters (one dialect per file)")
        }
        let object = (legacyScaling ?? parameters)?.objectValue
        let key = legacyScaling != nil ? "rope_scaling" : "rope_parameters"
        let single = try decode(object, key: key, theta: legacyTheta ?? f.defaultTheta)
        try agree(r, "rope_theta", legacyTheta, single.theta, object)
        return (single, nil)
    }

    /// `rope_theta` next to a `rope_parameters` that has its own θ: transformers uses the dict's; refuse a
    /// disagreement rather than pick one silently.
    private static func agree(_ r: ConfigKeyReader, _ key: String, _ legacy: Double?, _ used: Double, _ dict: JSONObject?) throws {
        if let legacy, dict?["rope_theta"] != nil, legacy != used {
            throw r.fail(key, .double(legacy), "\(used) as in rope_parameters (both are given)")
        }
    }

    /// One RoPE dict (`rope_parameters`, a per-layer-type entry, or pre-v5 `rope_scaling`).
    private static func ropeParameters(_ o: JSONObject, key: String, reader: ConfigKeyReader, theta: Double,
                                       partial: Double?, maxPositions: Int, phi3OriginalMax: Int?,
                                       modelType: String) throws -> RopeParameters {
        let r = ConfigKeyReader(o, source: reader.source + ":" + key)
        var typeName = try r.optionalString("rope_type") ?? r.optionalString("type") ?? "default"
        if modelType == "phi3" && (typeName == "su" || typeName == "yarn") { typeName = "longrope" }  // phi3's BC rename
        guard let type = RopeType(rawValue: typeName) else {
            throw r.fail(o["rope_type"] != nil ? "rope_type" : "type", .string(typeName),
                         "one of \(RopeType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let legacy = try r.optionalString("type"), o["rope_type"] != nil, legacy != typeName {
            throw r.fail("type", .string(legacy), "the same as rope_type (\(typeName))")
        }
        var p = RopeParameters(type: type, theta: try r.double("rope_theta", in: ConfigLimits.positiveReal, default: theta))
        p.partialRotaryFactor = try r.double("partial_rotary_factor", in: 0...1, default: partial ?? 1)
        guard p.partialRotaryFactor > 0 else { throw r.fail("partial_rotary_factor", .double(0), "a fraction in (0, 1]") }
        let factorRange: ClosedRange<Double> = 1e-6...1e6
        switch type {
        case .default:
            break
        case .linear, .dynamic:
            p.factor = try r.double("factor", in: factorRange)
        case .llama3:
            p.factor = try r.double("factor", in: factorRange)
            p.lowFreqFactor = try r.double("low_freq_factor", in: factorRange)
            p.highFreqFactor = try r.double("high_freq_factor", in: factorRange)
            guard p.highFreqFactor! > p.lowFreqFactor! else {
                throw r.fail("high_freq_factor", .double(p.highFreqFactor!), "greater than low_freq_factor (\(p.lowFreqFactor!))")
            }
            p.originalMaxPositionEmbeddings = try r.int("original_max_position_embeddings", in: ConfigLimits.positions, default: maxPositions)
        case .yarn:
            p.originalMaxPositionEmbeddings = try r.int("original_max_position_embeddings", in: ConfigLimits.positions, default: maxPositions)
            p.factor = try r.optionalDouble("factor", in: factorRange)
                ?? Double(maxPositions) / Double(p.originalMaxPositionEmbeddings!)
            p.attentionFactor = try r.optionalDouble("attention_factor", in: factorRange)
            p.betaFast = try r.optionalDouble("beta_fast", in: factorRange)
            p.betaSlow = try r.optionalDouble("beta_slow", in: factorRange)
            p.mscale = try r.optionalDouble("mscale", in: 0...1e6)
            p.mscaleAllDim = try r.optionalDouble("mscale_all_dim", in: 0...1e6)
            p.truncate = r.contains("truncate") ? try r.bool("truncate", default: true) : nil
        case .longrope:
            p.originalMaxPositionEmbeddings = try phi3OriginalMax
                ?? r.int("original_max_position_embeddings", in: ConfigLimits.positions, default: maxPositions)
            _ = r.raw("original_max_position_embeddings")
            p.factor = try r.optionalDouble("factor", in: factorRange)
            p.attentionFactor = try r.optionalDouble("attention_factor", in: factorRange)
            p.shortFactor = try r.optionalDoubleArray("short_factor", maxCount: ConfigLimits.headDim.upperBound)
            p.longFactor = try r.optionalDoubleArray("long_factor", maxCount: ConfigLimits.headDim.upperBound)
            guard p.shortFactor != nil else { throw r.fail("short_factor", nil, "an array of numbers (longrope)") }
            guard p.longFactor != nil else { throw r.fail("long_factor", nil, "an array of numbers (longrope)") }
        }
        try r.rejectUnread(modelType: "\(modelType) RoPE type \(type.rawValue)")
        return p
    }
}
