import LNAHooks

extension ModelConfig {
    /// The MLP neurons a layer of masks (or statistics) of `width` columns addresses in this model: the routed
    /// experts' neurons when `width` is experts × expert width, else the dense `mlp.hook_act` (a dense model,
    /// Qwen2-MoE's shared expert and dense layers) when it is the MLP width. Expert neurons win a tie, which no
    /// known model has. Throws naming both widths otherwise.
    ///
    /// ```swift
    /// try model.config.neuronLayout(width: 192)   // .experts(width: 48) for the tiny Mixtral (4 × 48)
    /// try model.config.neuronLayout(width: 2048)  // .mlp for Gemma-3-270M
    /// ```
    public func neuronLayout(width: Int, source: String = "masks") throws -> NeuronLayout {
        if case let .experts(e) = block.mlp {
            if width == e.count * e.width { return .experts(width: e.width) }
            if width == intermediateSize, e.sharedExpert || !e.denseLayers.isEmpty { return .mlp }
            let dense = e.sharedExpert || !e.denseLayers.isEmpty ? " or the shared/dense MLP's \(intermediateSize)" : ""
            throw ModelError.invalidConfig(source, "\(width) neurons per layer, but this model has \(e.count) experts × \(e.width) = \(e.count * e.width) expert neurons\(dense); use masks of this model")
        }
        guard width == intermediateSize else {
            throw ModelError.invalidConfig(source, "\(width) neurons per layer, but the model has \(intermediateSize); use masks of this model")
        }
        return .mlp
    }
}
