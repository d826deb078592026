/// How one decoder block is built, from a few component kinds: the norm, the positions, the attention, the MLP
/// and the residual topology. Every architecture file states its recipe; the fast forward
/// (`Model+Forward.swift`) and the naive reference forward (`ReferenceForward.swift`) both follow it, and the
/// hook contract (`docs/hooks.md`) is the same for every recipe.
///
/// ```swift
/// // OLMo 2: RMSNorm after each sublayer, q/k RMSNorm over the whole projection, NEOX RoPE, SwiGLU.
/// let olmo2 = BlockRecipe(norm: .rms(epsilon: 1e-6), residual: .postNorm, positions: .rope(.neox),
///                         attention: .init(scale: 0.125, queryKeyNorm: .wholeProjection), mlp: .gated(.silu))
/// ```
public struct BlockRecipe: Codable, Sendable, Equatable {
    /// The normalisation of every norm in the model (sublayer norms, q/k norms, the final norm).
    public var norm: Norm
    /// Where the norms sit and how the sublayers meet the residual stream.
    public var residual: Residual
    /// How token positions enter the model.
    public var positions: Positions
    public var attention: Attention
    public var mlp: MLP

    public init(norm: Norm, residual: Residual, positions: Positions, attention: Attention, mlp: MLP) {
        self.norm = norm
        self.residual = residual
        self.positions = positions
        self.attention = attention
        self.mlp = mlp
    }

