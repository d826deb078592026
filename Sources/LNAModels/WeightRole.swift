/// The role of one weight tensor in a decoder built from a `BlockRecipe`. Architecture files map roles to the
/// tensor names of GGUF and Hugging Face files; the forward passes only know roles.
enum WeightRole: String, CaseIterable, Sendable {
    case tokenEmbedding, finalNorm, finalNormBias, output
    case attentionNorm, attentionNormBias, query, queryBias, key, keyBias, value, valueBias
    case attentionOutput, attentionOutputBias
    case queryNorm, keyNorm, postAttentionNorm
    case mlpNorm, mlpNormBias, gate, up, down, postMLPNorm
    /// BLOOM's LayerNorm of the embedding; GPT-2's learned position table.
    case embeddingNorm, embeddingNormBias, positionEmbedding
    /// Biases of a plain MLP (`up` = fc1, `down` = fc2).
    case upBias, downBias
    /// Mixtures of experts: the router `[experts, d]`; Qwen2-MoE's shared expert (a gated MLP) and its gate `[1, d]`.
    /// The experts' own matrices are `ExpertTensor`s.
    case router, sharedGate, sharedUp, sharedDown, sharedExpertGate

    var isPerLayer: Bool {
        switch self {
        case .tokenEmbedding, .finalNorm, .finalNormBias, .output, .embeddingNorm, .embeddingNormBias,
             .positionEmbedding: return false
        default: return true
        }
    }

    /// A norm gain (what a Gemma checkpoint stores as gain − 1).
    var isNorm: Bool {
        switch self {
        case .finalNorm, .attentionNorm, .queryNorm, .keyNorm, .postAttentionNorm, .mlpNorm, .postMLPNorm,
             .embeddingNorm: return true
        default: return false
        }
    }

    /// Whether a model with `config` has this tensor (in layer `layer`, for MLP roles of models whose layers
    /// differ: Qwen2-MoE's dense layers): what its recipe's components need.
    func isPresent(in config: ModelConfig, layer: Int? = nil) -> Bool {
        let recipe = config.block, residual = recipe.residual, normBias = recipe.norm.bias
        var routed: Bool {
            guard case let .experts(e) = recipe.mlp else { return false }
            return layer.map { e.routes(layer: $0) } ?? true
        }
        var shared: Bool {
            guard case let .experts(e) = recipe.mlp else { return false }
            return routed && e.sharedExpert
        }
        switch self {
        case .gate:
            if case .plain = recipe.mlp { return false }
            return !routed
        case .up, .down: return !routed
        case .upBias, .downBias:
            if case let .plain(_, bias) = recipe.mlp { return bias }
            return false
        case .router: return routed
        case .sharedGate, .sharedUp, .sharedDown, .sharedExpertGate: return shared
        case .embeddingNorm: return config.embeddingNorm
        case .embeddingNormBias: return config.embeddingNorm && normBias
        case .positionEmbedding: return recipe.positions == .learned
        case .output: return !config.tiedEmbeddings
        case .finalNormBias: return normBias
        case .attentionNorm: return residual.normsInputs
        case .attentionNormBias: return residual.normsInputs && normBias
        case .mlpNorm: return residual.hasMLPInputNorm
        case .mlpNormBias: return residual.hasMLPInputNorm && normBias
        case .postAttentionNorm, .postMLPNorm: return residual.normsOutputs
        case .queryBias, .keyBias, .valueBias: return recipe.attention.queryKeyValueBias
        case .attentionOutputBias: return recipe.attention.outputBias
        case .queryNorm, .keyNorm: return recipe.attention.queryKeyNorm != nil
        case .tokenEmbedding, .finalNorm, .query, .key, .value, .attentionOutput: return true
        }
    }

