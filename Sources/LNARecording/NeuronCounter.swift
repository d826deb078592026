import LNAAnalysis
import LNAHooks
import LNATensor

/// Accumulates per-neuron statistics from a hook site: tokens with value > 0, token totals and (optionally)
/// value sums, for the full texts and for the instruction prefixes, as `[layers, width]` buffers.
///
/// Attach it to a `HookSet`, call `begin(_:)` with the sequences of each forward call, and read `counts`
/// at the end. Rows are routed by the batch layout (row ranges of each packed sequence), so one forward call
/// can feed full and prefix statistics at once.
///
/// ```swift
/// let counter = NeuronCounter(layers: 18, width: 2048, recordsPrefix: false, recordsSums: true)
/// try counter.attach(to: hooks, site: "blocks.*.mlp.hook_act")
/// counter.begin(batchSequences)
/// _ = try model.forward(TokenBatch(batchSequences.map(\.tokens)), hooks: hooks, logits: .none)
/// counter.full.totalTokens
/// ```
public final class NeuronCounter {
    public let layers: Int
    public let width: Int
    public private(set) var full: ActivationCounts
    public private(set) var prefix: ActivationCounts?
    /// Tensors that arrived with a width other than `width` (a wrong site/width pairing); must stay 0.
    public private(set) var mismatchedTensors = 0
    private var rows = BatchRows()

    public init(layers: Int, width: Int, recordsPrefix: Bool, recordsSums: Bool) {
        self.layers = layers
        self.width = width
        let n = layers * width
        full = ActivationCounts(overZero: [Int64](repeating: 0, count: n), totalTokens: 0,
                                sumActivation: recordsSums ? [Double](repeating: 0, count: n) : nil)
        prefix = recordsPrefix ? full : nil
    }

    /// Continues from saved counts (a checkpoint).
    public init(full: ActivationCounts, prefix: ActivationCounts?, layers: Int, width: Int) {
        self.layers = layers
        self.width = width
        self.full = full
        self.prefix = prefix
    }

    /// Observes `site` (a per-layer pattern such as `blocks.*.mlp.hook_act`).
    public func attach(to hooks: HookSet, site: String) throws {
        try hooks.observe(site) { [unowned self] tensor in self.accumulate(tensor) }
    }

    /// Sets the row layout of the next forward call and adds its token totals.
    public func begin(_ sequences: some Collection<RecordingSequence>) {
        rows = BatchRows(sequences, recordsPrefix: prefix != nil)
        full.totalTokens += Int64(rows.fullTokens)
        prefix?.totalTokens += Int64(rows.prefixTokens)
    }

    private func accumulate(_ tensor: HookTensor) {
        guard let layer = tensor.point.layer, layer < layers, tensor.columns == width else {
            mismatchedTensors += 1
            return
        }
        let tensorRows = tensor.rowOffset..<tensor.rowOffset + tensor.rows
        Self.add(tensor, rows: tensorRows, runs: rows.full, layer: layer, width: width, into: &full)
        if prefix != nil { Self.add(tensor, rows: tensorRows, runs: rows.prefix, layer: layer, width: width, into: &prefix!) }
    }

    private static func add(_ tensor: HookTensor, rows: Range<Int>, runs: [Range<Int>], layer: Int, width: Int,
                            into counts: inout ActivationCounts) {
        let offset = layer * width
        for run in runs {
            let part = run.clamped(to: rows)
            guard !part.isEmpty else { continue }
            let values = UnsafePointer(tensor.values + (part.lowerBound - rows.lowerBound) * width)
            counts.overZero.withUnsafeMutableBufferPointer { c in
                accumulatePositiveCounts(values: values, rows: part.count, columns: width, into: c.baseAddress! + offset)
            }
            if counts.sumActivation != nil {
                counts.sumActivation!.withUnsafeMutableBufferPointer { s in
                    accumulateColumnSums(values: values, rows: part.count, columns: width, into: s.baseAddress! + offset)
                }
            }
        }
    }
}
