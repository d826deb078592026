/// One supported architecture as data: how to read its configuration (sizes, per-layer schedule and block
/// recipe) from GGUF metadata or a decoded Hugging Face `config.json`, how its tensors are named, and what to
/// undo on load so every source reaches one canonical (Hugging Face, unfused) layout. The forward passes follow
/// the recipe; see `Architectures/*.swift` for the instances.
struct Architecture: Sendable {
    /// `general.architecture` in GGUF.
    let name: String
    /// `model_type` values in HF `config.json` that map here (the text model's type for multimodal wrappers).
    let hfModelTypes: [String]
    /// Reads the model's GGUF metadata (the reader refuses unread model keys afterwards).
    let configFromGGUF: @Sendable (_ metadata: GGUFMetadataReader, _ shapes: GGUFShapeFacts) throws -> ModelConfig
    /// Maps a strictly decoded config.json to the forward's configuration; `source` names the file in errors.
    let configFromHF: @Sendable (_ config: TransformersConfig, _ source: String) throws -> ModelConfig
    var hfName: @Sendable (_ role: WeightRole, _ layer: Int?) -> String = HFNames.name
    var ggufName: @Sendable (_ role: WeightRole, _ layer: Int?) -> String = GGUFNames.name
    /// For roles stored as rows of a fused tensor (Phi-3 `qkv_proj`, `gate_up_proj`): which rows; nil otherwise.
    var fusedRows: @Sendable (_ role: WeightRole, _ config: ModelConfig) -> FusedRows? = { _, _ in nil }
    /// Fused rows in GGUF files when they differ from the Hugging Face layout (llama.cpp reorders BLOOM's
    /// head-major `query_key_value` into q | k | v); nil: `fusedRows`.
    var ggufFusedRows: (@Sendable (_ role: WeightRole, _ config: ModelConfig) -> FusedRows?)? = nil
    /// Roles a Hugging Face checkpoint stores as `[inputs, outputs]` (GPT-2's `Conv1D`); loading transposes them.
    var hfStoresTransposed: @Sendable (_ role: WeightRole) -> Bool = { _ in false }
    /// Expert e's matrix in a Hugging Face checkpoint (`mlp.experts.{e}.gate_proj.weight`; Mixtral `w1`).
    var hfExpertName: @Sendable (_ tensor: ExpertTensor, _ layer: Int, _ expert: Int) -> String = HFNames.expertName
    /// llama.cpp permutes the q/k rows of `llama` models for its interleaved RoPE; loading undoes it.
    var ggufPermutesQueryKey = false
    /// Whether GGUF files of this architecture exist under `name` (llama.cpp writes Mistral as `llama`).
    var readsGGUF: Bool = true
    /// `general.architecture` values other than `name` that llama.cpp writes for this architecture.
    var otherGGUFNames: [String] = []

    /// Every supported architecture, by GGUF name.
    static let all: [Architecture] = [
        .llama, .mistral, .qwen2, .qwen3, .gemma, .gemma2, .gemma3, .phi3, .olmo2, .cohere,
        .bloom, .gpt2, .xglm, .mixtral, .qwen2moe,
    ]

    static func named(_ name: String, source: String) throws -> Architecture {
        if let arch = all.first(where: { $0.name == name || $0.hfModelTypes.contains(name) }) { return arch }
        throw ModelError.unsupportedArchitecture(name, source: source, supported: all.map(\.name))
    }

    /// The architecture of a GGUF `general.architecture` value.
    static func ggufNamed(_ name: String, source: String) throws -> Architecture {
        if let arch = all.first(where: { ($0.name == name || $0.otherGGUFNames.contains(name)) && $0.readsGGUF }) {
            return arch
        }
        throw ModelError.unsupportedArchitecture(name, source: source, supported: all.filter(\.readsGGUF).map(\.name))
    }
}

/// Rows `ranges` (in order) of a fused tensor of `totalRows` rows hold one role's weight: one range for Phi-3's
/// `qkv_proj`, one per head for BLOOM's `query_key_value` (heads × (q | k | v)).
struct FusedRows: Sendable, Equatable {
    var ranges: [Range<Int>]
    var totalRows: Int

    init(rows: Range<Int>, totalRows: Int) {
        self.ranges = [rows]
        self.totalRows = totalRows
    }

    init(ranges: [Range<Int>], totalRows: Int) {
        self.ranges = ranges
        self.totalRows = totalRows
    }

    /// The role's rows of the whole fused tensor (`columns` floats per row).
    func select(_ whole: [Float], columns: Int) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(ranges.reduce(0) { $0 + $1.count } * columns)
        for range in ranges { out += whole[(range.lowerBound * columns)..<(range.upperBound * columns)] }
        return out
    }
}

/// Facts about a GGUF file's tensors that its metadata may omit.
struct GGUFShapeFacts {
    /// Rows of `token_embd.weight`.
    var vocabularySize: Int
    /// Whether the file has a separate `output.weight`.
    var hasOutputWeight: Bool
    /// Every tensor name in the file (for optional components such as Cohere's q/k norms).
    var tensorNames: Set<String> = []
}

extension LlamaFamily {
    /// The Llama recipe: pre-norm RMSNorm, rotate-half RoPE, 1/√head_dim attention, a gated MLP.
    static func llamaRecipe(headDim: Int, epsilon: Float, activation: BlockRecipe.Activation = .silu) -> BlockRecipe {
        BlockRecipe(norm: .rms(epsilon: epsilon), residual: .preNorm, positions: .rope(.neox),
                    attention: .init(scale: 1 / Float(headDim).squareRoot()), mlp: .gated(activation))
    }
}

