import LNAAnalysis
import LNAHooks

/// Accumulates the statistics of routed-expert neurons (`--site blocks.*.mlp.experts.hook_act`): neuron (l, e, j)
/// is column e·W + j of `[layers, experts · W]` buffers, counted over the tokens routed to expert e only:
/// `over_zero` (value > 0), `sum_act` (Σ value) and `sum_weighted_act` (Σ routing weight · value), for the full
/// texts and the instruction prefixes. The value is what `mlp.experts.{e}.hook_act` sees (before any routing
/// weight); the row of the batch and the weight of each of its rows come from the routing of the same layer,
/// which the forward hands out just before the experts run (`ExpertChoices.assignments`).
///
/// `totalTokens` counts every token, as for dense sites; a neuron's denominator is its expert's routing count.
///
/// ```swift
/// let counter = ExpertNeuronCounter(layers: 2, experts: 4, expertWidth: 48, recordsPrefix: false, recordsSums: true)
/// try counter.attach(to: hooks, site: "blocks.*.mlp.experts.hook_act")
/// counter.begin(batchSequences)
/// _ = try model.forward(TokenBatch(batchSequences.map(\.tokens)), hooks: hooks, logits: .none)
/// counter.full.overZero[1 * 4 * 48 + 2 * 48 + 7]   // layer 1, expert 2, neuron 7
/// ```
public final class ExpertNeuronCounter {
    public let layers: Int
    public let experts: Int
    public let expertWidth: Int
    public private(set) var full: ActivationCounts
    public private(set) var prefix: ActivationCounts?
    /// Expert tensors that did not fit the routing or the width (must stay 0).
    public private(set) var mismatchedTensors = 0
    private var isFull: [Bool] = []
    private var isPrefix: [Bool] = []
    /// The layer whose routing came last, and its rows per expert.
    private var routedLayer = -1
    private var assigned: [[(row: Int, weight: Float)]] = []

    /// Neurons per layer: experts × expert width.
    public var width: Int { experts * expertWidth }

    public init(layers: Int, experts: Int, expertWidth: Int, recordsPrefix: Bool, recordsSums: Bool) {
        self.layers = layers
        self.experts = experts
        self.expertWidth = expertWidth
        let n = layers * experts * expertWidth
        let sums = recordsSums ? [Double](repeating: 0, count: n) : nil
        full = ActivationCounts(overZero: [Int64](repeating: 0, count: n), totalTokens: 0, sumActivation: sums,
                                sumWeightedActivation: sums)
        prefix = recordsPrefix ? full : nil
    }

    /// Continues from saved counts (a checkpoint).
    public init(full: ActivationCounts, prefix: ActivationCounts?, layers: Int, experts: Int, expertWidth: Int) {
        self.layers = layers
        self.experts = experts
        self.expertWidth = expertWidth
        self.full = full
        self.prefix = prefix
    }

    /// Observes the routing and `site` (a per-layer pattern of every expert: `blocks.*.mlp.experts.hook_act`).
    public func attach(to hooks: HookSet, site: String) throws {
        hooks.observeRouting { [unowned self] choices in
            self.routedLayer = choices.layer
            self.assigned = choices.assignments
        }
        try hooks.observe(site) { [unowned self] tensor in self.accumulate(tensor) }
    }

    /// Sets the row layout of the next forward call and adds its token totals.
    public func begin(_ sequences: some Collection<RecordingSequence>) {
        let rows = BatchRows(sequences, recordsPrefix: prefix != nil)
        isFull = rows.flags(rows.full)
        isPrefix = rows.flags(rows.prefix)
        full.totalTokens += Int64(rows.fullTokens)
        prefix?.totalTokens += Int64(rows.prefixTokens)
        routedLayer = -1
    }

    private func accumulate(_ tensor: HookTensor) {
        guard let layer = tensor.point.layer, let expert = tensor.point.expert, layer < layers, layer == routedLayer,
              expert < experts, tensor.columns == expertWidth, tensor.rows == assigned[expert].count else {
            mismatchedTensors += 1
            return
        }
        let offset = layer * width + expert * expertWidth
        for (i, routed) in assigned[expert].enumerated() where routed.row < isFull.count {
            let values = UnsafePointer(tensor.values + i * expertWidth)
            if isFull[routed.row] { add(values, weight: routed.weight, at: offset, into: &full) }
            if isPrefix[routed.row] { add(values, weight: routed.weight, at: offset, into: &prefix!) }
        }
    }

    private func add(_ values: UnsafePointer<Float>, weight: Float, at offset: Int, into counts: inout ActivationCounts) {
        for j in 0..<expertWidth where values[j] > 0 { counts.overZero[offset + j] += 1 }
        guard counts.sumActivation != nil else { return }
        let w = Double(weight)
        for j in 0..<expertWidth {
            let v = Double(values[j])
            counts.sumActivation![offset + j] += v
            counts.sumWeightedActivation![offset + j] += w * v
        }
    }
}