    /// A normalisation: RMS (`x / rms(x)`) or Layer (`(x − mean) / std`), times a gain, plus an optional bias.
    public struct Norm: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case rms, layer }
        public var kind: Kind
        public var epsilon: Float
        /// Whether the norms carry a bias (`*.bias` tensors next to the gains).
        public var bias: Bool
        /// What a Hugging Face checkpoint stores: the gain itself (0) or `gain − 1` (Gemma: `x·(1 + w)`, 1). The
        /// loader adds it, so the forward always multiplies by the effective gain; llama.cpp's converter already
        /// stores the effective gain in GGUF files.
        public var storedGainOffset: Float

        /// RMSNorm with gain w (Llama, Qwen, OLMo 2).
        public static func rms(epsilon: Float) -> Norm {
            Norm(kind: .rms, epsilon: epsilon, bias: false, storedGainOffset: 0)
        }

        /// RMSNorm computing `x·(1 + w)` from a stored w (Gemma 1, 2, 3).
        public static func rmsOnePlusWeight(epsilon: Float) -> Norm {
            Norm(kind: .rms, epsilon: epsilon, bias: false, storedGainOffset: 1)
        }

        /// LayerNorm with a gain and, with `bias`, a bias (Cohere: no bias).
        public static func layer(epsilon: Float, bias: Bool) -> Norm {
            Norm(kind: .layer, epsilon: epsilon, bias: bias, storedGainOffset: 0)
        }
    }

    /// The residual topology of a block. With x the residual stream, N a norm, A attention and M the MLP:
    public enum Residual: String, Codable, Sendable {
        /// x += A(N₁(x)); x += M(N₂(x)) — Llama, Qwen, Mistral, Phi-3.
        case preNorm
        /// x += N₃(A(N₁(x))); x += N₄(M(N₂(x))) — Gemma 2 and 3.
        case sandwich
        /// x += N₁(A(x)); x += N₂(M(x)) — OLMo 2 (norms after each sublayer, none before).
        case postNorm
        /// x += A(N₁(x)) + M(N₁(x)) — Cohere: attention and MLP read the same normed input.
        case parallel

        /// Whether each sublayer reads a normed copy of the residual.
        var normsInputs: Bool { self != .postNorm }
        /// Whether each sublayer's output is normed before it is added.
        var normsOutputs: Bool { self == .sandwich || self == .postNorm }
        /// Whether the MLP has its own input norm (not in the parallel block, which shares the attention's).
        var hasMLPInputNorm: Bool { self == .preNorm || self == .sandwich }
    }

    /// How positions enter: rotary embeddings of q and k, a per-head linear bias on the attention scores
    /// (ALiBi), or an absolute embedding added to the (scaled) token embedding, learned or sinusoidal.
    public enum Positions: Codable, Sendable, Equatable {
        case rope(Rope)
        /// BLOOM: score(q, k) += slope_h · (k − q), slopes as `ALiBi.slopes(heads:)`.
        case alibi
        /// GPT-2 / mGPT: row p of a learned `[positions, d]` table (`wpe`) added to the embedding of position p.
        case learned
        /// XGLM: row p + `offset` of the fairseq sinusoidal table (sin of the first d/2 frequencies, then cos),
        /// whose row `zeroRow` (fairseq's padding index, XGLM's `pad_token_id`) is zero.
        case sinusoidal(offset: Int, zeroRow: Int?)

        /// The RoPE settings, nil for the other kinds.
        public var rope: Rope? {
            if case let .rope(rope) = self { return rope }
            return nil
        }
    }

    /// Rotary position embedding of q and k (after any q/k norm). Bases, scaling and which layers are local
    /// live in `ModelConfig` (they vary per layer); this is the part every layer shares.
    public struct Rope: Codable, Sendable, Equatable {
        public enum Pairing: String, Codable, Sendable {
            /// Dimension i pairs with i + r/2 (HF `rotate_half`; llama.cpp NEOX).
            case halves
            /// Dimension 2i pairs with 2i + 1 (Cohere; llama.cpp "normal").
            case interleaved
        }
        public var pairing: Pairing
        /// Leading dimensions of each head that rotate (Phi-3 `partial_rotary_factor` < 1); nil: all of them.
        public var rotaryDimension: Int?

        public static let neox = Rope(pairing: .halves, rotaryDimension: nil)
        public static let interleaved = Rope(pairing: .interleaved, rotaryDimension: nil)
    }

    /// Grouped-query self-attention (head counts and widths in `ModelConfig`).
    public struct Attention: Codable, Sendable, Equatable {
        /// Multiplier of q·k (1/√headDim; Gemma 2/3: 1/√query_pre_attn_scalar).
        public var scale: Float
        /// Biases on the q, k and v projections (Qwen2).
        public var queryKeyValueBias: Bool = false
        /// A bias on the output projection.
        public var outputBias: Bool = false
        /// A norm of q and k after their projections, before RoPE; nil for none.
        public var queryKeyNorm: QueryKeyNorm? = nil
        /// `cap·tanh(score/cap)` on the scaled scores before the softmax (Gemma 2).
        public var logitSoftcap: Float? = nil

        public init(scale: Float, queryKeyValueBias: Bool = false, outputBias: Bool = false,
                    queryKeyNorm: QueryKeyNorm? = nil, logitSoftcap: Float? = nil) {
            self.scale = scale
            self.queryKeyValueBias = queryKeyValueBias
            self.outputBias = outputBias
            self.queryKeyNorm = queryKeyNorm
            self.logitSoftcap = logitSoftcap
        }
    }

    /// Which values a q/k norm normalises together, and the shape of its gain.
    public enum QueryKeyNorm: String, Codable, Sendable {
        /// Each head over head_dim, one gain of head_dim shared by the heads (Qwen3, Gemma 3).
        case perHead
        /// Each head over head_dim, a gain per head (`[heads, head_dim]`; Cohere `use_qk_norm`).
        case perHeadOwnGain
        /// The whole projection (heads·head_dim) at once (OLMo 2).
        case wholeProjection
    }

    /// The MLP. The neuron of the papers is element j of `act(gate)` (`mlp.hook_act`) of a gated MLP, element j
    /// of `act(up(x) + b)` of a plain one; in a mixture of experts, element j of expert e's `act(gate)` over the
    /// tokens routed to it (`mlp.experts.{e}.hook_act`).
    public enum MLP: Codable, Sendable, Equatable {
        /// `down(act(gate(x)) · up(x))`.
        case gated(Activation)
        /// `down(act(up(x) + b_up)) + b_down` (GPT-2 `c_fc`/`c_proj`, BLOOM `dense_h_to_4h`/`dense_4h_to_h`, XGLM
        /// `fc1`/`fc2`), with the biases when `bias`.
        case plain(Activation, bias: Bool)
        /// A router choosing `topK` of `count` gated experts per token (Mixtral, Qwen2-MoE).
        case experts(Experts)

        /// The activation of every MLP (and expert) of the model.
        public var activation: Activation {
            switch self {
            case let .gated(a), let .plain(a, _): return a
            case let .experts(e): return e.activation
            }
        }
    }

    /// A sparse mixture of gated experts: router logits `router(x)` (no bias), softmax over the experts in
    /// float32, the `topK` largest probabilities (renormalised to sum 1 with `normalizeTopK`), each chosen
    /// expert's `down(act(gate(x)) · up(x))` times its probability, summed. With `sharedExpert` a dense gated MLP
    /// of `ModelConfig.intermediateSize` is added for every token, scaled by `sigmoid(shared_expert_gate(x))`
    /// (Qwen2-MoE). Layers in `denseLayers` have a plain gated MLP of `intermediateSize` instead (Qwen2-MoE
    /// `mlp_only_layers`, `decoder_sparse_step`).
    public struct Experts: Codable, Sendable, Equatable {
        public var count: Int
        public var topK: Int
        public var normalizeTopK: Bool
        /// Neurons per expert (`moe_intermediate_size`; Mixtral: `intermediate_size`).
        public var width: Int
        public var activation: Activation
        public var sharedExpert: Bool
        public var denseLayers: [Int]

        public init(count: Int, topK: Int, normalizeTopK: Bool, width: Int, activation: Activation,
                    sharedExpert: Bool = false, denseLayers: [Int] = []) {
            self.count = count
            self.topK = topK
            self.normalizeTopK = normalizeTopK
            self.width = width
            self.activation = activation
            self.sharedExpert = sharedExpert
            self.denseLayers = denseLayers
        }

        /// Whether layer `layer` routes (is not one of the dense layers).
        public func routes(layer: Int) -> Bool { !denseLayers.contains(layer) }
    }

    /// The MLP activation (transformers' `ACT2FN` names in the comments).
    public enum Activation: String, Codable, Sendable, CaseIterable {
        /// `silu`, `swish`.
        case silu
        /// `gelu_pytorch_tanh`, `gelu_new`, `gelu_fast` (the same function up to float rounding).
        case geluTanh = "gelu_tanh"
        /// `gelu`: the exact, erf-based GELU.
        case gelu
        /// `relu`.
        case relu
    }
}

