/// GGUF decoding of the plain-MLP families llama.cpp converts (bloom, gpt2): its keys (`<arch>.embedding_length`,
/// `block_count`, `feed_forward_length`, `attention.head_count`, `attention.head_count_kv` = heads,
/// `attention.layer_norm_epsilon`, `context_length`), q | k | v contiguous in `attn_qkv` (llama.cpp reorders
/// BLOOM's head-major rows and transposes GPT-2's Conv1D), biases everywhere, the GELU-tanh MLP llama.cpp runs
/// for both.
enum PlainGGUF {
    static func config(_ m: GGUFMetadataReader, _ facts: GGUFShapeFacts, arch: String,
                       positions: BlockRecipe.Positions, embeddingNorm: Bool) throws -> ModelConfig {
        let hidden = try m.int("embedding_length", in: ConfigLimits.hidden)
        let heads = try m.int("attention.head_count", in: ConfigLimits.heads)
        let kvHeads = try m.int("attention.head_count_kv", in: ConfigLimits.heads, default: heads)
        guard kvHeads == heads else {
            throw m.fail("attention.head_count_kv", .uint32(UInt32(kvHeads)), "\(heads), attention.head_count (multi-head attention)")
        }
        guard hidden % heads == 0 else {
            throw m.fail("embedding_length", .uint32(UInt32(hidden)), "a multiple of attention.head_count (\(heads))")
        }
        if let vocabulary = try m.optionalInt("vocab_size", in: ConfigLimits.vocabulary), vocabulary != facts.vocabularySize {
            throw m.fail("vocab_size", .uint32(UInt32(vocabulary)), "\(facts.vocabularySize), the rows of token_embd.weight")
        }
        return ModelConfig(
            plainDecoder: arch, vocabulary: facts.vocabularySize, hidden: hidden,
            intermediate: try m.int("feed_forward_length", in: ConfigLimits.intermediate),
            layers: try m.int("block_count", in: ConfigLimits.layers), heads: heads,
            epsilon: try m.double("attention.layer_norm_epsilon", in: ConfigLimits.epsilon), activation: .geluTanh,
            positions: positions, scaleAttention: true, embeddingScale: false, tied: !facts.hasOutputWeight,
            context: try m.int("context_length", in: ConfigLimits.positions), embeddingNorm: embeddingNorm)
    }

    static func ggufName(_ role: WeightRole, _ layer: Int?) -> String {
        let l = layer ?? 0
        switch role {
        case .query, .key, .value: return "blk.\(l).attn_qkv.weight"
        case .queryBias, .keyBias, .valueBias: return "blk.\(l).attn_qkv.bias"
        default: return GGUFNames.name(role, layer: layer)
        }
    }

    /// `attn_qkv` rows q | k | v.
    static func fusedRows(_ role: WeightRole, _ c: ModelConfig) -> FusedRows? {
        let d = c.queryWidth
        switch role {
        case .query, .queryBias: return FusedRows(rows: 0..<d, totalRows: 3 * d)
        case .key, .keyBias: return FusedRows(rows: d..<(2 * d), totalRows: 3 * d)
        case .value, .valueBias: return FusedRows(rows: (2 * d)..<(3 * d), totalRows: 3 * d)
        default: return nil
        }
    }
}
