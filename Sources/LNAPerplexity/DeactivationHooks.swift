import LNAHooks

/// Builds the hooks that switch off a set of neurons: `blocks.L.mlp.hook_act` set to a value at every position.
///
/// ```swift
/// let hooks = try DeactivationHooks.make(layerLists: lists, value: 0, layerCount: model.config.layerCount)
/// let score = try model.score(tokens: ids, hooks: hooks)
/// ```
public enum DeactivationHooks {
    /// The interventions, one per layer with at least one neuron.
    public static func interventions(layerLists: [[Int]], value: Float) -> [Intervention] {
        layerLists.enumerated().compactMap { layer, neurons in
            neurons.isEmpty ? nil : Intervention(hook: "blocks.\(layer).mlp.hook_act", neurons: .indices(neurons),
                                                 positions: .all, operation: value == 0 ? .zero : .set(value))
        }
    }

    /// A hook set with those interventions, or nil when there is nothing to switch off (the baseline).
    public static func make(layerLists: [[Int]]?, value: Float, layerCount: Int) throws -> HookSet? {
        guard let layerLists else { return nil }
        guard layerLists.count == layerCount else {
            throw PerplexityError.shapeMismatch("masks have \(layerLists.count) layers, the model has \(layerCount)")
        }
        let plan = interventions(layerLists: layerLists, value: value)
        guard !plan.isEmpty else { return nil }
        let hooks = HookSet(layerCount: layerCount)
        try hooks.intervene(plan)
        return hooks
    }
}
