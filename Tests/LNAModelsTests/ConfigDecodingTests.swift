import Foundation
import LNAFormats
import LNAModels
import LNATestSupport
import LNATokenizers
import Testing

/// Strict config.json decoding (`TransformersConfig`): both dialects decode alike, transformers' defaults per
/// `model_type`, and everything lna does not understand or cannot run fails with the key named.
struct ConfigDecodingTests {
    /// A small llama config.json with `extra` keys merged in (a nil value removes the key).
    static func llama(_ extra: [String: String?] = [:], modelType: String = "llama") -> String {
        var keys: [String: String] = [
            "model_type": "\"\(modelType)\"", "vocab_size": "300", "hidden_size": "64", "intermediate_size": "96",
            "num_hidden_layers": "2", "num_attention_heads": "4", "num_key_value_heads": "2", "head_dim": "16",
            "rms_norm_eps": "1e-05", "max_position_embeddings": "4096", "tie_word_embeddings": "false",
        ]
        for (key, value) in extra { keys[key] = value }
        return "{" + keys.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    }

    static func decode(_ json: String) throws -> ModelConfig {
        let t = try TransformersConfig(json: json, source: "inline/config.json")
        return try ModelInfo.config(transformers: t, source: "inline/config.json")
    }

    /// The error message of decoding `json`, which must fail.
    static func failure(_ json: String) -> String {
        do {
            _ = try decode(json)
            return "decoded without error"
        } catch {
            return "\(error)"
        }
    }

    // MARK: refusals name the key