    /// Row-major shape of the tensor in canonical (Hugging Face) layout.
    func shape(in c: ModelConfig) -> [Int] {
        switch self {
        case .tokenEmbedding, .output: return [c.vocabularySize, c.hiddenSize]
        case .finalNorm, .finalNormBias, .attentionNorm, .attentionNormBias, .postAttentionNorm, .mlpNorm,
             .mlpNormBias, .postMLPNorm, .attentionOutputBias, .embeddingNorm, .embeddingNormBias, .downBias:
            return [c.hiddenSize]
        case .upBias: return [c.intermediateSize]
        case .positionEmbedding: return [c.contextLength, c.hiddenSize]
        case .router: return [c.expertCount, c.hiddenSize]
        case .sharedExpertGate: return [1, c.hiddenSize]
        case .sharedGate, .sharedUp: return [c.intermediateSize, c.hiddenSize]
        case .sharedDown: return [c.hiddenSize, c.intermediateSize]
        case .query: return [c.queryWidth, c.hiddenSize]
        case .queryBias: return [c.queryWidth]
        case .key, .value: return [c.kvWidth, c.hiddenSize]
        case .keyBias, .valueBias: return [c.kvWidth]
        case .attentionOutput: return [c.hiddenSize, c.queryWidth]
        case .queryNorm: return Self.queryKeyNormShape(c, heads: c.headCount)
        case .keyNorm: return Self.queryKeyNormShape(c, heads: c.kvHeadCount)
        case .gate, .up: return [c.intermediateSize, c.hiddenSize]
        case .down: return [c.hiddenSize, c.intermediateSize]
        }
    }

    private static func queryKeyNormShape(_ c: ModelConfig, heads: Int) -> [Int] {
        switch c.block.attention.queryKeyNorm {
        case .perHead, nil: return [c.headDim]
        case .perHeadOwnGain: return [heads, c.headDim]
        case .wholeProjection: return [heads * c.headDim]
        }
    }
}

/// One matrix of a routed expert (a gated MLP of `Experts.width`).
enum ExpertTensor: String, CaseIterable, Sendable {
    case gate, up, down

    /// Row-major `[outputs, inputs]` shape of one expert's matrix.
    func shape(in c: ModelConfig, width: Int) -> [Int] {
        self == .down ? [c.hiddenSize, width] : [width, c.hiddenSize]
    }
}

/// Tensor names of the llama.cpp GGUF convention, shared by every architecture.
enum GGUFNames {
    static func name(_ role: WeightRole, layer: Int?) -> String {
        let l = layer ?? 0
        switch role {
        case .tokenEmbedding: return "token_embd.weight"
        case .finalNorm: return "output_norm.weight"
        case .finalNormBias: return "output_norm.bias"
        case .output: return "output.weight"
        case .attentionNorm: return "blk.\(l).attn_norm.weight"
        case .attentionNormBias: return "blk.\(l).attn_norm.bias"
        case .query: return "blk.\(l).attn_q.weight"
        case .queryBias: return "blk.\(l).attn_q.bias"
        case .key: return "blk.\(l).attn_k.weight"
        case .keyBias: return "blk.\(l).attn_k.bias"
        case .value: return "blk.\(l).attn_v.weight"
        case .valueBias: return "blk.\(l).attn_v.bias"
        case .attentionOutput: return "blk.\(l).attn_output.weight"
        case .attentionOutputBias: return "blk.\(l).attn_output.bias"
        case .queryNorm: return "blk.\(l).attn_q_norm.weight"
        case .keyNorm: return "blk.\(l).attn_k_norm.weight"
        case .postAttentionNorm: return "blk.\(l).post_attention_norm.weight"
        case .mlpNorm: return "blk.\(l).ffn_norm.weight"
        case .mlpNormBias: return "blk.\(l).ffn_norm.bias"
        case .gate: return "blk.\(l).ffn_gate.weight"
        case .up: return "blk.\(l).ffn_up.weight"
        case .down: return "blk.\(l).ffn_down.weight"
        case .postMLPNorm: return "blk.\(l).post_ffw_norm.weight"
        case .embeddingNorm: return "token_embd_norm.weight"
        case .embeddingNormBias: return "token_embd_norm.bias"
        case .positionEmbedding: return "position_embd.weight"
        case .upBias: return "blk.\(l).ffn_up.bias"
        case .downBias: return "blk.\(l).ffn_down.bias"
        case .router: return "blk.\(l).ffn_gate_inp.weight"
        case .sharedGate: return "blk.\(l).ffn_gate_shexp.weight"
        case .sharedUp: return "blk.\(l).ffn_up_shexp.weight"
        case .sharedDown: return "blk.\(l).ffn_down_shexp.weight"
        case .sharedExpertGate: return "blk.\(l).ffn_gate_inp_shexp.weight"
        }
    }

