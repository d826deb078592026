import LNAFormats

extension TransformersConfig {
    /// The mixture-of-experts keys of mixtral and qwen2_moe (nil for other families), with the defaults of
    /// their transformers 5.25 config classes. Training-only keys (`router_aux_loss_coef`, `router_jitter_noise`,
    /// `output_router_logits`) are accepted: they change nothing at inference.
    static func experts(_ r: ConfigKeyReader, family f: TransformersFamily, layers: Int, intermediateSize: Int,
                        layerTypes: [LayerType]) throws -> ExpertParameters? {
        r.accept(["router_aux_loss_coef", "router_jitter_noise", "output_router_logits"])
        switch f.modelType {
        case "mixtral":
            let count = try r.int("num_local_experts", in: 1...4096, default: 8)
            return ExpertParameters(count: count, topK: try r.int("num_experts_per_tok", in: 1...count, default: 2),
                                    normalizeTopK: true, width: intermediateSize, sharedExpertWidth: nil, denseLayers: [])
        case "qwen2_moe":
            if layerTypes.contains(.slidingAttention) {
                throw r.fail("use_sliding_window", .bool(true), "false (Qwen2-MoE's sliding layers are not implemented)")
            }
            let count = try r.int("num_experts", in: 0...4096, default: 60)
            let step = try r.int("decoder_sparse_step", in: 1...ConfigLimits.layers.upperBound, default: 1)
            var only: [Int] = []
            if let given = r.present("mlp_only_layers") {
                guard let array = given.arrayValue else { throw r.fail("mlp_only_layers", given, "a list of layer indices") }
                only = try array.map { element in
                    guard let i = ConfigKeyReader.exactInt(element), (0..<layers).contains(i) else {
                        throw r.fail("mlp_only_layers", given, "layer indices in 0..<\(layers)")
                    }
                    return i
                }
            }
            // Qwen2MoeDecoderLayer: sparse when not in mlp_only_layers, num_experts > 0 and (l + 1) % step == 0.
            let dense = (0..<layers).filter { only.contains($0) || count == 0 || ($0 + 1) % step != 0 }
            guard count > 0 else { throw r.fail("num_experts", .int(0), "at least 1 (a dense Qwen2 is model_type qwen2)") }
            let shared = try r.int("shared_expert_intermediate_size", in: ConfigLimits.intermediate, default: 5632)
            return ExpertParameters(count: count, topK: try r.int("num_experts_per_tok", in: 1...count, default: 4),
                                    normalizeTopK: try r.bool("norm_topk_prob", default: false),
                                    width: try r.int("moe_intermediate_size", in: ConfigLimits.intermediate, default: 1408),
                                    sharedExpertWidth: shared, denseLayers: dense)
        default:
            return nil
        }
    }
}
