import Foundation
import LNAFormats
import LNATokenizers

/// A tiny random model of one architecture that the tests write themselves, in GGUF and in Hugging Face layout.
///
/// Weights are generated in the canonical (HF) layout; the GGUF copy gets what llama.cpp's converter does to
/// them (q/k rows permuted for `llama`, Gemma norm gains stored as 1 + w), so both files must load to the
/// same model.
struct TinyCheckpoint {
    let architecture: String      // llama, mistral, qwen2, gemma3
    let hidden = 32, intermediate = 48, heads = 4, kvHeads = 2, headDim = 8, vocabulary = 300
    var layers: Int { architecture == "gemma3" ? 6 : 2 }
    var window: Int? { architecture == "mistral" || architecture == "gemma3" ? 4 : nil }
    var isGemma: Bool { architecture == "gemma3" }
    var hasBias: Bool { architecture == "qwen2" }
    var tied: Bool { isGemma || architecture == "qwen2" }
    /// Neurons whose down-projection columns `writeHF(removing:)` zeroes.
    var weights: [String: (shape: [Int], values: [Float])] = [:]

    init(architecture: String, seed: UInt64) {
        self.architecture = architecture
        var rng = Generator(state: seed)
        func add(_ name: String, _ shape: [Int], scale: Float = 0.3, offset: Float = 0) {
            weights[name] = (shape, (0..<shape.reduce(1, *)).map { _ in offset + scale * rng.signedUnit() })
        }
        let q = heads * headDim, kv = kvHeads * headDim
        add("model.embed_tokens.weight", [vocabulary, hidden], scale: 1)
        add("model.norm.weight", [hidden], scale: 0.1, offset: isGemma ? 0 : 1)
        if !tied { add("lm_head.weight", [vocabulary, hidden]) }
        for l in 0..<layers {
            let p = "model.layers.\(l)"
            let normOffset: Float = isGemma ? 0 : 1   // HF Gemma stores w and computes 1 + w
            add("\(p).input_layernorm.weight", [hidden], scale: 0.1, offset: normOffset)
            add("\(p).self_attn.q_proj.weight", [q, hidden])
            add("\(p).self_attn.k_proj.weight", [kv, hidden])
            add("\(p).self_attn.v_proj.weight", [kv, hidden])
            add("\(p).self_attn.o_proj.weight", [hidden, q])
            if hasBias {
                add("\(p).self_attn.q_proj.bias", [q]); add("\(p).self_attn.k_proj.bias", [kv])
                add("\(p).self_attn.v_proj.bias", [kv])
            }
            if isGemma {
                add("\(p).self_attn.q_norm.weight", [headDim], scale: 0.1)
                add("\(p).self_attn.k_norm.weight", [headDim], scale: 0.1)
                add("\(p).post_attention_layernorm.weight", [hidden], scale: 0.1)
                add("\(p).pre_feedforward_layernorm.weight", [hidden], scale: 0.1)
                add("\(p).post_feedforward_layernorm.weight", [hidden], scale: 0.1)
            } else {
                add("\(p).post_attention_layernorm.weight", [hidden], scale: 0.1, offset: 1)
            }
            add("\(p).mlp.gate_proj.weight", [intermediate, hidden])
            add("\(p).mlp.up_proj.weight", [intermediate, hidden])
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
            "model_type": isGemma ? "gemma3_text" : architecture, "hidden_size": hidden, "intermediate_size": intermediate,
            "num_hidden_layers": layers, "num_attention_heads": heads, "num_key_value_heads": kvHeads,
            "head_dim": headDim, "rope_theta": 10_000.0, "rms_norm_eps": 1e-6, "vocab_size": vocabulary,
            "tie_word_embeddings": tied, "max_position_embeddings": 64,
        ]
        if let window { config["sliding_window"] = window }
        // Gemma 3's local RoPE base is not in GGUF metadata (llama.cpp hard-codes 10000), so the HF copy uses it too.
        if isGemma { config["rope_local_base_freq"] = 10_000.0; config["query_pre_attn_scalar"] = headDim }
        if architecture == "qwen2" { config["use_sliding_window"] = false }
        try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config.json"))
    }

    /// `architecture`: the GGUF architecture name when it differs (llama.cpp writes Mistral as `llama`).
    func writeGGUF(to url: URL, architecture ggufArchitecture: String? = nil) throws {
        var w = GGUFWriter()
        let a = ggufArchitecture ?? architecture
        w["general.architecture"] = .string(a)
        w["\(a).block_count"] = .uint32(UInt32(layers))
        w["\(a).embedding_length"] = .uint32(UInt32(hidden))
        w["\(a).feed_forward_length"] = .uint32(UInt32(intermediate))
        w["\(a).attention.head_count"] = .uint32(UInt32(heads))
        w["\(a).attention.head_count_kv"] = .uint32(UInt32(kvHeads))
        w["\(a).attention.key_length"] = .uint32(UInt32(headDim))
        w["\(a).rope.freq_base"] = .float32(10_000)
        w["\(a).attention.layer_norm_rms_epsilon"] = .float32(1e-6)
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
            try w.addTensor(Self.ggufName(name, gemma: isGemma), values, shape: t.shape)
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

    static func ggufName(_ hf: String, gemma: Bool) -> String {
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
            "post_attention_layernorm.weight": gemma ? "post_attention_norm.weight" : "ffn_norm.weight",
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
