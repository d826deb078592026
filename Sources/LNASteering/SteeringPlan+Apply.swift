import LNAHooks

extension SteeringPlan {
    /// Hooks carrying this plan's interventions, ready for `model.generate(..., hooks:)` or `model.score`.
    ///
    /// ```swift
    /// let hooks = try plan.hookSet(layerCount: model.config.layerCount)
    /// ```
    public func hookSet(layerCount: Int) throws -> HookSet {
        guard layerCount == layers else {
            throw SteeringError.shapeMismatch("the plan is for \(layers) layers, the model has \(layerCount)")
        }
        let hooks = HookSet(layerCount: layerCount)
        try hooks.intervene(interventions)
        return hooks
    }

    /// Applies the plan to one layer's activations as the forward pass would (through a `HookSet`): `values` is
    /// row-major `rows × width`. For tests and for checking a plan without a model.
    ///
    /// ```swift
    /// var a: [Float] = [0.40, -0.10, 0.00, 1.20, 0.05]
    /// try plan.apply(to: &a, layer: 0)
    /// ```
    public func apply(to values: inout [Float], layer: Int, generated: Bool = false) throws {
        guard values.count % width == 0, layer >= 0, layer < layers else {
            throw SteeringError.shapeMismatch("\(values.count) values for width \(width) at layer \(layer) of \(layers)")
        }
        let rows = values.count / width
        let hooks = try hookSet(layerCount: layers)
        let site = HookSite(rawValue: request.site) ?? .mlpAct
        let context = HookContext(phase: generated ? .generated : .prompt, positions: Array(0..<rows),
                                  sequenceIndices: [Int](repeating: 0, count: rows))
        let width = self.width
        try values.withUnsafeMutableBufferPointer { buffer in
            try hooks.fire(HookTensor(point: HookPoint(site, layer: layer), values: buffer.baseAddress!,
                                      rows: rows, columns: width, context: context))
        }
    }
}

extension SteeringPlan {
    /// The interventions placed for a neuron layout: for expert neurons (`.experts(width:)`) each edit of
    /// `blocks.ℓ.mlp.hook_act` becomes one edit per expert on `blocks.ℓ.mlp.experts.e.hook_act`, carrying its
    /// neurons' share of any per-neuron values; other layouts and hooks are unchanged.
    ///
    /// ```swift
    /// let edits = plan.interventions(for: try model.config.neuronLayout(width: plan.width))
    /// ```
    public func interventions(for layout: NeuronLayout) -> [Intervention] {
        guard case .experts = layout else { return interventions }
        return interventions.flatMap { edit -> [Intervention] in
            let parts = edit.hook.split(separator: ".")
            guard parts.count == 4, parts[0] == "blocks", let layer = Int(parts[1]), parts[2] == "mlp", parts[3] == "hook_act" else {
                return [edit]
            }
            let columns: [Int]
            switch edit.neurons {
            case .all: columns = Array(0..<width)
            case let .indices(list): columns = list
            }
            return layout.interventions(layer: layer, columns: columns, positions: edit.positions) { edit.operation.restricted(to: $0) }
        }
    }
}