extension BlockRecipe {
    /// One line naming the components, for `lna inspect`: `pre-norm RMSNorm, RoPE (halves), q/k norm per head, gated silu`.
    public var summary: String {
        let topology: String
        switch residual {
        case .preNorm: topology = "pre-norm"
        case .sandwich: topology = "sandwich (pre- and post-norm)"
        case .postNorm: topology = "post-norm"
        case .parallel: topology = "parallel attention + MLP"
        }
        var normName = norm.kind == .rms ? "RMSNorm" : "LayerNorm"
        if norm.storedGainOffset != 0 { normName += " x·(1+w)" }
        if norm.bias { normName += " with bias" }
        var parts = [topology, normName]
        switch positions {
        case let .rope(rope):
            parts.append("RoPE (\(rope.pairing.rawValue)\(rope.rotaryDimension.map { ", \($0) dims" } ?? ""))")
        case .alibi: parts.append("ALiBi")
        case .learned: parts.append("learned positions")
        case let .sinusoidal(offset, _): parts.append("sinusoidal positions (offset \(offset))")
        }
        if attention.queryKeyValueBias { parts.append(attention.outputBias ? "q/k/v/o bias" : "q/k/v bias") }
        if let n = attention.queryKeyNorm { parts.append("q/k norm \(n.rawValue)") }
        if let cap = attention.logitSoftcap { parts.append("attention softcap \(cap)") }
        switch mlp {
        case let .gated(activation): parts.append("gated MLP (\(activation.rawValue))")
        case let .plain(activation, bias): parts.append("MLP (\(activation.rawValue)\(bias ? ", biases" : ""))")
        case let .experts(e):
            var text = "\(e.count) experts × \(e.width), top-\(e.topK)\(e.normalizeTopK ? " renormalised" : "") (\(e.activation.rawValue))"
            if e.sharedExpert { text += " + gated shared expert" }
            if !e.denseLayers.isEmpty { text += ", dense layers \(e.denseLayers)" }
            parts.append(text)
        }
        return parts.joined(separator: ", ")
    }
}

extension ModelConfig {
    /// What neuron (layer l, j) of `blocks.{l}.mlp.hook_act` is in this model, one line for statistics metadata
    /// and reports (see docs/methods.md).
    ///
    /// ```swift
    /// model.config.neuronDefinition   // "element j of act(gate_proj(x)) (gated MLP, silu)"
    /// ```
    public var neuronDefinition: String {
        switch block.mlp {
        case let .gated(a): return "element j of act(gate_proj(x)) (gated MLP, \(a.rawValue))"
        case let .plain(a, bias): return "element j of act(fc1·x\(bias ? " + b" : "")) (non-gated MLP, \(a.rawValue))"
        case let .experts(e):
            let experts = "expert neurons (l, e, j): element j of expert e's act(gate(x)) over the tokens routed to it"
            if e.sharedExpert {
                return "element j of the shared expert's act(gate(x))\(e.denseLayers.isEmpty ? "" : " (dense MLP in layers \(e.denseLayers))"), counted like a dense MLP; \(experts)"
            }
            return "no dense neurons; \(experts)"
        }
    }

    /// What neuron (layer l, column c) of a `blocks.{l}.mlp.experts.hook_act` statistics file is, one line for its
    /// metadata (docs/methods.md); nil for a model without experts.
    ///
    /// ```swift
    /// model.config.expertNeuronDefinition
    /// // "column e·48 + j: element j of expert e's act(gate(x)) (silu) over the tokens routed to e (…)"
    /// ```
    public var expertNeuronDefinition: String? {
        guard case let .experts(e) = block.mlp else { return nil }
        let dense = e.denseLayers.isEmpty ? "" : "; dense layers \(e.denseLayers.map(String.init).joined(separator: ",")): all zero"
        return "column e·\(e.width) + j: element j of expert e's act(gate(x)) (\(e.activation.rawValue)) over the tokens routed to e, before the routing weight (sum_weighted_act: weighted by it); denominator routing_counts[l, e]\(dense)"
    }
}
