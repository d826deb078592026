/// The role of one weight tensor in the generic pre-norm decoder. Architecture files map roles to the
/// tensor names of GGUF and Hugging Face files; the forward pass only knows roles.
enum WeightRole: String, CaseIterable, Sendable {
    case tokenEmbedding, finalNorm, output
    case attentionNorm, query, queryBias, key, keyBias, value, valueBias, attentionOutput
    case queryNorm, keyNorm, postAttentionNorm
    case mlpNorm, gate, up, down, postMLPNorm

    var isPerLayer: Bool {
        switch self {
        case .tokenEmbedding, .finalNorm, .output: return false
        default: return true
        }
    }

    var isNorm: Bool {
        switch self {
        case .finalNorm, .attentionNorm, .queryNorm, .keyNorm, .postAttentionNorm, .mlpNorm, .postMLPNorm: return true
        default: return false
        }
    }

    /// Whether a model with `config` has this tensor.
    func isPresent(in config: ModelConfig) -> Bool {
        switch self {
        case .output: return !config.tiedEmbeddings
        case .queryBias, .keyBias, .valueBias: return config.attentionBias
        case .queryNorm, .keyNorm: return config.qkNorm
        case .postAttentionNorm, .postMLPNorm: return config.sandwichNorms
        default: return true
        }
    }

    /// Row-major shape of the tensor in canonical (Hugging Face) layout.
    func shape(in c: ModelConfig) -> [Int] {
        switch self {
        case .tokenEmbedding, .output: return [c.vocabularySize, c.hiddenSize]
        case .finalNorm, .attentionNorm, .postAttentionNorm, .mlpNorm, .postMLPNorm: return [c.hiddenSize]
        case .query: return [c.queryWidth, c.hiddenSize]
        case .queryBias: return [c.queryWidth]
        case .key, .value: return [c.kvWidth, c.hiddenSize]
        case .keyBias, .valueBias: return [c.kvWidth]
        case .attentionOutput: return [c.hiddenSize, c.queryWidth]
        case .queryNorm, .keyNorm: return [c.headDim]
        case .gate, .up: return [c.intermediateSize, c.hiddenSize]
        case .down: return [c.hiddenSize, c.intermediateSize]
        }
    }
}

/// Tensor names of the llama.cpp GGUF convention, shared by every architecture.
enum GGUFNames {
    static func name(_ role: WeightRole, layer: Int?) -> String {
        let l = layer ?? 0
        switch role {
        case .tokenEmbedding: return "token_embd.weight"
        case .finalNorm: return "output_norm.weight"
        case .output: return "output.weight"
        case .attentionNorm: return "blk.\(l).attn_norm.weight"
        case .query: return "blk.\(l).attn_q.weight"
        case .queryBias: return "blk.\(l).attn_q.bias"
        case .key: return "blk.\(l).attn_k.weight"
        case .keyBias: return "blk.\(l).attn_k.bias"
        case .value: return "blk.\(l).attn_v.weight"
        case .valueBias: return "blk.\(l).attn_v.bias"
        case .attentionOutput: return "blk.\(l).attn_output.weight"
        case .queryNorm: return "blk.\(l).attn_q_norm.weight"
        case .keyNorm: return "blk.\(l).attn_k_norm.weight"
        case .postAttentionNorm: return "blk.\(l).post_attention_norm.weight"
        case .mlpNorm: return "blk.\(l).ffn_norm.weight"
        case .gate: return "blk.\(l).ffn_gate.weight"
        case .up: return "blk.\(l).ffn_up.weight"
        case .down: return "blk.\(l).ffn_down.weight"
        case .postMLPNorm: return "blk.\(l).post_ffw_norm.weight"
        }
    }
}

/// Tensor names of the Hugging Face transformers convention (Llama family; Gemma overrides the norms).
enum HFNames {
    static func name(_ role: WeightRole, layer: Int?) -> String {
        let p = "model.layers.\(layer ?? 0)"
        switch role {
        case .tokenEmbedding: return "model.embed_tokens.weight"
        case .finalNorm: return "model.norm.weight"
        case .output: return "lm_head.weight"
        case .attentionNorm: return "\(p).input_layernorm.weight"
        case .query: return "\(p).self_attn.q_proj.weight"
        case .queryBias: return "\(p).self_attn.q_proj.bias"
        case .key: return "\(p).self_attn.k_proj.weight"
        case .keyBias: return "\(p).self_attn.k_proj.bias"
        case .value: return "\(p).self_attn.v_proj.weight"
        case .valueBias: return "\(p).self_attn.v_proj.bias"
        case .attentionOutput: return "\(p).self_attn.o_proj.weight"
        case .queryNorm: return "\(p).self_attn.q_norm.weight"
        case .keyNorm: return "\(p).self_attn.k_norm.weight"
        // In Llama-style checkpoints "post_attention_layernorm" is the norm in front of the MLP.
        case .postAttentionNorm: return "\(p).post_attention_layernorm.weight"
        case .mlpNorm: return "\(p).post_attention_layernorm.weight"
        case .gate: return "\(p).mlp.gate_proj.weight"
        case .up: return "\(p).mlp.up_proj.weight"
        case .down: return "\(p).mlp.down_proj.weight"
        case .postMLPNorm: return "\(p).post_feedforward_layernorm.weight"
        }
    }
}
