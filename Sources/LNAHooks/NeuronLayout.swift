/// Where the columns of a mask layer live in the forward pass: one `[layers, width]` grid of units, three
/// placements. Masks, deactivation and steering address a unit as (layer ℓ, column c); the layout turns the
/// columns of a layer into per-hook interventions.
///
/// | layout | unit (ℓ, c) | hook and column |
/// |---|---|---|
/// | `mlp` | MLP neuron | `blocks.ℓ.mlp.hook_act`, c |
/// | `experts(width: W)` | neuron j of expert e, c = e·W + j | `blocks.ℓ.mlp.experts.e.hook_act`, j |
/// | `router` | expert e = c | `blocks.ℓ.mlp.hook_router`, e (a logit of −∞ removes the expert) |
///
/// ```swift
/// NeuronLayout.experts(width: 48).groups(layer: 1, columns: [3, 50, 51])
/// // [("blocks.1.mlp.experts.0.hook_act", [3], [0]), ("blocks.1.mlp.experts.1.hook_act", [2, 3], [1, 2])]
/// ```
public enum NeuronLayout: Sendable, Equatable, Codable {
    case mlp
    case experts(width: Int)
    case router

    /// The hook of a column of layer `layer` and the column within that hook's tensor.
    public func place(layer: Int, column c: Int) -> (hook: String, column: Int) {
        switch self {
        case .mlp: return ("blocks.\(layer).mlp.hook_act", c)
        case .experts(let w): return ("blocks.\(layer).mlp.experts.\(c / w).hook_act", c % w)
        case .router: return ("blocks.\(layer).mlp.hook_router", c)
        }
    }

    /// The columns of one layer grouped by hook, in the order of their first column; `positions` are the
    /// indices into `columns` of each group (to pick per-column values such as steering means).
    public func groups(layer: Int, columns: [Int]) -> [(hook: String, columns: [Int], positions: [Int])] {
        var out: [(hook: String, columns: [Int], positions: [Int])] = []
        var index: [String: Int] = [:]
        for (i, c) in columns.enumerated() {
            let (hook, column) = place(layer: layer, column: c)
            if let g = index[hook] {
                out[g].columns.append(column); out[g].positions.append(i)
            } else {
                index[hook] = out.count
                out.append((hook, [column], [i]))
            }
        }
        return out
    }

    /// The interventions that apply `operation` (built per group from the positions of its columns) to the
    /// given columns of a layer.
    public func interventions(layer: Int, columns: [Int], positions: PositionSelection = .all,
                              operation: ([Int]) -> Intervention.Operation) -> [Intervention] {
        groups(layer: layer, columns: columns).map {
            Intervention(hook: $0.hook, neurons: .indices($0.columns), positions: positions, operation: operation($0.positions))
        }
    }
}

extension Intervention.Operation {
    /// The operation restricted to some of its selected neurons (by position in the selection): per-neuron
    /// values (`setEach`, `addEach`) keep those positions' values, other operations are unchanged.
    public func restricted(to positions: [Int]) -> Intervention.Operation {
        switch self {
        case let .setEach(values): return .setEach(positions.map { values[$0] })
        case let .addEach(values, coefficient): return .addEach(positions.map { values[$0] }, coefficient: coefficient)
        default: return self
        }
    }
}
