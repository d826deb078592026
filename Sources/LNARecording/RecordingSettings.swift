import LNAFiles
import LNAAnalysis
import LNAHooks
import LNAModels

/// How a recording runs. Everything here that changes the numbers is part of the checkpoint fingerprint.
///
/// ```swift
/// var settings = RecordingSettings()
/// settings.shard = try Shard(parsing: "1/4")
/// ```
public struct RecordingSettings: Sendable, Hashable {
    /// The hook pattern read, one point per layer (`blocks.*.mlp.hook_act`: the neurons of the papers).
    public var site: String = "blocks.*.mlp.hook_act"
    /// Longer sequences are cut to this many tokens (and counted).
    public var maxLength: Int = 4096
    /// Rows per forward call when packing short texts together.
    public var batchTokens: Int = 2048
    public var shard: Shard = .whole
    /// A checkpoint is written after every this many forward calls (0: never).
    public var checkpointEvery: Int = 16
    /// Also record `sum_act` (per-neuron sums of the value, for mean activations).
    public var recordsSums: Bool = true
    /// Also keep the K largest values of every neuron with their tokens (`--top-contexts K`, a sidecar file next
    /// to the statistics); 0: off. Not part of the fingerprint: it changes no count.
    public var topContexts: Int = 0

    public init() {}

    /// Checks ranges; throws `RecordingError.invalidSetting` naming the flag.
    public func validate() throws {
        guard maxLength >= 1 else { throw RecordingError.invalidSetting("--max-len \(maxLength): expected ≥ 1") }
        guard batchTokens >= 1 else { throw RecordingError.invalidSetting("--batch-tokens \(batchTokens): expected ≥ 1") }
        guard (0...TopContexts.maxK).contains(topContexts) else {
            throw RecordingError.invalidSetting("--top-contexts \(topContexts): expected 0…\(TopContexts.maxK)")
        }
        guard checkpointEvery >= 0 else {
            throw RecordingError.invalidSetting("--checkpoint-every \(checkpointEvery): expected ≥ 0")
        }
    }

    /// The number of values per row at the site for a model (`mlp.*`: neurons; residual sites: hidden size;
    /// `mlp.experts.hook_act`: experts × expert width, the columns of every expert side by side).
    public func width(for config: ModelConfig) throws -> Int {
        let points = try HookPattern(site).points(layerCount: config.layerCount)
        guard let point = points.first, point.site.isPerLayer else {
            throw RecordingError.invalidSetting("--site \(self.site): expected a per-layer site such as blocks.*.mlp.hook_act")
        }
        let experts = config.experts
        switch point.site {
        case .mlpPre, .mlpAct, .mlpPreLinear, .mlpPost:
            // A Mixtral has no dense MLP (and so no `mlp.hook_act`) in any layer: its neurons are the experts'.
            if let e = experts, !e.sharedExpert, e.denseLayers.count < config.layerCount {
                throw RecordingError.invalidSetting("--site \(self.site): \(config.architecture) has no dense MLP in its routed layers; its neurons are per expert: record --site blocks.*.mlp.experts.hook_act")
            }
            return config.intermediateSize
        case .expertAct:
            guard let e = experts else {
                throw RecordingError.invalidSetting("--site \(self.site): \(config.architecture) has no experts")
            }
            guard point.expert == nil else {
                throw RecordingError.invalidSetting("--site \(self.site): expert neurons are recorded for every expert at once: blocks.*.mlp.experts.hook_act")
            }
            guard topContexts == 0 else {
                throw RecordingError.invalidSetting("--top-contexts with --site \(self.site): top contexts are not kept for expert neurons")
            }
            let (width, overflow) = e.count.multipliedReportingOverflow(by: e.width)
            guard !overflow else { throw RecordingError.invalidSetting("--site \(self.site): \(e.count) experts × \(e.width) overflows") }
            return width
        case .mlpRouter:
            throw RecordingError.invalidSetting("--site \(self.site): router logits are not neurons; every statistics file of \(config.architecture) carries the routing (routing_counts, routing_rank_counts, routing_weight_sum)")
        case .attnQ, .attnZ: return config.queryWidth
        case .attnK, .attnV: return config.kvWidth
        case .attnPattern:
            throw RecordingError.invalidSetting("--site \(self.site): attention patterns have no fixed width; record an MLP or residual site")
        default: return config.hiddenSize
        }
    }

    /// Whether the site is the routed experts' neurons (`blocks.*.mlp.experts.hook_act`).
    public func readsExperts(layerCount: Int) -> Bool {
        (try? HookPattern(site).points(layerCount: layerCount).first?.site) == .expertAct
    }
}
