import Foundation
import LNAHooks
import LNATensor

/// The packed weights of one mixture-of-experts layer: the router and every routed expert (a gated MLP of
/// `Experts.width`); Qwen2-MoE's shared expert is the layer's dense MLP (`FastLayer.gate/up/down`) plus the
/// gate vector here.
struct ExpertLayer: @unchecked Sendable {
    let router: Projection
    let experts: [(gate: Projection, up: Projection, down: Projection)]
    /// `shared_expert_gate` (d floats), nil without a shared expert.
    let sharedExpertGate: [Float]?

    init(loader: WeightLoader, layer l: Int, storage: WeightStorage) throws {
        let c = loader.config
        guard case let .experts(e) = c.block.mlp else {
            throw ModelError.invalidConfig(loader.sourceName, "expert weights asked of a model without experts")
        }
        router = try Projection(loader, .router, layer: l, outputs: e.count, inputs: c.hiddenSize, storage: storage)
        experts = try (0..<e.count).map { expert in
            func packed(_ tensor: ExpertTensor) throws -> Projection {
                let shape = tensor.shape(in: c, width: e.width)
                return try Projection(weight: loader.loadExpert(tensor, layer: l, expert: expert),
                                      outputs: shape[0], inputs: shape[1], storage: storage)
            }
            return (try packed(.gate), try packed(.up), try packed(.down))
        }
        sharedExpertGate = WeightRole.sharedExpertGate.isPresent(in: c, layer: l)
            ? try loader.load(.sharedExpertGate, layer: l) : nil
    }

    var byteCount: Int {
        router.byteCount + experts.reduce(0) { $0 + $1.gate.byteCount + $1.up.byteCount + $1.down.byteCount }
    }
}

/// Which experts each token goes to, with what weight: softmax of the router logits in float32, the top k
/// probabilities (ties to the lower expert index), renormalised to sum 1 when the recipe says so. The one place
/// routing is computed: the forward runs the experts from `assigned`, and hands `choices` to routing observers
/// (`HookSet.observeRouting`, what `lna activation` counts).
///
/// ```swift
/// let r = ExpertRouting(logits: logits, tokens: 3, experts: 8, topK: 2, normalize: true, layer: 0, context: context)
/// r.assigned[5]          // [(row: 0, weight: 0.61), …]: the rows expert 5 runs on
/// r.choices.expert(row: 0, rank: 0)
/// ```
struct ExpertRouting {
    /// Every row's experts in rank order with their weights.
    let choices: ExpertChoices
    /// Per expert, the rows routed to it (increasing) and their routing weights.
    let assigned: [[(row: Int, weight: Float)]]

    init(logits: [Float], tokens: Int, experts: Int, topK: Int, normalize: Bool, layer: Int, context: HookContext) {
        var chosen: [Int] = [], weights: [Float] = []
        chosen.reserveCapacity(tokens * topK)
        weights.reserveCapacity(tokens * topK)
        for r in 0..<tokens {
            let row = Array(logits[(r * experts)..<((r + 1) * experts)])
            let probabilities = Self.softmax(row)
            let top = (0..<experts).sorted { probabilities[$0] > probabilities[$1] || probabilities[$0] == probabilities[$1] && $0 < $1 }
                .prefix(topK)
            var total: Float = 0
            for e in top { total += probabilities[e] }
            for e in top {
                chosen.append(e)
                weights.append(normalize ? probabilities[e] / total : probabilities[e])
            }
        }
        choices = ExpertChoices(layer: layer, experts: experts, topK: topK, chosen: chosen, weights: weights, context: context)
        assigned = choices.assignments
    }

    /// Float32 softmax as torch computes it (max subtracted); a −∞ logit gets probability 0.
    static func softmax(_ x: [Float]) -> [Float] {
        let top = x.max() ?? 0
        let exps = x.map { Foundation.exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

extension Model {
    /// A mixture-of-experts MLP from `h` into `o`: router logits (`mlp.hook_router`), the top-k routing (handed to
    /// the routing observers), each expert on its tokens (`mlp.experts.{e}.hook_act`), weighted and summed in expert
    /// order; plus the shared expert scaled by sigmoid(shared_expert_gate · h) when there is one (its `act(gate)` is
    /// `mlp.hook_act`).
    func expertSublayer(_ l: Int, _ w: FastLayer, _ layer: ExpertLayer, _ e: BlockRecipe.Experts,
                        _ s: inout ForwardState, context: HookContext, hooks: HookSet?) throws {
        let c = config, t = s.rows, d = c.hiddenSize
        var logits = [Float](repeating: 0, count: t * e.count)
        layer.router.apply(s.h, rows: t, into: &logits)
        try fire(hooks, .mlpRouter, l, &logits, e.count, context)
        let routing = ExpertRouting(logits: logits, tokens: t, experts: e.count, topK: e.topK, normalize: e.normalizeTopK,
                                    layer: l, context: context)
        if let hooks, hooks.observesRouting { hooks.fire(routing.choices) }
        var routed = [Float](repeating: 0, count: t * d)
        for (expert, rows) in routing.assigned.enumerated() where !rows.isEmpty {
            let y = try runExpert(l, expert, layer.experts[expert], width: e.width, activation: e.activation,
                                  rows: rows.map(\.row), s.h, context: context, hooks: hooks)
            for (i, assignment) in rows.enumerated() {
                for j in 0..<d { routed[assignment.row * d + j] += y[i * d + j] * assignment.weight }
            }
        }
        if let sharedGate = layer.sharedExpertGate {
            try gatedMLP(l, w, e.activation, &s, context: context, hooks: hooks)
            for r in 0..<t {
                var z: Float = 0
                for j in 0..<d { z += sharedGate[j] * s.h[r * d + j] }
                let g = 1 / (1 + Foundation.exp(-z))
                for j in 0..<d { s.o[r * d + j] = routed[r * d + j] + g * s.o[r * d + j] }
            }
        } else {
            s.o = routed
        }
    }

    /// One expert's `down(act(gate(x)) · up(x))` on the rows routed to it (`[rows, d]` out).
    private func runExpert(_ l: Int, _ expert: Int, _ w: (gate: Projection, up: Projection, down: Projection),
                           width: Int, activation: BlockRecipe.Activation, rows: [Int], _ h: [Float],
                           context: HookContext, hooks: HookSet?) throws -> [Float] {
        let d = config.hiddenSize, n = rows.count
        var x = [Float](repeating: 0, count: n * d)
        for (i, r) in rows.enumerated() { for j in 0..<d { x[i * d + j] = h[r * d + j] } }
        var gate = [Float](repeating: 0, count: n * width), up = gate
        try gate.withUnsafeMutableBufferPointer { g in
            try up.withUnsafeMutableBufferPointer { u in
                try Projection.apply([w.gate, w.up], to: x, rows: n, into: [g.baseAddress!, u.baseAddress!])
            }
        }
        Self.activate(&gate, activation)
        if let hooks, hooks.isActive(.expertAct, layer: l) {
            let expertContext = HookContext(phase: context.phase, positions: rows.map { context.positions[$0] },
                                            sequenceIndices: rows.map { context.sequenceIndices[$0] })
            try gate.withUnsafeMutableBufferPointer { b in
                try hooks.fire(HookTensor(point: HookPoint(.expertAct, layer: l, expert: expert), values: b.baseAddress!,
                                          rows: n, columns: width, context: expertContext))
            }
        }
        Ops.multiply(&up, gate)
        var y = [Float](repeating: 0, count: n * d)
        w.down.apply(up, rows: n, into: &y)
        return y
    }
}
