import Foundation
import LNAFormats
import LNAModels
import LNATestSupport
import LNATokenizers

/// A tiny random model of one architecture that the tests write themselves, in GGUF and in Hugging Face layout.
///
/// Weights are generated in the HF layout of the family (Phi-3 with fused `qkv_proj`/`gate_up_proj`); the GGUF
/// copy gets what llama.cpp's converter does to them (q/k rows permuted for `llama`, Gemma norm gains stored as
/// 1 + w, Cohere under `command-r`), so both files must load to the same model. Every family turns on its
/// components with values away from their neutral ones (softcaps that bite, partial rotary, a logit scale).
struct TinyCheckpoint {
    let architecture: String      // llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3, phi3, olmo2, cohere
    let hidden = 32, intermediate = 48, heads = 4, kvHeads = 2, headDim = 8, vocabulary = 300
    var layers: Int { architecture == "gemma3" ? 6 : architecture == "gemma2" ? 4 : 2 }
    var window: Int? { ["mistral", "gemma2", "gemma3"].contains(architecture) ? 4 : nil }
    var isGemma: Bool { architecture.hasPrefix("gemma") }
    var sandwich: Bool { architecture == "gemma2" || architecture == "gemma3" }
    var hasBias: Bool { architecture == "qwen2" }
    var tied: Bool { isGemma || architecture == "qwen2" || architecture == "cohere" }
    /// How q/k norms are shaped: per head (Qwen3, Gemma 3), per head with own gains (Cohere), whole (OLMo 2).
    var queryKeyNormShape: (query: [Int], key: [Int])? {
        switch architecture {
        case "qwen3", "gemma3": return ([headDim], [headDim])
        case "cohere": return ([heads, headDim], [kvHeads, headDim])
        case "olmo2": return ([heads * headDim], [kvHeads * headDim])
        default: return nil
        }
    }
    /// Gemma 2 softcaps small enough to change the scores and logits of random weights.
    let attentionSoftcap = 2.0, finalSoftcap = 3.0, cohereLogitScale = 0.25
    /// Phi-3's rotary dimensions (partial_rotary_factor 0.5).
    var rotaryDimension: Int { architecture == "phi3" ? headDim / 2 : headDim }
    var weights: [String: (shape: [Int], values: [Float])] = [:]

    init(architecture: String, seed: UInt64) {
        self.architecture = architecture
        var rng = Generator(state: seed)
        func add(_ name: String, _ shape: [Int], scale: Float = 0.3, offset: Float = 0) {
            weights[name] = (shape, (0..<shape.reduce(1, *)).map { _ in offset + scale * rng.signedUnit() })
        }
        let q = heads * headDim, kv = kvHeads * headDim
        let normOffset: Float = isGemma ? 0 : 1   // HF Gemma stores w and computes 1 + w
        add("model.embed_tokens.weight", [vocabulary, hidden], scale: 1)
        add("model.norm.weight", [hidden], scale: 0.1, offset: normOffset)
        if !tied { add("lm_head.weight", [vocabulary, hidden]) }
        for l in 0..<layers {
            let p = "model.layers.\(l)"
            if architecture != "olmo2" { add("\(p).input_layernorm.weight", [hidden], scale: 0.1, offset: normOffset) }
            if architecture == "phi3" {
                add("\(p).self_attn.qkv_proj.weight", [q + 2 * kv, hidden])
            } else {
                add("\(p).self_attn.q_proj.weight", [q, hidden])
                add("\(p).self_attn.k_proj.weight", [kv, hidden])
                add("\(p).self_attn.v_proj.weight", [kv, hidden])
            }
            add("\(p).self_attn.o_proj.weight", [hidden, q])
            if hasBias {
                add("\(p).self_attn.q_proj.bias", [q]); add("\(p).self_attn.k_proj.bias", [kv])
                add("\(p).self_attn.v_proj.bias", [kv])
            }
            if let shapes = queryKeyNormShape {
                add("\(p).self_attn.q_norm.weight", shapes.query, scale: 0.1, offset: normOffset)
                add("\(p).self_attn.k_norm.weight", shapes.key, scale: 0.1, offset: normOffset)
            }
            if sandwich {
                add("\(p).post_attention_layernorm.weight", [hidden], scale: 0.1)
                add("\(p).pre_feedforward_layernorm.weight", [hidden], scale: 0.1)
                add("\(p).post_feedforward_layernorm.weight", [hidden], scale: 0.1)
            } else if architecture == "olmo2" {
                add("\(p).post_attention_layernorm.weight", [hidden], scale: 0.1, offset: 1)
                add("\(p).post_feedforward_layernorm.weight", [hidden], scale: 0.1, offset: 1)
            } else if architecture != "cohere" {
                add("\(p).post_attention_layernorm.weight", [hidden], scale: 0.1, offset: normOffset)
            }
            if architecture == "phi3" {
                add("\(p).mlp.gate_up_proj.weight", [2 * intermediate, hidden])
            } else {
                add("\(p).mlp.gate_proj.weight", [intermediate, hidden])
                add("\(p).mlp.up_proj.weight", [intermediate, hidden])
            }
            add("\(p).mlp.down_proj.weight", [hidden, intermediate])
        }
    }