/// GGUF decoding shared by every llama.cpp architecture lna reads: the standard llama.cpp keys, bounded, with
/// llama.cpp's own defaults where it has one (`rope.freq_base` 10000, `head_count_kv` = `head_count`).
enum LlamaFamily {
    /// The shared keys; `recipe` gets the head dim and the norm epsilon (read from `epsilonKey`).
    static func ggufConfig(_ m: GGUFMetadataReader, _ facts: GGUFShapeFacts, arch: String,
                           epsilonKey: String = "attention.layer_norm_rms_epsilon", allowsExperts: Bool = false,
                           recipe: (_ headDim: Int, _ epsilon: Float) -> BlockRecipe = { llamaRecipe(headDim: $0, epsilon: $1) })
        throws -> ModelConfig {
        let hidden = try m.int("embedding_length", in: ConfigLimits.hidden)
        let heads = try m.int("attention.head_count", in: ConfigLimits.heads)
        let layers = try m.int("block_count", in: ConfigLimits.layers)
        let kvHeads = try m.int("attention.head_count_kv", in: ConfigLimits.heads, default: heads)
        guard heads % kvHeads == 0 else {
            throw m.fail("attention.head_count_kv", .uint32(UInt32(kvHeads)), "a divisor of attention.head_count (\(heads))")
        }
        let headDim: Int
        if let keyLength = try m.optionalInt("attention.key_length", in: ConfigLimits.headDim) {
            headDim = keyLength
        } else {
            guard hidden % heads == 0 else {
                throw m.fail("embedding_length", .uint32(UInt32(hidden)), "a multiple of attention.head_count (\(heads)) when attention.key_length is absent")
            }
            headDim = hidden / heads
        }
        if let valueLength = try m.optionalInt("attention.value_length", in: ConfigLimits.headDim), valueLength != headDim {
            throw m.fail("attention.value_length", .uint32(UInt32(valueLength)), "\(headDim), the key length")
        }
        let rotary = try m.int("rope.dimension_count", in: 2...headDim, default: headDim)
        guard rotary % 2 == 0 else { throw m.fail("rope.dimension_count", .uint32(UInt32(rotary)), "an even number") }
        if let vocabulary = try m.optionalInt("vocab_size", in: ConfigLimits.vocabulary), vocabulary != facts.vocabularySize {
            throw m.fail("vocab_size", .uint32(UInt32(vocabulary)), "\(facts.vocabularySize), the rows of token_embd.weight")
        }
        if !allowsExperts {
            for key in ["expert_count", "expert_used_count"] {
                if let experts = try m.optionalInt(key, in: 0...Int(Int32.max)), experts != 0 {
                    throw m.fail(key, .uint32(UInt32(experts)), "0 or absent (mixtures of experts are not supported)")
                }
            }
        }
        var experts: BlockRecipe.Experts?
        if allowsExperts, let count = try m.optionalInt("expert_count", in: 0...4096), count > 0 {
            experts = BlockRecipe.Experts(count: count, topK: try m.int("expert_used_count", in: 1...count), normalizeTopK: true,
                                          width: try m.int("feed_forward_length", in: ConfigLimits.intermediate), activation: .silu)
        }
        let window = try m.optionalInt("attention.sliding_window", in: ConfigLimits.window)
        var c = ModelConfig(
            architecture: arch, vocabularySize: facts.vocabularySize, hiddenSize: hidden,
            intermediateSize: try m.int("feed_forward_length", in: ConfigLimits.intermediate), layerCount: layers,
            headCount: heads, kvHeadCount: kvHeads, headDim: headDim,
            ropeBase: try m.double("rope.freq_base", in: ConfigLimits.positiveReal, default: 10_000),
            slidingWindow: window, slidingWindowLayers: Array(repeating: window != nil, count: layers),
            tiedEmbeddings: !facts.hasOutputWeight,
            contextLength: try m.int("context_length", in: ConfigLimits.positions),
            ropeScaling: try ropeScaling(m),
            block: recipe(headDim, Float(try m.double(epsilonKey, in: ConfigLimits.epsilon))))
        if rotary != headDim, case let .rope(rope) = c.block.positions {
            c.block.positions = .rope(.init(pairing: rope.pairing, rotaryDimension: rotary))
        }
        // llama.cpp writes Mixtral as `llama` with expert_count: every MLP is experts of feed_forward_length.
        if let experts { c.block.mlp = .experts(experts) }
        return c
    }

    /// `rope.scaling.*` (and the legacy `rope.scale_linear`): none or linear, as llama.cpp applies them;
    /// any other type is refused by name.
    static func ropeScaling(_ m: GGUFMetadataReader) throws -> RopeScaling? {
        m.accept(["rope.scaling.finetuned", "rope.scaling.original_context_length"])  // provenance for linear
        if let legacy = try m.optionalDouble("rope.scale_linear"), legacy != 1 {
            return RopeScaling(kind: .linear, factor: legacy)
        }
        let type = try m.optionalString("rope.scaling.type") ?? "none"
        switch type {
        case "none":
            _ = m.value("rope.scaling.factor")
            return nil
        case "linear":
            let factor = try m.double("rope.scaling.factor", in: 1e-6...1e6)
            return factor == 1 ? nil : RopeScaling(kind: .linear, factor: factor)
        default:
            throw m.fail("rope.scaling.type", .string(type), "none or linear (lna does not run llama.cpp's \(type) RoPE scaling)")
        }
    }
}
