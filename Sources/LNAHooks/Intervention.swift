/// An edit of a hook tensor, as plain data so that a run can be saved and repeated from the CLI.
///
/// Interventions on one point apply in the order they were added (deactivate before activate, as in
/// Gurgurov et al.); observers of that point then see the edited tensor.
///
/// ```swift
/// // Switch off neurons 5 and 9 of layer 3 at every position:
/// let off = Intervention(hook: "blocks.3.mlp.hook_act", neurons: .indices([5, 9]), operation: .zero)
/// ```
public struct Intervention: Codable, Sendable, Equatable {
    /// A hook name or pattern (`blocks.*.mlp.hook_act` applies the same edit at every layer).
    public var hook: String
    public var neurons: NeuronSelection
    public var positions: PositionSelection
    public var operation: Operation

    public init(hook: String, neurons: NeuronSelection = .all, positions: PositionSelection = .all,
                operation: Operation) {
        self.hook = hook
        self.neurons = neurons
        self.positions = positions
        self.operation = operation
    }

    /// What to do to each selected value `a`.
    public enum Operation: Codable, Sendable, Equatable {
        /// a = 0
        case zero
        /// a = c
        case set(Float)
        /// a = c_i for the i-th selected neuron (one value per selected neuron)
        case setEach([Float])
        /// a = f · a
        case scale(Float)
        /// a = a + c
        case add(Float)
        /// a = a + coefficient · v_i for the i-th selected neuron
        case addEach([Float], coefficient: Float)
        /// a = min(max(a, lo), hi)
        case clamp(lo: Float, hi: Float)
        /// a = −a
        case invert
    }
}

/// Which columns (neurons, or model dimensions) of a hook tensor an intervention touches.
public enum NeuronSelection: Codable, Sendable, Equatable {
    case all
    /// Column indices; need not be sorted, must be unique and in range.
    case indices([Int])
}

/// Which rows (token positions) an intervention touches.
public enum PositionSelection: Codable, Sendable, Equatable {
    case all
    /// Rows of the prompt (prefill) only.
    case prompt
    /// Rows of generated tokens (decode steps) only.
    case generated
    /// Absolute positions within each sequence.
    case positions([Int])
}

extension Intervention {
    /// Checks the intervention against the width of its tensor; throws a clear error when it cannot apply.
    public func validate(columns: Int) throws {
        if case let .indices(indices) = neurons {
            if let bad = indices.first(where: { $0 < 0 || $0 >= columns }) {
                throw HookError.invalidIntervention("\(hook): neuron \(bad) is outside 0..<\(columns)")
            }
            if Set(indices).count != indices.count {
                throw HookError.invalidIntervention("\(hook): neuron indices repeat")
            }
        }
        let selected: Int
        switch neurons {
        case .all: selected = columns
        case let .indices(indices): selected = indices.count
        }
        switch operation {
        case let .setEach(values) where values.count != selected,
             let .addEach(values, _) where values.count != selected:
            throw HookError.invalidIntervention(
                "\(hook): \(values.count) values given for \(selected) selected neurons")
        default: break
        }
    }

    /// Applies the edit to the rows of `tensor` that the position selection picks.
    public func apply(to tensor: HookTensor) {
        for row in 0..<tensor.rows where positions.selects(row: row, of: tensor) {
            let values = tensor.values + row * tensor.columns
            switch neurons {
            case .all:
                for column in 0..<tensor.columns { values[column] = operation.apply(values[column], index: column) }
            case let .indices(indices):
                for (i, column) in indices.enumerated() { values[column] = operation.apply(values[column], index: i) }
            }
        }
    }
}

extension Intervention.Operation {
    @inline(__always)
    func apply(_ a: Float, index i: Int) -> Float {
        switch self {
        case .zero: return 0
        case let .set(c): return c
        case let .setEach(values): return values[i]
        case let .scale(f): return f * a
        case let .add(c): return a + c
        case let .addEach(values, coefficient): return a + coefficient * values[i]
        case let .clamp(lo, hi): return min(max(a, lo), hi)
        case .invert: return -a
        }
    }
}

extension PositionSelection {
    func selects(row: Int, of tensor: HookTensor) -> Bool {
        switch self {
        case .all: return true
        case .prompt: return tensor.context.phase == .prompt
        case .generated: return tensor.context.phase == .generated
        case let .positions(list): return list.contains(tensor.context.positions[tensor.rowOffset + row])
        }
    }
}
