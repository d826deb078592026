import Foundation
import LNAAnalysis
import LNAFiles
import LNAHooks
import LNAModels
import LNATensor

/// Records per-language neuron statistics from a model over prepared sequences, exactly and resumably:
/// packed forward calls without logits, a `NeuronCounter` on the hook site, atomic checkpoints every few
/// calls, and an atomic final statistics file (`StatisticsFile` format) that `lna identify` reads.
///
/// ```swift
/// let model = try Model.load("gemma3-270m")
/// let recorder = ActivationRecorder(model: model, modelSHA256: try ModelDigest.sha256(of: model.url))
/// let input = RecordingInput.texts(sentences, maxLength: 4096) { model.tokenizer.encode($0) }
/// let result = try recorder.record(input, language: "en", dataset: "sib200", settings: RecordingSettings(),
///                                  output: URL(fileURLWithPath: "acts/en.safetensors"))
/// ```
public final class ActivationRecorder {
    public let model: Model
    public let modelSHA256: String
    /// Written into the `tool` metadata field.
    public var tool: String

    public init(model: Model, modelSHA256: String, tool: String = "lna activation") {
        self.model = model
        self.modelSHA256 = modelSHA256
        self.tool = tool
    }

    /// What a call to `record` did.
    public struct Result: Sendable {
        public var statistics: ActivationStatistics
        public var output: URL
        /// Forward calls made by this process.
        public var batchesRun: Int
        /// Forward calls restored from a checkpoint.
        public var batchesRestored: Int
        /// True when `resume` found the finished output and did nothing.
        public var alreadyComplete: Bool
        public var seconds: Double
        public var tokensThisRun: Int
        /// The top contexts kept (`settings.topContexts` > 0), written to `TopContextsFile.sidecar(of: output)`.
        public var topContexts: TopContexts?
    }