    /// llama.cpp stores the experts of a layer as one 3-D tensor per matrix (`ffn_gate_exps`: `[experts, f, d]`).
    static func expertName(_ tensor: ExpertTensor, layer: Int) -> String {
        switch tensor {
        case .gate: return "blk.\(layer).ffn_gate_exps.weight"
        case .up: return "blk.\(layer).ffn_up_exps.weight"
        case .down: return "blk.\(layer).ffn_down_exps.weight"
        }
    }
}

/// Tensor names of the Hugging Face transformers convention (Llama family; Gemma 2/3 and Phi-3 override some).
/// In Llama-style checkpoints `post_attention_layernorm` is the norm in front of the MLP; in OLMo 2 it is the norm
/// after attention, a role only post-norm recipes have, so one name serves both.
enum HFNames {
    static func name(_ role: WeightRole, layer: Int?) -> String {
        let p = "model.layers.\(layer ?? 0)"
        switch role {
        case .tokenEmbedding: return "model.embed_tokens.weight"
        case .finalNorm: return "model.norm.weight"
        case .finalNormBias: return "model.norm.bias"
        case .output: return "lm_head.weight"
        case .attentionNorm: return "\(p).input_layernorm.weight"
        case .attentionNormBias: return "\(p).input_layernorm.bias"
        case .query: return "\(p).self_attn.q_proj.weight"
        case .queryBias: return "\(p).self_attn.q_proj.bias"
        case .key: return "\(p).self_attn.k_proj.weight"
        case .keyBias: return "\(p).self_attn.k_proj.bias"
        case .value: return "\(p).self_attn.v_proj.weight"
        case .valueBias: return "\(p).self_attn.v_proj.bias"
        case .attentionOutput: return "\(p).self_attn.o_proj.weight"
        case .attentionOutputBias: return "\(p).self_attn.o_proj.bias"
        case .queryNorm: return "\(p).self_attn.q_norm.weight"
        case .keyNorm: return "\(p).self_attn.k_norm.weight"
        // In Llama-style checkpoints "post_attention_layernorm" is the norm in front of the MLP.
        case .postAttentionNorm: return "\(p).post_attention_layernorm.weight"
        case .mlpNorm: return "\(p).post_attention_layernorm.weight"
        case .mlpNormBias: return "\(p).post_attention_layernorm.bias"
        case .gate: return "\(p).mlp.gate_proj.weight"
        case .up: return "\(p).mlp.up_proj.weight"
        case .down: return "\(p).mlp.down_proj.weight"
        case .postMLPNorm: return "\(p).post_feedforward_layernorm.weight"
        case .embeddingNorm: return "model.embed_layernorm.weight"
        case .embeddingNormBias: return "model.embed_layernorm.bias"
        case .positionEmbedding: return "model.embed_positions.weight"
        case .upBias: return "\(p).mlp.up_proj.bias"
        case .downBias: return "\(p).mlp.down_proj.bias"
        case .router: return "\(p).mlp.gate.weight"
        case .sharedGate: return "\(p).mlp.shared_expert.gate_proj.weight"
        case .sharedUp: return "\(p).mlp.shared_expert.up_proj.weight"
        case .sharedDown: return "\(p).mlp.shared_expert.down_proj.weight"
        case .sharedExpertGate: return "\(p).mlp.shared_expert_gate.weight"
        }
    }

    /// Expert e's matrices in Qwen2-MoE's layout (`mlp.experts.{e}.gate_proj`); Mixtral overrides them.
    static func expertName(_ tensor: ExpertTensor, layer: Int, expert: Int) -> String {
        "model.layers.\(layer).mlp.experts.\(expert).\(tensor.rawValue)_proj.weight"
    }
}
