import LNAHooks

/// Builds the hooks that switch off a set of units at every position: MLP neurons (`blocks.L.mlp.hook_act`) or
/// expert neurons (`blocks.L.mlp.experts.E.hook_act`) set to a value, or experts removed from the router
/// (`blocks.L.mlp.hook_router` logit set to −∞ before the softmax, whatever the value).
///
/// ```swift
/// let hooks = try DeactivationHooks.make(layerLists: lists, value: 0, layerCount: model.config.layerCount)
/// let score = try model.score(tokens: ids, hooks: hooks)
/// ```
public enum DeactivationHooks {
    /// The interventions, one per hook with at least one unit.
    public static func interventions(layerLists: [[Int]], value: Float, layout: NeuronLayout = .mlp) -> [Intervention] {
        let operation: Intervention.Operation = layout == .router ? .set(-.infinity) : value == 0 ? .zero : .set(value)
        return layerLists.enumerated().flatMap { layer, units in
            layout.interventions(layer: layer, columns: units) { _ in operation }
        }
    }

    /// A hook set with those interventions, or nil when there is nothing to switch off (the baseline).
    public static func make(layerLists: [[Int]]?, value: Float, layerCount: Int, layout: NeuronLayout = .mlp) throws -> HookSet? {
        guard let layerLists else { return nil }
        guard layerLists.count == layerCount else {
            throw PerplexityError.shapeMismatch("masks have \(layerLists.count) layers, the model has \(layerCount)")
        }
        let plan = interventions(layerLists: layerLists, value: value, layout: layout)
        guard !plan.isEmpty else { return nil }
        let hooks = HookSet(layerCount: layerCount)
        try hooks.intervene(plan)
        return hooks
    }
}