    @Test func unknownRopeTypeIsRefusedByName() {
        let message = Self.failure(Self.llama(["rope_parameters": #"{"rope_type": "su2", "rope_theta": 10000.0}"#]))
        #expect(message.contains("rope_type") && message.contains("su2") && message.contains("inline/config.json"), "\(message)")
        let legacy = Self.failure(Self.llama(["rope_scaling": #"{"type": "ntk-by-parts", "factor": 2.0}"#]))
        #expect(legacy.contains("type") && legacy.contains("ntk-by-parts"), "\(legacy)")
    }

    @Test func dynamicRopeIsRefusedByName() {
        // Its frequencies beyond max_position_embeddings depend on the longest sequence transformers has seen.
        let message = Self.failure(Self.llama(["rope_scaling": #"{"type": "dynamic", "factor": 2.0}"#]))
        #expect(message.contains("rope_type") && message.contains("dynamic"), "\(message)")
    }

    @Test func unknownActivationIsRefusedByName() {
        let message = Self.failure(Self.llama(["hidden_act": "\"mish\""]))
        #expect(message.contains("hidden_act") && message.contains("mish"), "\(message)")
    }

    @Test func unknownModelTypeIsRefusedByName() {
        let message = Self.failure(Self.llama(modelType: "bloom"))
        #expect(message.contains("model_type") && message.contains("bloom"), "\(message)")
    }

    @Test func unknownKeyIsRefusedByName() {
        let message = Self.failure(Self.llama(["moe_every_k_layers": "2"]))
        #expect(message.contains("moe_every_k_layers") && message.contains("= 2"), "\(message)")
        // A key of another family is unknown here too: llama ignores sliding_window, so lna will not guess.
        #expect(Self.failure(Self.llama(["sliding_window": "4"])).contains("sliding_window"))
        // An unknown key inside rope_parameters as well.
        let nested = Self.failure(Self.llama(["rope_parameters": #"{"rope_type": "linear", "factor": 2.0, "mrope_section": [1]}"#]))
        #expect(nested.contains("mrope_section"), "\(nested)")
    }

    @Test func inertKeysAreAccepted() throws {
        let c = try Self.decode(Self.llama([
            "architectures": #"["LlamaForCausalLM"]"#, "torch_dtype": "\"bfloat16\"", "transformers_version": "\"4.45.0\"",
            "bos_token_id": "1", "eos_token_id": "[2, 3]", "pad_token_id": "null", "use_cache": "true",
            "initializer_range": "0.02", "attention_dropout": "0.0", "pretraining_tp": "1",
        ]))
        #expect(c.layerCount == 2)
    }

    @Test func featuresTheForwardDoesNotRunAreRefusedByName() throws {
        #expect(Self.failure(Self.llama(["mlp_bias": "true"])).contains("mlp_bias"))
        // attention_bias runs: q/k/v and o biases in the recipe.
        let biased = try Self.decode(Self.llama(["attention_bias": "true"]))
        #expect(biased.block.attention.queryKeyValueBias && biased.block.attention.outputBias)
    }

    @Test func conflictingDialectsAreRefused() {
        let message = Self.failure(Self.llama(["rope_theta": "10000.0", "rope_parameters": #"{"rope_type": "default", "rope_theta": 500000.0}"#]))
        #expect(message.contains("rope_theta"), "\(message)")
    }

    // MARK: values

    @Test func geluOnALlamaRunsAsGelu() throws {
        #expect(try Self.decode(Self.llama(["hidden_act": "\"gelu\""])).activation == .gelu)
        #expect(try Self.decode(Self.llama(["hidden_act": "\"gelu_new\""])).activation == .geluTanh)
        #expect(try Self.decode(Self.llama(["hidden_act": "\"relu\""])).activation == .relu)
        #expect(try Self.decode(Self.llama()).activation == .silu)
    }

    @Test func missingKeysTakeTransformersDefaultsOfTheModelType() throws {
        let llama = try TransformersConfig(json: Self.llama(["rms_norm_eps": nil, "num_key_value_heads": nil, "head_dim": nil,
                                                             "max_position_embeddings": nil]), source: "x")
        #expect(llama.normEpsilon == 1e-6 && llama.numKeyValueHeads == 4 && llama.headDim == 16)
        #expect(llama.maxPositionEmbeddings == 2048 && llama.rope.theta == 10_000)
        let qwen = try TransformersConfig(json: Self.llama(["num_key_value_heads": nil, "num_attention_heads": "32", "hidden_size": "512"],
                                                           modelType: "qwen2"), source: "x")
        #expect(qwen.numKeyValueHeads == 32 && qwen.attentionBias && qwen.layerTypes == [.fullAttention, .fullAttention])
        let mistral = try TransformersConfig(json: Self.llama(["num_key_value_heads": nil, "num_attention_heads": "8", "hidden_size": "128"],
                                                              modelType: "mistral"), source: "x")
        #expect(mistral.numKeyValueHeads == 8 && mistral.maxPositionEmbeddings == 4096)
        #expect(mistral.slidingWindow == 4096 && mistral.layerTypes.allSatisfy { $0 == .slidingAttention })
        let gemma3 = try TransformersConfig(json: Self.llama(["rms_norm_eps": nil, "num_hidden_layers": "12"], modelType: "gemma3_text"),
                                            source: "x")
        #expect(gemma3.rope.theta == 1_000_000 && gemma3.slidingRope?.theta == 10_000)
        #expect(gemma3.queryPreAttnScalar == 256 && gemma3.slidingWindow == 4096 && gemma3.activation == .geluTanh)
        #expect(gemma3.layerTypes.enumerated().allSatisfy { ($0.offset + 1) % 6 == 0 ? $0.element == .fullAttention : $0.element == .slidingAttention })
    }

    // MARK: released checkpoints' config.json (as published, pre-v5 dialect) decode, nothing refused

    static let releasedConfigs: [(name: String, json: String)] = [
        ("Llama-3.2-1B", #"{"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 128000, "eos_token_id": 128001, "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"}, "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.45.0.dev0", "use_cache": true, "vocab_size": 128256}"#),
        ("Mistral-7B-v0.1", #"{"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 32768, "model_type": "mistral", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "sliding_window": 4096, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.34.0.dev0", "use_cache": true, "vocab_size": 32000}"#),
        ("Qwen2.5-0.5B-Instruct", #"{"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02, "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 21, "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.43.1", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}"#),
        ("SmolLM2-135M", #"{"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 0, "eos_token_id": 0, "hidden_act": "silu", "hidden_size": 576, "initializer_range": 0.041666666666666664, "intermediate_size": 1536, "is_llama_config": true, "max_position_embeddings": 8192, "model_type": "llama", "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3, "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_interleaved": false, "rope_scaling": null, "rope_theta": 100000, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.40.1", "use_cache": true, "vocab_size": 49152}"#),
        ("gemma-3-1b-it", #"{"architectures": ["Gemma3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "attn_logit_softcapping": null, "bos_token_id": 2, "cache_implementation": "hybrid", "eos_token_id": [1, 106], "final_logit_softcapping": null, "head_dim": 256, "hidden_activation": "gelu_pytorch_tanh", "hidden_size": 1152, "initializer_range": 0.02, "intermediate_size": 6912, "max_position_embeddings": 32768, "model_type": "gemma3_text", "num_attention_heads": 4, "num_hidden_layers": 26, "num_key_value_heads": 1, "pad_token_id": 0, "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06, "rope_local_base_freq": 10000, "rope_scaling": null, "rope_theta": 1000000, "sliding_window": 512, "sliding_window_pattern": 6, "torch_dtype": "bfloat16", "transformers_version": "4.50.0.dev0", "use_cache": true, "vocab_size": 262144}"#),
        ("gemma-3-4b-it", #"{"architectures": ["Gemma3ForConditionalGeneration"], "boi_token_index": 255999, "eoi_token_index": 256000, "eos_token_id": [1, 106], "image_token_index": 262144, "initializer_range": 0.02, "mm_tokens_per_image": 256, "model_type": "gemma3", "text_config": {"hidden_size": 2560, "intermediate_size": 10240, "model_type": "gemma3_text", "num_hidden_layers": 34, "rope_scaling": {"factor": 8.0, "rope_type": "linear"}, "sliding_window": 1024}, "torch_dtype": "bfloat16", "transformers_version": "4.50.0.dev0", "vision_config": {"hidden_size": 1152, "image_size": 896, "intermediate_size": 4304, "model_type": "siglip_vision_model", "num_attention_heads": 16, "num_hidden_layers": 27, "patch_size": 14, "vision_use_head": false}}"#),
    ]

    @Test(arguments: releasedConfigs.map(\.name))
    func releasedConfigDecodes(name: String) throws {
        let json = Self.releasedConfigs.first { $0.name == name }!.json
        let c = try Self.decode(json)
        switch name {
        case "Llama-3.2-1B":
            #expect(c.ropeScaling?.kind == .llama3 && c.ropeScaling?.factor == 32 && c.ropeBase == 500_000 && c.tiedEmbeddings)
        case "Mistral-7B-v0.1":
            #expect(c.slidingWindow == 4096 && c.slidingWindowLayers.allSatisfy { $0 })
        case "Qwen2.5-0.5B-Instruct":
            #expect(c.slidingWindow == nil && c.block.attention.queryKeyValueBias && c.ropeBase == 1_000_000)
        case "gemma-3-1b-it":
            #expect(c.slidingWindow == 512 && c.localRopeBase == 10_000 && c.slidingWindowLayers.filter { !$0 }.count == 4)
        case "gemma-3-4b-it":
            // text_config leaves out what Gemma3TextConfig defaults: vocabulary 262208, 8 / 4 heads × 256.
            #expect(c.vocabularySize == 262_208 && c.headCount == 8 && c.kvHeadCount == 4 && c.headDim == 256)
            #expect(c.ropeScaling?.factor == 8 && c.localRopeScaling == nil && c.slidingWindow == 1024 && c.layerCount == 34)
        default:
            #expect(c.layerCount > 0)
        }
    }

    // MARK: both dialects decode to the same configuration

    @Test func llama3ScalingInBothDialects() throws {
        let v4 = Self.llama(["rope_theta": "500000.0", "rope_scaling":
            #"{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}"#])
        let v5 = Self.llama(["rope_parameters":
            #"{"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}"#])
        let a = try TransformersConfig(json: v4, source: "v4"), b = try TransformersConfig(json: v5, source: "v5")
        #expect(a == b)
        #expect(try Self.decode(v4) == Self.decode(v5))
        #expect(try Self.decode(v5).ropeScaling?.kind == .llama3 && Self.decode(v5).ropeBase == 500_000)
    }

    @Test func gemma3InBothDialects() throws {
        let common: [String: String?] = ["num_hidden_layers": "6", "sliding_window": "512", "query_pre_attn_scalar": "16",
                                         "hidden_activation": "\"gelu_pytorch_tanh\"", "tie_word_embeddings": "true"]
        var v4 = common
        v4["rope_theta"] = "1000000.0"
        v4["rope_local_base_freq"] = "20000.0"
        v4["sliding_window_pattern"] = "3"
        v4["rope_scaling"] = #"{"rope_type": "linear", "factor": 8.0}"#
        var v5 = common
        v5["layer_types"] = #"["sliding_attention", "sliding_attention", "full_attention", "sliding_attention", "sliding_attention", "full_attention"]"#
        v5["rope_parameters"] = #"{"full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 1000000.0}, "sliding_attention": {"rope_type": "default", "rope_theta": 20000.0}}"#
        let a = try Self.decode(Self.llama(v4, modelType: "gemma3_text"))
        let b = try Self.decode(Self.llama(v5, modelType: "gemma3_text"))
        #expect(a == b)
        #expect(b.slidingWindowLayers == [true, true, false, true, true, false])
        #expect(b.ropeBase == 1_000_000 && b.localRopeBase == 20_000 && b.ropeScaling?.factor == 8 && b.localRopeScaling == nil)
        #expect(b.ropeBase(layer: 0) == 20_000 && b.ropeScaling(layer: 0) == nil && b.ropeScaling(layer: 2)?.kind == .linear)
        // A flat rope_parameters is ignored by transformers for Gemma 3: refused rather than misread.
        var flat = common
        flat["rope_parameters"] = #"{"rope_type": "default", "rope_theta": 1000000.0}"#
        #expect(Self.failure(Self.llama(flat, modelType: "gemma3_text")).contains("rope_parameters"))
    }

    @Test func qwen2WindowInBothDialects() throws {
        let v4 = Self.llama(["use_sliding_window": "true", "sliding_window": "8", "max_window_layers": "1",
                             "rope_theta": "1000000.0"], modelType: "qwen2")
        let v5 = Self.llama(["use_sliding_window": "true", "sliding_window": "8", "max_window_layers": "1",
                             "layer_types": #"["full_attention", "sliding_attention"]"#,
                             "rope_parameters": #"{"rope_type": "default", "rope_theta": 1000000.0}"#], modelType: "qwen2")
        let a = try Self.decode(v4), b = try Self.decode(v5)
        #expect(a == b && b.slidingWindowLayers == [false, true] && b.slidingWindow == 8 && b.block.attention.queryKeyValueBias)
    }

    // MARK: RoPE types against transformers' own frequencies (scripts/dev/rope_goldens.py)

    static let ropeGoldens: [(name: String, rope: String, maxPositions: Int, frequencies: [Double], factor: Double)] = [
        ("linear", #"{"rope_type": "linear", "factor": 4.0, "rope_theta": 10000.0}"#, 4096,
         [0.25, 0.07905694097280502, 0.02500000037252903, 0.007905694656074047, 0.0024999999441206455, 0.0007905694656074047, 0.0002500000118743628, 7.905694656074047e-05], 1),
        ("llama3", #"{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 64, "rope_theta": 500000.0}"#, 131_072,
         [1.0, 0.07940301299095154, 0.004700753837823868, 0.0009115831344388425, 0.00017677668074611574, 3.428102354519069e-05, 6.647869668086059e-06, 1.289173155782919e-06], 1),
        ("yarn", #"{"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 1024, "rope_theta": 10000.0}"#, 4096,
         [1.0, 0.3162277638912201, 0.08125000447034836, 0.019764237105846405, 0.0043750000186264515, 0.0007905694656074047, 0.0002500000118743628, 7.905694656074047e-05], 1.138629436111989),
        ("yarn_mscale", #"{"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 1024, "rope_theta": 10000.0, "beta_fast": 16.0, "beta_slow": 2.0, "mscale": 0.707, "mscale_all_dim": 1.0, "truncate": false}"#, 4096,
         [1.0, 0.3162277638912201, 0.10000000149011612, 0.01870180480182171, 0.0024999999441206455, 0.0007905694656074047, 0.0002500000118743628, 7.905694656074047e-05], 0.964326914892074),
        ("longrope", #"{"rope_type": "longrope", "rope_theta": 10000.0, "partial_rotary_factor": 0.5, "short_factor": [1.0, 1.1, 1.3, 2.0], "long_factor": [2.0, 3.0, 4.0, 5.0], "original_max_position_embeddings": 2048}"#, 8192,
         [1.0, 0.09090909361839294, 0.007692307699471712, 0.0005000000237487257], 1.087114613009218),
    ]

    @Test(arguments: ropeGoldens.map(\.name))
    func ropeTypeMatchesTransformers(name: String) throws {
        let golden = Self.ropeGoldens.first { $0.name == name }!
        let c = try Self.decode(Self.llama(["rope_parameters": golden.rope, "max_position_embeddings": "\(golden.maxPositions)"]))
        let (frequencies, factor) = c.rope(layer: 0)
        #expect(frequencies.count == golden.frequencies.count)
        for (mine, theirs) in zip(frequencies, golden.frequencies) {
            #expect(abs(mine - theirs) <= 1e-6 * theirs, "\(name): \(mine) vs \(theirs)")
        }
        #expect(abs(factor - golden.factor) < 1e-9, "\(name): attention factor \(factor) vs \(golden.factor)")
        // dynamic and longrope are exact only within a length, which becomes the context.
        if name == "longrope" { #expect(c.contextLength == 2048 && c.rotaryDimension == 8) }
    }

    // MARK: hostile values (issue 12): one-line errors naming the key, before any allocation

    @Test func hostileValuesFailWithTheKeyNamed() {
        let cases: [(String, [String: String?], String)] = [
            ("heads near 2^62", ["num_attention_heads": "4611686018427387904"], "num_attention_heads"),
            ("hidden near 2^62", ["hidden_size": "4611686018427387904"], "hidden_size"),
            ("intermediate near 2^62", ["intermediate_size": "4611686018427387903"], "intermediate_size"),
            ("negative layers", ["num_hidden_layers": "-1"], "num_hidden_layers"),
            ("2^31 layers", ["num_hidden_layers": "2147483648"], "num_hidden_layers"),
            ("zero heads without head_dim", ["num_attention_heads": "0", "head_dim": nil], "num_attention_heads"),
            ("fractional heads", ["num_attention_heads": "4.5"], "num_attention_heads"),
            ("huge epsilon", ["rms_norm_eps": "1e300"], "rms_norm_eps"),
            ("huge vocabulary", ["vocab_size": "1e14"], "vocab_size"),
            ("huge head_dim", ["head_dim": "1000000000"], "head_dim"),
            ("kv heads not dividing", ["num_key_value_heads": "3"], "num_key_value_heads"),
            ("window of a string", ["sliding_window": "\"big\""], "sliding_window"),
        ]
        for (label, extra, key) in cases {
            let modelType = key == "sliding_window" ? "mistral" : "llama"
            let message = Self.failure(Self.llama(extra, modelType: modelType))
            #expect(message.contains(key) && message.contains("inline/config.json") && !message.contains("\n"),
                    "\(label): \(message)")
        }
        for pattern in ["-0.0", "0", "-3", "2.5", "1e300"] {
            let message = Self.failure(Self.llama(["sliding_window_pattern": pattern], modelType: "gemma3_text"))
            #expect(message.contains("sliding_window_pattern"), "pattern \(pattern): \(message)")
        }
    }

    @Test func tinyConfigWithBillionsOfLayersFailsWithoutAllocating() throws {
        // The 543-byte shape of issue 12: every size tiny except the layer count.
        let json = Self.llama(["num_hidden_layers": "2147483648", "layer_types": nil])
        #expect(json.utf8.count < 600)
        #expect(Self.failure(json).contains("num_hidden_layers"))
    }

    // MARK: GGUF metadata

    /// A one-layer llama GGUF with `metadata` overriding the standard keys (nil removes one).
    static func gguf(_ metadata: [String: GGUFValue?], in dir: URL) throws -> URL {
        var w = GGUFWriter()
        var keys: [String: GGUFValue] = [
            "general.architecture": .string("llama"), "llama.block_count": .uint32(1), "llama.embedding_length": .uint32(8),
            "llama.feed_forward_length": .uint32(12), "llama.attention.head_count": .uint32(2),
            "llama.attention.head_count_kv": .uint32(1), "llama.context_length": .uint32(32),
            "llama.attention.layer_norm_rms_epsilon": .float32(1e-5), "llama.rope.freq_base": .float32(10_000),
        ]
        for (key, value) in metadata { keys[key] = value }
        for (key, value) in keys.sorted(by: { $0.key < $1.key }) { w[key] = value }
        let d = 8, f = 12, v = 16
        func add(_ name: String, _ shape: [Int]) throws {
            try w.addTensor(name, (0..<shape.reduce(1, *)).map { Float($0 % 7) * 0.01 }, shape: shape)
        }
        try add("token_embd.weight", [v, d]); try add("output_norm.weight", [d])
        try add("blk.0.attn_norm.weight", [d]); try add("blk.0.ffn_norm.weight", [d])
        try add("blk.0.attn_q.weight", [d, d]); try add("blk.0.attn_k.weight", [4, d]); try add("blk.0.attn_v.weight", [4, d])
        try add("blk.0.attn_output.weight", [d, d]); try add("blk.0.ffn_gate.weight", [f, d])
        try add("blk.0.ffn_up.weight", [f, d]); try add("blk.0.ffn_down.weight", [d, f])
        let url = dir.appendingPathComponent("m.gguf")
        try? FileManager.default.removeItem(at: url)
        try w.write(to: url)
        return url
    }

    @Test func hostileGGUFMetadataFailsWithTheKeyNamed() throws {
        let dir = try TestResources.temporaryDirectory("config-gguf")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try ModelInfo.config(of: Self.gguf([:], in: dir).path).layerCount == 1)
        let cases: [(String, [String: GGUFValue?], String)] = [
            ("head_count 0", ["llama.attention.head_count": .uint32(0)], "llama.attention.head_count"),
            ("block_count -1", ["llama.block_count": .int32(-1)], "llama.block_count"),
            ("embedding_length 2^62", ["llama.embedding_length": .uint64(1 << 62)], "llama.embedding_length"),
            ("key_length 1e9", ["llama.attention.key_length": .uint32(1_000_000_000)], "llama.attention.key_length"),
            ("unknown rope scaling", ["llama.rope.scaling.type": .string("yarn"), "llama.rope.scaling.factor": .float32(4)],
             "llama.rope.scaling.type"),
            ("unknown model key", ["llama.attention.clamp_kqv": .float32(8)], "llama.attention.clamp_kqv"),
            // llama reads experts now (llama.cpp writes Mixtral as llama): a count without expert_used_count is refused.
            ("experts", ["llama.expert_count": .uint32(8)], "llama.expert_used_count"),
            ("wrong type", ["llama.rope.freq_base": .string("10000")], "llama.rope.freq_base"),
            ("mistral architecture", ["general.architecture": .string("mistral")], "mistral"),
        ]
        for (label, metadata, key) in cases {
            let url = try Self.gguf(metadata, in: dir)
            do {
                _ = try ModelInfo.config(of: url.path)
                Issue.record("\(label): loaded")
            } catch {
                #expect("\(error)".contains(key) && "\(error)".contains("m.gguf"), "\(label): \(error)")
            }
        }
    }

    /// llama.cpp converts Mistral checkpoints to GGUF architecture `llama` (q/k permuted): that file must run
    /// as the Hugging Face Mistral checkpoint does.
    @Test func mistralConvertedByLlamaCppLoadsAsTheHuggingFaceMistral() throws {
        let dir = try TestResources.temporaryDirectory("tiny-mistral-gguf")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tiny = TinyCheckpoint(architecture: "mistral", seed: 5)
        let hf = dir.appendingPathComponent("hf"), gguf = dir.appendingPathComponent("mistral.gguf")
        try tiny.writeHF(to: hf)
        try tiny.writeGGUF(to: gguf, architecture: "llama")
        let fromGGUF = try Model.load(url: gguf)
        let fromHF = try Model.load(url: hf, tokenizer: fromGGUF.tokenizer)
        #expect(fromHF.config.architecture == "mistral" && fromGGUF.config.architecture == "llama")
        #expect(fromGGUF.config.slidingWindow == fromHF.config.slidingWindow)
        let tokens = [1, 40, 291, 7, 88, 150, 3, 299, 64, 12]
        let a = try fromGGUF.forward(TokenBatch(tokens), logits: .all).logits
        let b = try fromHF.forward(TokenBatch(tokens), logits: .all).logits
        let scale = b.map(abs).max() ?? 1
        #expect(zip(a, b).map { abs($0 - $1) }.max()! / scale < 1e-5)
    }

    // MARK: multimodal Gemma 3

    /// A tiny Gemma 3 written as the multimodal checkpoint (`text_config`, language model nested, a vision
    /// tower): it loads to the text checkpoint's logits, names what it ignored, and an unknown tensor fails.
    @Test(arguments: ["language_model.model.", "model.language_model."])
    func multimodalGemma3LoadsItsLanguageModel(prefix: String) throws {
        let dir = try TestResources.temporaryDirectory("tiny-gemma3-mm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tiny = TinyCheckpoint(architecture: "gemma3", seed: 9)
        let text = dir.appendingPathComponent("text"), multimodal = dir.appendingPathComponent("mm")
        try tiny.writeHF(to: text)
        var wrapped = tiny
        wrapped.weights = [:]
        for (name, w) in tiny.weights { wrapped.weights[prefix + name.dropFirst("model.".count)] = w }
        let vision = prefix.hasPrefix("model.") ? "model." : ""
        wrapped.weights[vision + "vision_tower.vision_model.embeddings.patch_embedding.weight"] = ([4, 3], Array(repeating: 0.5, count: 12))
        wrapped.weights[vision + "multi_modal_projector.mm_input_projection_weight"] = ([3, 4], Array(repeating: 0.25, count: 12))
        try wrapped.writeHF(to: multimodal)
        let textConfig = try String(contentsOf: text.appendingPathComponent("config.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"gemma3\"", with: "\"gemma3_text\"")
        let outer = #"{"model_type": "gemma3", "architectures": ["Gemma3ForConditionalGeneration"], "mm_tokens_per_image": 256, "boi_token_index": 255999, "eoi_token_index": 256000, "image_token_index": 262144, "vision_config": {"model_type": "siglip_vision_model", "hidden_size": 4}, "text_config": "#
            + textConfig + "}"
        try Data(outer.utf8).write(to: multimodal.appendingPathComponent("config.json"))
        let tokenizer = try Tokenizer(vocabulary: tiny.tokenizerVocabulary)
        let a = try Model.load(url: text, tokenizer: tokenizer)
        let b = try Model.load(url: multimodal, tokenizer: tokenizer)
        #expect(a.config == b.config)
        #expect(b.ignoredTensors.keys.sorted() == [vision + "multi_modal_projector.*", vision + "vision_tower.*"])
        let tokens = [1, 40, 291, 7, 88]
        #expect(try a.forward(TokenBatch(tokens), logits: .all).logits == b.forward(TokenBatch(tokens), logits: .all).logits)
        // A tensor that is neither the language model nor a known multimodal part fails the load by name.
        wrapped.weights["audio_tower.proj.weight"] = ([2], [1, 2])
        try wrapped.writeHF(to: multimodal)
        try Data(outer.utf8).write(to: multimodal.appendingPathComponent("config.json"))
        do {
            _ = try Model.load(url: multimodal, tokenizer: tokenizer)
            Issue.record("an unread tensor must fail the load")
        } catch {
            #expect("\(error)".contains("audio_tower.proj.weight"), "\(error)")
        }
    }
}