    /// A byte-fallback SentencePiece vocabulary: `<unk> <s> </s>`, the 256 byte tokens, then filler pieces.
    var tokenizerVocabulary: TokenizerVocabulary {
        var tokens = ["<unk>", "<s>", "</s>"] + (0..<256).map { String(format: "<0x%02X>", $0) }
        var types: [TokenType] = [.unknown, .control, .control] + Array(repeating: .byte, count: 256)
        while tokens.count < vocabulary { tokens.append("▁w\(tokens.count)"); types.append(.normal) }
        return TokenizerVocabulary(model: .llama, tokens: tokens, scores: Array(repeating: 0, count: vocabulary),
                                   tokenTypes: types, bosID: 1, eosID: 2, unknownID: 0, addBOS: true)
    }

    /// Writes the checkpoint in HF layout to a fresh temporary directory (`name`), loads it with its own tokenizer
    /// and runs `body` on the model; the directory is removed afterwards.
    func withLoadedHF<T>(_ name: String, _ body: (Model) throws -> T) throws -> T {
        let dir = try TestResources.temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeHF(to: dir)
        return try body(try Model.load(url: dir, tokenizer: try Tokenizer(vocabulary: tokenizerVocabulary)))
    }

    func writeHF(to directory: URL, removingNeurons removed: [Int] = []) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var writer = SafeTensorsWriter()
        for (name, w) in weights.sorted(by: { $0.key < $1.key }) {
            var values = w.values
            if name.hasSuffix("mlp.down_proj.weight") {
                for row in 0..<hidden { for j in removed { values[row * intermediate + j] = 0 } }
            }
            try writer.add(name, values, shape: w.shape)
        }
        try writer.write(to: directory.appendingPathComponent("model.safetensors"))
        var config: [String: Any] = [
            "model_type": architecture == "gemma3" ? "gemma3_text" : architecture, "hidden_size": hidden, "intermediate_size": intermediate,
            "num_hidden_layers": layers, "num_attention_heads": heads, "num_key_value_heads": kvHeads,
            "head_dim": headDim, "rope_theta": 10_000.0, "rms_norm_eps": 1e-6, "vocab_size": vocabulary,
            "tie_word_embeddings": tied, "max_position_embeddings": 64,
        ]
        if let window { config["sliding_window"] = window }
        // Gemma 3's local RoPE base is not in GGUF metadata (llama.cpp hard-codes 10000), so the HF copy uses it too.
        if architecture == "gemma3" { config["rope_local_base_freq"] = 10_000.0 }
        if sandwich { config["query_pre_attn_scalar"] = headDim }
        if architecture == "gemma2" {
            config["attn_logit_softcapping"] = attentionSoftcap
            config["final_logit_softcapping"] = finalSoftcap
        }
        if architecture == "qwen2" || architecture == "qwen3" { config["use_sliding_window"] = false }
        if architecture == "phi3" { config["partial_rotary_factor"] = Double(rotaryDimension) / Double(headDim) }
        if architecture == "cohere" {
            config["rms_norm_eps"] = nil   // Cohere's LayerNorm reads layer_norm_eps; rms_norm_eps is no key of it
            config["layer_norm_eps"] = 1e-5
            config["logit_scale"] = cohereLogitScale
            config["use_qk_norm"] = true
        }
        try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config.json"))
    }

    /// `general.architecture` as llama.cpp's converter writes it (`command-r` for Cohere); `override` names
    /// another (llama.cpp writes Mistral as `llama`).
    var ggufArchitecture: String { architecture == "cohere" ? "command-r" : architecture }

    func writeGGUF(to url: URL, architecture override: String? = nil) throws {
        var w = GGUFWriter()
        let a = override ?? ggufArchitecture
        w["general.architecture"] = .string(a)
        w["\(a).block_count"] = .uint32(UInt32(layers))
        w["\(a).embedding_length"] = .uint32(UInt32(hidden))
        w["\(a).feed_forward_length"] = .uint32(UInt32(intermediate))
        w["\(a).attention.head_count"] = .uint32(UInt32(heads))
        w["\(a).attention.head_count_kv"] = .uint32(UInt32(kvHeads))
        w["\(a).attention.key_length"] = .uint32(UInt32(headDim))
        w["\(a).rope.freq_base"] = .float32(10_000)
        if architecture == "cohere" {
            w["\(a).attention.layer_norm_epsilon"] = .float32(1e-5)
            w["\(a).logit_scale"] = .float32(Float(cohereLogitScale))
        } else {
            w["\(a).attention.layer_norm_rms_epsilon"] = .float32(1e-6)
        }
        if architecture == "gemma2" {
            w["\(a).attn_logit_softcapping"] = .float32(Float(attentionSoftcap))
            w["\(a).final_logit_softcapping"] = .float32(Float(finalSoftcap))
        }
        if architecture == "phi3" { w["\(a).rope.dimension_count"] = .uint32(UInt32(rotaryDimension)) }
        w["\(a).context_length"] = .uint32(64)
        if let window { w["\(a).attention.sliding_window"] = .uint32(UInt32(window)) }
        let v = tokenizerVocabulary
        w["tokenizer.ggml.model"] = .string("llama")
        w["tokenizer.ggml.tokens"] = .array(.string, v.tokens.map { .string($0) })
        w["tokenizer.ggml.scores"] = .array(.float32, v.scores.map { .float32($0) })
        w["tokenizer.ggml.token_type"] = .array(.int32, v.tokenTypes.map { .int32(Int32($0.rawValue)) })
        w["tokenizer.ggml.bos_token_id"] = .uint32(1)
        w["tokenizer.ggml.eos_token_id"] = .uint32(2)
        w["tokenizer.ggml.unknown_token_id"] = .uint32(0)
        w["tokenizer.ggml.add_bos_token"] = .bool(true)
        w["tokenizer.ggml.add_space_prefix"] = .bool(false)
        for (name, t) in weights.sorted(by: { $0.key < $1.key }) {
            var values = t.values
            if isGemma && name.hasSuffix("norm.weight") { values = values.map { $0 + 1 } }
            if a == "llama" && name.hasSuffix("q_proj.weight") { values = Self.permute(values, heads: heads, columns: hidden) }
            if a == "llama" && name.hasSuffix("k_proj.weight") { values = Self.permute(values, heads: kvHeads, columns: hidden) }
            try w.addTensor(Self.ggufName(name, postNormAfterAttention: sandwich || architecture == "olmo2"), values,
                            shape: t.shape)
        }
        try w.write(to: url)
    }

    /// llama.cpp's converter permutation: HF row h·hd + j·hd/2 + i goes to GGUF row h·hd + 2i + j.
    static func permute(_ w: [Float], heads: Int, columns: Int) -> [Float] {
        let rows = w.count / columns, hd = rows / heads, half = hd / 2
        var out = w
        for h in 0..<heads { for i in 0..<half { for j in 0..<2 {
            let to = (h * hd + 2 * i + j) * columns, from = (h * hd + j * half + i) * columns
            for c in 0..<columns { out[to + c] = w[from + c] }
        } } }
        return out
    }

    /// The GGUF name of an HF tensor; `postNormAfterAttention`: `post_attention_layernorm` is the norm after
    /// attention (Gemma 2/3, OLMo 2), not the MLP's input norm.
    static func ggufName(_ hf: String, postNormAfterAttention: Bool) -> String {
        if hf == "model.embed_tokens.weight" { return "token_embd.weight" }
        if hf == "model.norm.weight" { return "output_norm.weight" }
        if hf == "lm_head.weight" { return "output.weight" }
        let parts = hf.split(separator: ".")
        let layer = parts[2], rest = parts[3...].joined(separator: ".")
        let map: [String: String] = [
            "input_layernorm.weight": "attn_norm.weight",
            "self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
            "self_attn.v_proj.weight": "attn_v.weight", "self_attn.o_proj.weight": "attn_output.weight",
            "self_attn.q_proj.bias": "attn_q.bias", "self_attn.k_proj.bias": "attn_k.bias",
            "self_attn.v_proj.bias": "attn_v.bias",
            "self_attn.q_norm.weight": "attn_q_norm.weight", "self_attn.k_norm.weight": "attn_k_norm.weight",
            "post_attention_layernorm.weight": postNormAfterAttention ? "post_attention_norm.weight" : "ffn_norm.weight",
            "self_attn.qkv_proj.weight": "attn_qkv.weight", "mlp.gate_up_proj.weight": "ffn_up.weight",
            "pre_feedforward_layernorm.weight": "ffn_norm.weight",
            "post_feedforward_layernorm.weight": "post_ffw_norm.weight",
            "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight",
            "mlp.down_proj.weight": "ffn_down.weight",
        ]
        return "blk.\(layer).\(map[rest]!)"
    }

    struct Generator {
        var state: UInt64
        mutating func signedUnit() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
    }
}
