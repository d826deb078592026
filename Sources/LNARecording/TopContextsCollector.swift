import LNAAnalysis
import LNAHooks

/// Keeps, per neuron of a hook site, the K largest values with where they happened (`lna activation
/// --top-contexts K`), over the rows of full texts (instruction-only rows of two-pass data are not contexts).
///
/// Per token and neuron the cost is one comparison with the neuron's current K-th value (its threshold, −∞ until
/// K values are kept); only a value that beats it is inserted into the neuron's K sorted slots. Ties go to the
/// earlier token (`TopContexts.Entry.ranksBefore`), which makes the result independent of sharding.
///
/// ```swift
/// let top = TopContextsCollector(layers: 18, width: 2048, k: 10)
/// try top.attach(to: hooks, site: "blocks.*.mlp.hook_act")
/// top.begin(batchSequences, firstIndex: plan.batches[b].lowerBound)
/// _ = try model.forward(TokenBatch(batchSequences.map(\.tokens)), hooks: hooks, logits: .none)
/// let result = try top.contexts(metadata: ["language": "en"], sequences: input.sequences)
/// ```
public final class TopContextsCollector {
    public let layers: Int
    public let width: Int
    public let k: Int
    private var values: [Float]
    private var sequences: [Int32]
    private var positions: [Int32]
    /// The K-th kept value of each neuron (−∞ while fewer than K are kept).
    private var thresholds: [Float]
    /// Per row of the current forward call: global sequence index (−1: not a full-text row) and position.
    private var rowSequence: [Int32] = []
    private var rowPosition: [Int32] = []

    public init(layers: Int, width: Int, k: Int) {
        self.layers = layers
        self.width = width
        self.k = k
        let slots = layers * width * k
        values = [Float](repeating: -.infinity, count: slots)
        sequences = [Int32](repeating: -1, count: slots)
        positions = [Int32](repeating: -1, count: slots)
        thresholds = [Float](repeating: -.infinity, count: layers * width)
    }

    /// Continues from saved slots (a checkpoint).
    public convenience init(restoring top: TopContexts) {
        self.init(layers: top.layers, width: top.width, k: top.k)
        values = top.values
        sequences = top.sequences.map { Int32(truncatingIfNeeded: $0) }
        positions = top.positions.map { Int32(truncatingIfNeeded: $0) }
        for n in 0..<(layers * width) { thresholds[n] = values[n * k + k - 1] }
    }

    public func attach(to hooks: HookSet, site: String) throws {
        try hooks.observe(site) { [unowned self] tensor in self.observe(tensor) }
    }

    /// Sets the row layout of the next forward call: `batch` are sequences `firstIndex…` of the whole input.
    public func begin(_ batch: some Collection<RecordingSequence>, firstIndex: Int) {
        rowSequence.removeAll(keepingCapacity: true)
        rowPosition.removeAll(keepingCapacity: true)
        for (offset, s) in batch.enumerated() {
            let index = Int32(truncatingIfNeeded: firstIndex + offset)
            for p in 0..<s.tokens.count {
                rowSequence.append(s.countsAsFull ? index : -1)
                rowPosition.append(Int32(truncatingIfNeeded: p))
            }
        }
    }

    private func observe(_ tensor: HookTensor) {
        guard let layer = tensor.point.layer, layer < layers, tensor.columns == width else { return }
        let w = width
        thresholds.withUnsafeMutableBufferPointer { t in
            let layerThresholds = t.baseAddress! + layer * w
            for r in 0..<tensor.rows {
                let row = tensor.rowOffset + r
                guard row < rowSequence.count, rowSequence[row] >= 0 else { continue }
                let v = tensor.values + r * w
                for j in 0..<w where v[j] >= layerThresholds[j] {
                    insert(v[j], neuron: layer * w + j, sequence: rowSequence[row], position: rowPosition[row],
                           threshold: layerThresholds + j)
                }
            }
        }
    }

    /// Inserts into the neuron's sorted slots if the entry ranks before the last one.
    private func insert(_ value: Float, neuron: Int, sequence: Int32, position: Int32,
                        threshold: UnsafeMutablePointer<Float>) {
        let base = neuron * k
        func ranksBefore(_ i: Int) -> Bool {
            if sequences[i] < 0 { return true }
            if value != values[i] { return value > values[i] }
            if sequence != sequences[i] { return sequence < sequences[i] }
            return position < positions[i]
        }
        guard ranksBefore(base + k - 1) else { return }
        var slot = base + k - 1
        while slot > base && ranksBefore(slot - 1) {
            values[slot] = values[slot - 1]
            sequences[slot] = sequences[slot - 1]
            positions[slot] = positions[slot - 1]
            slot -= 1
        }
        values[slot] = value
        sequences[slot] = sequence
        positions[slot] = position
        threshold.pointee = values[base + k - 1]
    }

    /// The kept slots with the token ids of the sequences they point into (`sequences`: the whole input).
    public func contexts(metadata: [String: String], sequences input: [RecordingSequence]) throws -> TopContexts {
        var tokens: [Int: [Int]] = [:]
        for s in Set(sequences) where s >= 0 && Int(s) < input.count { tokens[Int(s)] = input[Int(s)].tokens }
        return try TopContexts(metadata: metadata, layers: layers, width: width, k: k, values: values,
                               sequences: sequences.map(Int.init), positions: positions.map(Int.init),
                               sequenceTokens: tokens, source: "top contexts of \(metadata["language"] ?? "?")")
    }
}