    /// The checkpoint file of an output: `<output>.partial` (not a `.safetensors` name, so statistics folders
    /// never load it).
    public static func checkpointURL(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".partial")
    }

    /// The lock file of an output: `<folder>/.<name>.lock`, held for the whole recording so two runs writing the
    /// same output cannot overlap (hidden, and not a `.safetensors` name, so statistics folders never load it).
    public static func lockURL(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent("." + output.lastPathComponent + ".lock")
    }

    /// Records `input` and writes `output` atomically.
    ///
    /// - Parameters:
    ///   - resume: continue from `<output>.partial` if its fingerprint matches (a mismatch throws); if the
    ///     output already exists with the same fingerprint, return it without work. Without `resume` the run
    ///     starts from scratch.
    ///   - stopAfterBatches: testing aid: stop (without writing the output) after this many forward calls.
    public func record(_ input: RecordingInput, language: String, dataset: String, settings: RecordingSettings,
                       output: URL, resume: Bool = false, extraMetadata: [String: String] = [:],
                       stopAfterBatches: Int? = nil,
                       progress: ((RecordingProgress) -> Void)? = nil) throws -> Result {
        try settings.validate()
        // Held until this function returns: a second run on the same output fails here, before any work.
        let lock = try FileLock(Self.lockURL(for: output), guarding: output.path)
        defer { withExtendedLifetime(lock) {} }
        let config = model.config
        let width = try settings.width(for: config)
        let readsExperts = settings.readsExperts(layerCount: config.layerCount)
        let fingerprint = RecordingFingerprint.compute(input: input, settings: settings, modelSHA256: modelSHA256,
                                                       language: language, dataset: dataset)
        let plan = RecordingPlan(sequences: input.sequences, batchTokens: settings.batchTokens, shard: settings.shard)
        let checkpoint = Self.checkpointURL(for: output)
        var metadata = StatisticsMetadata(
            language: language, dataset: dataset, model: model.name, modelSHA256: modelSHA256,
            architecture: config.architecture, hookSite: settings.site, layers: config.layerCount, width: width,
            tool: tool, extra: extraMetadata)
        metadata.extra.merge([
            "fingerprint": fingerprint, "max_len": String(settings.maxLength),
            "batch_tokens": String(settings.batchTokens), "shard": settings.shard.description,
            "texts": String(input.textCount), "sequences": String(input.sequences.count),
            "truncated": String(input.truncated), "boundary_merged": String(input.boundaryMerged),
            // Not part of the fingerprint: AVX-512 and AVX2 give identical counts, so a shard may resume elsewhere.
            "kernels": KernelSet.active.rawValue,
            "neuron": settings.site.hasSuffix("mlp.hook_act") ? config.neuronDefinition : "element j of \(settings.site)",
        ]) { $1 }
        metadata.extra.merge(Self.expertMetadata(config, readsExperts: readsExperts)) { $1 }

        let sidecar = TopContextsFile.sidecar(of: output)
        let sidecarCheckpoint = Self.checkpointURL(for: sidecar)
        let topMetadata = ["language": language, "dataset": dataset, "model": model.name, "model_sha256": modelSHA256,
                           "hook_site": settings.site, "shard": settings.shard.description]
        if resume, FileManager.default.fileExists(atPath: output.path),
           let done = try? StatisticsFile.read(output), done.metadata.extra["fingerprint"] == fingerprint {
            let top = settings.topContexts > 0 ? try? TopContextsFile.read(sidecar) : nil
            if settings.topContexts == 0 || top?.k == settings.topContexts {
                return Result(statistics: done, output: output, batchesRun: 0, batchesRestored: plan.shardBatches.count,
                              alreadyComplete: true, seconds: 0, tokensThisRun: 0, topContexts: top)
            }
        }

        var counter: any StatisticsCounter
        if readsExperts, let e = config.experts {
            counter = ExpertNeuronCounter(layers: config.layerCount, experts: e.count, expertWidth: e.width,
                                          recordsPrefix: input.hasPrefix, recordsSums: settings.recordsSums)
        } else {
            counter = NeuronCounter(layers: config.layerCount, width: width, recordsPrefix: input.hasPrefix,
                                    recordsSums: settings.recordsSums)
        }
        var routing = config.experts.map {
            RoutingCounter(layers: config.layerCount, experts: $0.count, topK: $0.topK, recordsPrefix: input.hasPrefix)
        }
        var top = settings.topContexts > 0
            ? TopContextsCollector(layers: config.layerCount, width: width, k: settings.topContexts) : nil
        var next = plan.shardBatches.lowerBound
        if resume, FileManager.default.fileExists(atPath: checkpoint.path) {
            let (restored, nextBatch) = try Self.readCheckpoint(checkpoint, fingerprint: fingerprint, plan: plan)
            var full = restored.full, prefix = restored.prefix
            full.routing = nil
            prefix?.routing = nil
            if readsExperts, let e = config.experts {
                counter = ExpertNeuronCounter(full: full, prefix: prefix, layers: config.layerCount, experts: e.count,
                                              expertWidth: e.width)
            } else {
                counter = NeuronCounter(full: full, prefix: prefix, layers: config.layerCount, width: width)
            }
            if let fresh = routing {
                routing = try Self.restoreRouting(restored, like: fresh, checkpoint: checkpoint)
            }
            next = nextBatch
            if settings.topContexts > 0 {
                top = TopContextsCollector(restoring: try Self.readTopCheckpoint(sidecarCheckpoint, k: settings.topContexts,
                                                                                  nextBatch: nextBatch))
            }
        }
        let restoredBatches = next - plan.shardBatches.lowerBound

        let hooks = HookSet(layerCount: config.layerCount)
        try counter.attach(to: hooks, site: settings.site)
        routing?.attach(to: hooks)
        try top?.attach(to: hooks, site: settings.site)
        let shardSequences = plan.shardBatches.isEmpty ? 0..<0
            : plan.batches[plan.shardBatches.lowerBound].lowerBound..<plan.batches[plan.shardBatches.upperBound - 1].upperBound
        let tokensTotal = input.sequences[shardSequences].reduce(0) { $0 + $1.tokens.count }
        var status = RecordingProgress(
            language: language, sequencesDone: 0, sequencesTotal: shardSequences.count, tokensDone: 0,
            tokensTotal: tokensTotal, elapsed: 0, tokensThisRun: 0)
        if next > plan.shardBatches.lowerBound {
            let doneSequences = shardSequences.lowerBound..<plan.batches[next - 1].upperBound
            status.sequencesDone = doneSequences.count
            status.tokensDone = input.sequences[doneSequences].reduce(0) { $0 + $1.tokens.count }
        }
        progress?(status)
        let start = Date()
        var run = 0
        while next < plan.shardBatches.upperBound {
            if let stop = stopAfterBatches, run >= stop { break }
            let sequences = input.sequences[plan.batches[next]]
            counter.begin(sequences)
            routing?.begin(sequences)
            top?.begin(sequences, firstIndex: plan.batches[next].lowerBound)
            _ = try model.forward(TokenBatch(sequences.map(\.tokens)), hooks: hooks, logits: .none)
            next += 1
            run += 1
            let tokens = sequences.reduce(0) { $0 + $1.tokens.count }
            status.sequencesDone += sequences.count
            status.tokensDone += tokens
            status.tokensThisRun += tokens
            status.elapsed = Date().timeIntervalSince(start)
            progress?(status)
            if settings.checkpointEvery > 0 && run % settings.checkpointEvery == 0 && next < plan.shardBatches.upperBound {
                try top.map { try Self.writeTopCheckpoint($0, metadata: topMetadata, input: input, nextBatch: next, to: sidecarCheckpoint) }
                try Self.writeCheckpoint(Self.counts(counter, routing), metadata: metadata, nextBatch: next, to: checkpoint)
            }
        }
        let counts = Self.counts(counter, routing)
        let statistics = try ActivationStatistics(metadata: metadata, full: counts.full, prefix: counts.prefix,
                                                  source: output.path)
        let seconds = Date().timeIntervalSince(start)
        var contexts: TopContexts?
        if next < plan.shardBatches.upperBound {
            // Stopped early on request: leave a checkpoint, no output.
            try top.map { try Self.writeTopCheckpoint($0, metadata: topMetadata, input: input, nextBatch: next, to: sidecarCheckpoint) }
            try Self.writeCheckpoint(counts, metadata: metadata, nextBatch: next, to: checkpoint)
        } else {
            if let top {
                contexts = try top.contexts(metadata: topMetadata, sequences: input.sequences)
                try TopContextsFile.write(contexts!, to: sidecar)
                try? FileManager.default.removeItem(at: sidecarCheckpoint)
            }
            try StatisticsFile.write(statistics, to: output)
            try? FileManager.default.removeItem(at: checkpoint)
        }
        return Result(statistics: statistics, output: output, batchesRun: run, batchesRestored: restoredBatches,
                      alreadyComplete: false, seconds: seconds, tokensThisRun: status.tokensThisRun, topContexts: contexts)
    }

    /// The counts so far: the site's, with the routing of a model with experts.
    static func counts(_ counter: any StatisticsCounter, _ routing: RoutingCounter?)
        -> (full: ActivationCounts, prefix: ActivationCounts?) {
        var full = counter.full, prefix = counter.prefix
        if let routing {
            full.routing = routing.full
            prefix?.routing = routing.prefix
        }
        return (full, prefix)
    }

    /// Metadata of a model with experts, whatever the site (`experts`, `top_k`, `router_normalize`,
    /// `dense_layers`), and of expert neurons (`expert_width`, `neuron_unit`, their definition); nothing for a
    /// dense model, whose files stay as they were.
    static func expertMetadata(_ config: ModelConfig, readsExperts: Bool) -> [String: String] {
        guard let e = config.experts else { return [:] }
        var meta = ["experts": String(e.count), "top_k": String(e.topK), "router_normalize": String(e.normalizeTopK),
                    "dense_layers": e.denseLayers.map(String.init).joined(separator: ",")]
        if readsExperts {
            meta["expert_width"] = String(e.width)
            meta["neuron_unit"] = "routed-token"
            meta["neuron"] = config.expertNeuronDefinition ?? ""
        }
        return meta
    }

    /// The routing counts of a checkpoint of a model with experts; they must have the model's shape.
    static func restoreRouting(_ restored: ActivationStatistics, like fresh: RoutingCounter, checkpoint: URL) throws
        -> RoutingCounter {
        let shape = (fresh.full.layers, fresh.full.experts, fresh.full.topK)
        guard let full = restored.full.routing, (full.layers, full.experts, full.topK) == shape,
              (restored.prefix == nil) == (fresh.prefix == nil) else {
            throw RecordingError.checkpointMismatch(path: checkpoint.path, reason: "it has no routing counts of \(shape.0) layers × \(shape.1) experts, top-\(shape.2) (written by an older lna?); delete it to start over")
        }
        return RoutingCounter(full: full, prefix: restored.prefix?.routing)
    }

    static func writeCheckpoint(_ counts: (full: ActivationCounts, prefix: ActivationCounts?), metadata: StatisticsMetadata,
                                nextBatch: Int, to url: URL) throws {
        var meta = metadata
        meta.extra["checkpoint_next_batch"] = String(nextBatch)
        let stats = try ActivationStatistics(metadata: meta, full: counts.full, prefix: counts.prefix, source: url.path)
        try StatisticsFile.write(stats, to: url)
    }

    /// The top contexts so far, tagged with the batch the counts' checkpoint continues at.
    static func writeTopCheckpoint(_ top: TopContextsCollector, metadata: [String: String], input: RecordingInput,
                                   nextBatch: Int, to url: URL) throws {
        var meta = metadata
        meta["checkpoint_next_batch"] = String(nextBatch)
        try TopContextsFile.write(try top.contexts(metadata: meta, sequences: input.sequences), to: url)
    }

    /// The top contexts of a checkpoint; they must have been saved at the same batch as the counts.
    static func readTopCheckpoint(_ url: URL, k: Int, nextBatch: Int) throws -> TopContexts {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw RecordingError.checkpointMismatch(path: url.path, reason: "the counts' checkpoint has no top-contexts checkpoint beside it (recorded without --top-contexts?); delete the .partial files to start over")
        }
        let top: TopContexts
        do { top = try TopContextsFile.read(url) } catch {
            throw RecordingError.io(path: url.path, reason: "unreadable top-contexts checkpoint (\(error)); delete the .partial files to start over")
        }
        guard top.k == k, top.metadata["checkpoint_next_batch"] == String(nextBatch) else {
            throw RecordingError.checkpointMismatch(path: url.path, reason: "it holds k \(top.k) at batch \(top.metadata["checkpoint_next_batch"] ?? "?"), the run asks k \(k) and the counts continue at batch \(nextBatch); delete the .partial files to start over")
        }
        var clean = top
        clean.metadata["checkpoint_next_batch"] = nil
        return clean
    }

    static func readCheckpoint(_ url: URL, fingerprint: String, plan: RecordingPlan) throws
        -> (ActivationStatistics, Int) {
        let stats: ActivationStatistics
        do { stats = try StatisticsFile.read(url) } catch {
            throw RecordingError.io(path: url.path, reason: "unreadable checkpoint (\(error)); delete it to start over")
        }
        guard stats.metadata.extra["fingerprint"] == fingerprint else {
            let saved = stats.metadata
            throw RecordingError.checkpointMismatch(
                path: url.path,
                reason: "its fingerprint \(saved.extra["fingerprint"]?.prefix(12) ?? "none") ≠ \(fingerprint.prefix(12)): model, data, language, site, max-len, batch-tokens or shard differ (saved: model_sha256 \(saved.modelSHA256.prefix(12)), site \(saved.hookSite), max_len \(saved.extra["max_len"] ?? "?"), shard \(saved.extra["shard"] ?? "?"))")
        }
        guard let text = stats.metadata.extra["checkpoint_next_batch"], let next = Int(text),
              plan.shardBatches.contains(next) || next == plan.shardBatches.upperBound else {
            throw RecordingError.io(path: url.path, reason: "checkpoint_next_batch is missing or outside this shard's batches \(plan.shardBatches)")
        }
        return (stats, next)
    }
}
