/// The routing one mixture-of-experts layer decided in one forward call: for every row, its `topK` experts in
/// rank order (by routing probability, ties to the lower expert index) with their routing weights (the
/// probabilities, renormalised over the chosen experts when the model says so).
///
/// The forward computes it once per layer (after any edit at `mlp.hook_router`) and hands it to the observers
/// added with `HookSet.observeRouting`, before the experts run; the rows of `mlp.experts.{e}.hook_act` in that
/// layer are then `rows(of: e)`, in that order.
///
/// ```swift
/// let hooks = HookSet(layerCount: model.config.layerCount)
/// hooks.observeRouting { choices in
///     for row in 0..<choices.rows { print(choices.expert(row: row, rank: 0), choices.weight(row: row, rank: 0)) }
/// }
/// _ = try model.forward(TokenBatch([ids]), hooks: hooks, logits: .none)
/// ```
public struct ExpertChoices: Sendable {
    public let layer: Int
    /// Routed experts in the layer.
    public let experts: Int
    /// Experts chosen per row.
    public let topK: Int
    /// Rows of the forward call (all positions of all packed sequences).
    public let rows: Int
    /// `rows × topK`, row-major: the expert of rank r of row i at `i·topK + r`.
    public let chosen: [Int]
    /// `rows × topK`, row-major: the routing weight of that choice.
    public let weights: [Float]
    /// Positions and sequence indices of the rows.
    public let context: HookContext

    public init(layer: Int, experts: Int, topK: Int, chosen: [Int], weights: [Float], context: HookContext) {
        precondition(topK > 0 && chosen.count == weights.count && chosen.count % topK == 0,
                     "ExpertChoices: chosen and weights must both hold rows × topK values")
        self.layer = layer
        self.experts = experts
        self.topK = topK
        self.rows = chosen.count / topK
        self.chosen = chosen
        self.weights = weights
        self.context = context
    }

    /// The expert of rank `rank` (0: the most probable) of row `row`.
    public func expert(row: Int, rank: Int) -> Int { chosen[row * topK + rank] }

    /// The routing weight of the expert of rank `rank` of row `row`.
    public func weight(row: Int, rank: Int) -> Float { weights[row * topK + rank] }

    /// Per expert, the rows routed to it (increasing) with their routing weights: the rows, in order, of
    /// `mlp.experts.{e}.hook_act`.
    public var assignments: [[(row: Int, weight: Float)]] {
        var assigned = [[(row: Int, weight: Float)]](repeating: [], count: experts)
        for row in 0..<rows {
            for rank in 0..<topK { assigned[chosen[row * topK + rank]].append((row, weights[row * topK + rank])) }
        }
        return assigned
    }
}
