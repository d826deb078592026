import LNAAnalysis
import LNAHooks

/// What `ActivationRecorder` needs of a counter of one hook site: attach it, tell it each forward call's rows,
/// read its counts. `NeuronCounter` counts a dense site (every token), `ExpertNeuronCounter` the routed experts.
///
/// ```swift
/// let counter: any StatisticsCounter = NeuronCounter(layers: 18, width: 2048, recordsPrefix: false, recordsSums: true)
/// try counter.attach(to: hooks, site: "blocks.*.mlp.hook_act")
/// ```
public protocol StatisticsCounter: AnyObject {
    var full: ActivationCounts { get }
    var prefix: ActivationCounts? { get }
    /// Tensors that did not fit the counter (a wrong site/width pairing); must stay 0.
    var mismatchedTensors: Int { get }
    func attach(to hooks: HookSet, site: String) throws
    /// Sets the row layout of the next forward call and adds its token totals.
    func begin(_ sequences: some Collection<RecordingSequence>)
}

extension NeuronCounter: StatisticsCounter {}
extension ExpertNeuronCounter: StatisticsCounter {}
