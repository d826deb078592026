/// A kind of place in the forward pass where a hook can read or edit a tensor.
///
/// The raw values are the TransformerLens names (the part after `blocks.{l}.` for per-layer sites).
/// Shapes are per forward call: T positions (all packed sequences), d model width, f MLP width, V vocabulary.
///
/// ```swift
/// let site = HookSite(rawValue: "mlp.hook_act")   // .mlpAct
/// ```
public enum HookSite: String, CaseIterable, Sendable, Codable {
    /// Token embedding after any scale (Gemma multiplies by √d). T × d.
    case embed = "hook_embed"
    /// Residual stream entering block l. T × d.
    case residPre = "hook_resid_pre"
    /// Attention-norm output after gain. T × d.
    case ln1Normalized = "ln1.hook_normalized"
    /// Query projection (+bias), after q-norm, before RoPE. T × (heads·headDim).
    case attnQ = "attn.hook_q"
    /// Key projection (+bias), after k-norm, before RoPE. T × (kvHeads·headDim).
    case attnK = "attn.hook_k"
    /// Value projection (+bias). T × (kvHeads·headDim).
    case attnV = "attn.hook_v"
    /// Attention weights after mask and softmax, one head at a time. T × S per head.
    case attnPattern = "attn.hook_pattern"
    /// Mixed values, the input of o_proj. T × (heads·headDim).
    case attnZ = "attn.hook_z"
    /// What attention adds to the residual (after o_proj and any post-attention norm). T × d.
    case attnOut = "hook_attn_out"
    /// Residual after the attention add. T × d.
    case residMid = "hook_resid_mid"
    /// MLP-norm output after gain. T × d.
    case ln2Normalized = "ln2.hook_normalized"
    /// `gate_proj(x)` before the activation. T × f.
    case mlpPre = "mlp.hook_pre"
    /// `act(gate_proj(x))`: the neuron of the papers. T × f.
    case mlpAct = "mlp.hook_act"
    /// `up_proj(x)`. T × f.
    case mlpPreLinear = "mlp.hook_pre_linear"
    /// `act(gate) * up`, the input of down_proj. T × f.
    case mlpPost = "mlp.hook_post"
    /// What the MLP adds to the residual (after down_proj and any post-FFN norm). T × d.
    case mlpOut = "hook_mlp_out"
    /// Mixtures of experts: the router's logits, before the softmax and the top-k choice. T × experts. An edit
    /// here changes the routing (a logit of −∞ removes the expert).
    case mlpRouter = "mlp.hook_router"
    /// Mixtures of experts: `act(gate(x))` of one expert over the tokens routed to it (rows: those tokens, in
    /// order; `HookContext` positions are theirs). Named per expert: `blocks.{l}.mlp.experts.{e}.hook_act`.
    /// Tₑ × expert width.
    case expertAct = "mlp.experts.hook_act"
    /// Residual leaving block l. T × d.
    case residPost = "hook_resid_post"
    /// Final norm output. T × d.
    case lnFinal = "ln_final.hook_normalized"
    /// Logits. T × V (delivered in row chunks).
    case logits = "hook_logits"

    /// Position in `allCases`, for table lookups on the hot path.
    public var ordinal: Int { Self.ordinals[self]! }
    private static let ordinals: [HookSite: Int] = Dictionary(
        uniqueKeysWithValues: HookSite.allCases.enumerated().map { ($0.element, $0.offset) })

    /// Whether the site exists only in mixture-of-experts layers.
    public var isExpertSite: Bool { self == .mlpRouter || self == .expertAct }

    /// Whether the site exists once per block (`blocks.{l}.…`) rather than once per model.
    public var isPerLayer: Bool {
        switch self {
        case .embed, .lnFinal, .logits: return false
        default: return true
        }
    }
}
