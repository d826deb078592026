import Foundation
import LNAFormats
import LNAModels
import LNATestSupport
import LNATokenizers
import Testing

/// The GGUF layouts llama.cpp writes for the families of issue 16, on GGUF files the test writes from the
/// transformers fixtures as llama.cpp's `convert_hf_to_gguf.py` does (tensor names, BLOOM's head-major
/// `query_key_value` reordered to q | k | v and its embedding written again as `output`, GPT-2's Conv1D matrices
/// transposed, Mixtral as `llama` with q/k rows permuted and the experts stacked as `[experts, f, d]`,
/// Qwen2-MoE's shared expert as `*_shexp`): each loads to the logits of the Hugging Face folder.
struct FixtureGGUFTests {
    static let fixtures = ["bloom", "gpt2", "mixtral", "qwen2_moe"]

    @Test(arguments: fixtures)
    func ggufAndHuggingFaceLayoutsGiveTheSameLogits(fixture: String) throws {
        let directory = try TestResources.temporaryDirectory("gguf-\(fixture)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("\(fixture).gguf")
        try Self.writeGGUF(fixture, to: url)
        // llama.cpp's qwen2moe routes in every layer (it ignores mlp_only_layers): compare the fixture's routed
        // layer 1 alone, as a one-layer model in both layouts.
        let hf = fixture == "qwen2_moe" ? try Self.routedLayerOnly(in: directory) : try TransformersParityTests.load(fixture, .v5)
        let gguf = try Model.load(url: url, tokenizer: hf.tokenizer, weights: .resident)
        let ids = try TransformersGolden.load(TransformersParityTests.root, fixture).texts[0].ids
        let a = try gguf.forward(TokenBatch(ids), logits: .all).logits
        let b = try hf.forward(TokenBatch(ids), logits: .all).logits
        let relative = zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
        #expect(relative < 1e-5, "\(fixture): GGUF vs HF rel |Δlogit| \(relative)")
        #expect(gguf.config.block == hf.config.block || fixture == "qwen2_moe", "\(fixture): recipes differ")
    }

    /// A GGUF file of the fixture's weights in llama.cpp's layout.
    static func writeGGUF(_ fixture: String, to url: URL) throws {
        let folder = TransformersParityTests.root.appendingPathComponent(fixture)
        let source = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as! [String: Any]
        func int(_ key: String) -> Int { config[key] as! Int }
        var w = GGUFWriter()
        var tensors: [(String, [Float], [Int])] = []
        func tensor(_ name: String) throws -> ([Float], [Int]) { (try source.floats(name), source.descriptor(name)!.shape) }
        let arch: String
        switch fixture {
        case "bloom", "gpt2":
            arch = fixture
            let d = int(fixture == "bloom" ? "hidden_size" : "n_embd"), heads = int("n_head"), layers = int("n_layer")
            w["\(arch).embedding_length"] = .uint32(UInt32(d))
            w["\(arch).feed_forward_length"] = .uint32(UInt32(fixture == "bloom" ? 4 * d : int("n_inner")))
            w["\(arch).block_count"] = .uint32(UInt32(layers))
            w["\(arch).attention.head_count"] = .uint32(UInt32(heads))
            w["\(arch).attention.head_count_kv"] = .uint32(UInt32(heads))
            w["\(arch).attention.layer_norm_epsilon"] = .float32(1e-5)
            w["\(arch).context_length"] = .uint32(UInt32(fixture == "bloom" ? d : int("n_positions")))
            let p = "transformer."
            let names: [String: String] = fixture == "bloom"
                ? ["word_embeddings.weight": "token_embd.weight", "word_embeddings_layernorm.weight": "token_embd_norm.weight",
                   "word_embeddings_layernorm.bias": "token_embd_norm.bias", "ln_f.weight": "output_norm.weight", "ln_f.bias": "output_norm.bias"]
                : ["wte.weight": "token_embd.weight", "wpe.weight": "position_embd.weight",
                   "ln_f.weight": "output_norm.weight", "ln_f.bias": "output_norm.bias"]
            let layer: [String: String] = fixture == "bloom"
                ? ["input_layernorm": "attn_norm", "self_attention.query_key_value": "attn_qkv", "self_attention.dense": "attn_output",
                   "post_attention_layernorm": "ffn_norm", "mlp.dense_h_to_4h": "ffn_up", "mlp.dense_4h_to_h": "ffn_down"]
                : ["ln_1": "attn_norm", "attn.c_attn": "attn_qkv", "attn.c_proj": "attn_output", "ln_2": "ffn_norm",
                   "mlp.c_fc": "ffn_up", "mlp.c_proj": "ffn_down"]
            for (hfName, ggufName) in names {
                let (values, shape) = try tensor(p + hfName)
                tensors.append((ggufName, values, shape))
                if fixture == "bloom" && ggufName == "token_embd.weight" { tensors.append(("output.weight", values, shape)) }
            }
            for l in 0..<layers {
                for (hfPart, ggufPart) in layer {
                    for suffix in ["weight", "bias"] {
                        var (values, shape) = try tensor("\(p)h.\(l).\(hfPart).\(suffix)")
                        if fixture == "gpt2" && suffix == "weight" && shape.count == 2 && !hfPart.hasPrefix("ln") {
                            values = Self.transpose(values, rows: shape[0], columns: shape[1])
                            shape = [shape[1], shape[0]]
                        }
                        if fixture == "bloom" && ggufPart == "attn_qkv" {
                            values = Self.headMajorToQKV(values, heads: heads, headDim: d / heads, columns: shape.count == 2 ? shape[1] : 1)
                        }
                        tensors.append(("blk.\(l).\(ggufPart).\(suffix)", values, shape))
                    }
                }
            }
        default:  // mixtral (as llama), qwen2_moe (as qwen2moe)
            arch = fixture == "mixtral" ? "llama" : "qwen2moe"
            let sourceLayers = fixture == "qwen2_moe" ? [1] : Array(0..<int("num_hidden_layers"))
            let layers = sourceLayers.count, heads = int("num_attention_heads"), kvHeads = int("num_key_value_heads")
            let d = int("hidden_size"), experts = int(fixture == "mixtral" ? "num_local_experts" : "num_experts")
            let headDim = (config["head_dim"] as? Int) ?? d / heads
            w["\(arch).embedding_length"] = .uint32(UInt32(d))
            w["\(arch).feed_forward_length"] = .uint32(UInt32(int("intermediate_size")))
            w["\(arch).block_count"] = .uint32(UInt32(layers))
            w["\(arch).attention.head_count"] = .uint32(UInt32(heads))
            w["\(arch).attention.head_count_kv"] = .uint32(UInt32(kvHeads))
            w["\(arch).attention.key_length"] = .uint32(UInt32(headDim))
            w["\(arch).attention.value_length"] = .uint32(UInt32(headDim))
            w["\(arch).attention.layer_norm_rms_epsilon"] = .float32(Float(config["rms_norm_eps"] as! Double))
            w["\(arch).rope.freq_base"] = .float32(1e6)
            w["\(arch).context_length"] = .uint32(UInt32(int("max_position_embeddings")))
            w["\(arch).expert_count"] = .uint32(UInt32(experts))
            w["\(arch).expert_used_count"] = .uint32(UInt32(int("num_experts_per_tok")))
            if fixture == "qwen2_moe" {
                w["\(arch).expert_feed_forward_length"] = .uint32(UInt32(int("moe_intermediate_size")))
                w["\(arch).expert_shared_feed_forward_length"] = .uint32(UInt32(int("shared_expert_intermediate_size")))
            }
            for (hfName, ggufName) in [("model.embed_tokens.weight", "token_embd.weight"), ("model.norm.weight", "output_norm.weight"),
                                       ("lm_head.weight", "output.weight")] {
                let (values, shape) = try tensor(hfName)
                tensors.append((ggufName, values, shape))
            }
            for (l, sourceLayer) in sourceLayers.enumerated() {
                let p = "model.layers.\(sourceLayer)"
                var map = ["input_layernorm.weight": "attn_norm.weight", "post_attention_layernorm.weight": "ffn_norm.weight",
                           "self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
                           "self_attn.v_proj.weight": "attn_v.weight", "self_attn.o_proj.weight": "attn_output.weight"]
                if fixture == "qwen2_moe" {
                    for x in ["q", "k", "v"] { map["self_attn.\(x)_proj.bias"] = "attn_\(x).bias" }
                    map["mlp.gate.weight"] = "ffn_gate_inp.weight"
                    map["mlp.shared_expert_gate.weight"] = "ffn_gate_inp_shexp.weight"
                    for x in ["gate", "up", "down"] { map["mlp.shared_expert.\(x)_proj.weight"] = "ffn_\(x)_shexp.weight" }
                } else {
                    map["block_sparse_moe.gate.weight"] = "ffn_gate_inp.weight"
                }
                for (hfPart, ggufPart) in map {
                    var (values, shape) = try tensor("\(p).\(hfPart)")
                    if arch == "llama" && hfPart == "self_attn.q_proj.weight" { values = TinyCheckpoint.permute(values, heads: heads, columns: d) }
                    if arch == "llama" && hfPart == "self_attn.k_proj.weight" { values = TinyCheckpoint.permute(values, heads: kvHeads, columns: d) }
                    tensors.append(("blk.\(l).\(ggufPart)", values, shape))
                }
                let parts = fixture == "mixtral" ? [("w1", "gate"), ("w3", "up"), ("w2", "down")]
                                                 : [("gate_proj", "gate"), ("up_proj", "up"), ("down_proj", "down")]
                for (hfPart, ggufPart) in parts {
                    var stacked: [Float] = [], shape: [Int] = []
                    for e in 0..<experts {
                        let name = fixture == "mixtral" ? "\(p).block_sparse_moe.experts.\(e).\(hfPart).weight" : "\(p).mlp.experts.\(e).\(hfPart).weight"
                        let (values, s) = try tensor(name)
                        stacked += values
                        shape = [experts] + s
                    }
                    tensors.append(("blk.\(l).ffn_\(ggufPart)_exps.weight", stacked, shape))
                }
            }
        }
        w["general.architecture"] = .string(arch)
        for (name, values, shape) in tensors.sorted(by: { $0.0 < $1.0 }) { try w.addTensor(name, values, shape: shape) }
        try w.write(to: url)
    }

    /// The qwen2_moe fixture reduced to its routed layer 1 (renamed layer 0), as a Hugging Face folder.
    static func routedLayerOnly(in directory: URL) throws -> Model {
        let folder = TransformersParityTests.root.appendingPathComponent("qwen2_moe")
        let out = directory.appendingPathComponent("hf")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let source = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for name in source.tensorNames where !name.hasPrefix("model.layers.0.") {
            try writer.add(name.replacingOccurrences(of: "model.layers.1.", with: "model.layers.0."),
                           try source.floats(name), shape: source.descriptor(name)!.shape)
        }
        try writer.write(to: out.appendingPathComponent("model.safetensors"))
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as! [String: Any]
        config["num_hidden_layers"] = 1
        config["mlp_only_layers"] = [Int]()
        config["layer_types"] = ["full_attention"]
        try JSONSerialization.data(withJSONObject: config).write(to: out.appendingPathComponent("config.json"))
        let tokenizerURL = TransformersParityTests.root.appendingPathComponent("tokenizer.json")
        let tokenizer = try Tokenizer(huggingFaceJSON: Data(contentsOf: tokenizerURL), source: tokenizerURL.path)
        return try Model.load(url: out, tokenizer: tokenizer, weights: .resident)
    }

    static func transpose(_ w: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: w.count)
        for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = w[r * columns + c] } }
        return out
    }

    /// BLOOM's `[heads, 3, head_dim]` rows to q | k | v (llama.cpp's converter).
    static func headMajorToQKV(_ w: [Float], heads: Int, headDim: Int, columns: Int) -> [Float] {
        var out: [Float] = []
        for part in 0..<3 {
            for h in 0..<heads {
                let first = (3 * h + part) * headDim
                out += w[(first * columns)..<((first + headDim) * columns)]
            }
        }
        return out
    }
}
