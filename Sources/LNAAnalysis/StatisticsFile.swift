import Foundation
import LNAFiles
import LNAFormats

/// The on-disk format of per-language activation statistics: a safetensors file with
///
/// | tensor | dtype, shape | meaning |
/// |---|---|---|
/// | `over_zero` | I64 [L, H] | tokens with activation > 0 |
/// | `total_tokens` | I64 [1] | tokens processed |
/// | `sum_act` | F64 [L, H] | sum of the activation (optional; mean activations) |
/// | `sum_weighted_act` | F64 [L, H] | expert neurons: Σ routing weight × activation (optional) |
/// | `routing_counts`, `routing_weight_sum` | I64, F64 [L, E] | mixtures of experts: tokens routed to each expert, Σ their weights |
/// | `routing_rank_counts` | I64 [L, E, K] | mixtures of experts: times each expert was a token's r-th choice |
/// | `prefix_over_zero`, `prefix_total_tokens`, `prefix_sum_act`, `prefix_routing_*`… | same | the instruction prefixes alone (optional) |
///
/// and `__metadata__`: `format` (`lna.activation-statistics/1`), `language`, `dataset`, `model`, `model_sha256`,
/// `architecture`, `hook_site`, `layers`, `width`, `tool`, plus any extra keys. Python's `safetensors` loads it.
/// Expert-neuron files (`blocks.*.mlp.experts.hook_act`) have H = E × expert width, expert-major columns.
///
/// ```swift
/// try StatisticsFile.write(stats, to: URL(fileURLWithPath: "stats/en.safetensors"))
/// let back = try StatisticsFile.read(URL(fileURLWithPath: "stats/en.safetensors"))
/// ```
public enum StatisticsFile {
    public static let formatTag = "lna.activation-statistics/1"
    static let reservedKeys: Set<String> = ["format", "language", "dataset", "model", "model_sha256", "architecture",
                                            "hook_site", "layers", "width", "tool", "tool_version"]

    /// Writes atomically (temporary file, then rename).
    public static func write(_ statistics: ActivationStatistics, to url: URL) throws {
        try statistics.validate(source: url.path)
        let m = statistics.metadata
        var metadata = m.extra.filter { !reservedKeys.contains($0.key) }
        metadata.merge(["format": formatTag, "language": m.language, "dataset": m.dataset, "model": m.model,
                        "model_sha256": m.modelSHA256, "architecture": m.architecture, "hook_site": m.hookSite,
                        "layers": String(m.layers), "width": String(m.width), "tool": m.tool,
                        "tool_version": LNAAnalysisInfo.version]) { $1 }
        var writer = SafeTensorsWriter(metadata: metadata)
        let shape = [m.layers, m.width]
        for (prefix, counts) in [("", statistics.full), ("prefix_", statistics.prefix)] {
            guard let counts else { continue }
            try writer.add(prefix + "over_zero", counts.overZero, shape: shape)
            try writer.add(prefix + "total_tokens", [counts.totalTokens], shape: [1])
            if let sums = counts.sumActivation { try writer.add(prefix + "sum_act", sums, shape: shape) }
            if let sums = counts.sumWeightedActivation { try writer.add(prefix + "sum_weighted_act", sums, shape: shape) }
            if let routing = counts.routing {
                let cells = [routing.layers, routing.experts]
                try writer.add(prefix + "routing_counts", routing.counts, shape: cells)
                try writer.add(prefix + "routing_rank_counts", routing.rankCounts, shape: cells + [routing.topK])
                try writer.add(prefix + "routing_weight_sum", routing.weightSums, shape: cells)
            }
        }
        try createParent(of: url)
        try writer.write(to: url)
    }

    /// Reads and validates a statistics file.
    public static func read(_ url: URL) throws -> ActivationStatistics {
        let file = try SafeTensorsFile(contentsOf: url)
        let meta = file.metadata
        if let format = meta["format"], format != formatTag {
            throw AnalysisError.format("\(url.path): __metadata__.format is \(format), expected \(formatTag)")
        }
        guard let info = file.tensorInfo("over_zero") else {
            throw AnalysisError.format("\(url.path): no over_zero tensor; not an activation statistics file")
        }
        guard info.shape.count == 2 else {
            throw AnalysisError.shapeMismatch("\(url.path): over_zero has shape \(info.shape), expected [layers, width]")
        }
        let layers = info.shape[0], width = info.shape[1]
        for (key, value) in [("layers", layers), ("width", width)] {
            if let stated = meta[key], Int(stated) != value {
                throw AnalysisError.shapeMismatch("\(url.path): __metadata__.\(key) is \(stated) but over_zero has \(value)")
            }
        }
        func counts(_ prefix: String) throws -> ActivationCounts? {
            guard file.tensorInfo(prefix + "over_zero") != nil else {
                if file.tensorInfo(prefix + "total_tokens") != nil {
                    throw AnalysisError.missing("\(url.path): \(prefix)total_tokens without \(prefix)over_zero")
                }
                return nil
            }
            try check(file, prefix + "over_zero", shape: [layers, width], url)
            try check(file, prefix + "total_tokens", shape: [1], url)
            func sums(_ name: String) throws -> [Double]? {
                guard file.tensorInfo(prefix + name) != nil else { return nil }
                try check(file, prefix + name, shape: [layers, width], url)
                return try file.doubles(prefix + name)
            }
            return ActivationCounts(overZero: try file.int64s(prefix + "over_zero"),
                                    totalTokens: try file.int64s(prefix + "total_tokens")[0], sumActivation: try sums("sum_act"),
                                    sumWeightedActivation: try sums("sum_weighted_act"),
                                    routing: try routing(file, prefix: prefix, layers: layers, url))
        }
        guard let full = try counts("") else { throw AnalysisError.format("\(url.path): no over_zero tensor") }
        let language = meta["language"].flatMap { $0.isEmpty ? nil : $0 } ?? url.deletingPathExtension().lastPathComponent
        let metadata = StatisticsMetadata(
            language: language, dataset: meta["dataset"] ?? "", model: meta["model"] ?? "",
            modelSHA256: meta["model_sha256"] ?? "", architecture: meta["architecture"] ?? "",
            hookSite: meta["hook_site"] ?? "", layers: layers, width: width, tool: meta["tool"] ?? "",
            extra: meta.filter { !reservedKeys.contains($0.key) })
        return try ActivationStatistics(metadata: metadata, full: full, prefix: try counts("prefix_"), source: url.path)
    }

    /// The routing tensors (`<prefix>routing_counts` [L, E], `routing_rank_counts` [L, E, K],
    /// `routing_weight_sum` [L, E]): all three or none.
    private static func routing(_ file: SafeTensorsFile, prefix: String, layers: Int, _ url: URL) throws -> RoutingCounts? {
        let names = ["routing_counts", "routing_rank_counts", "routing_weight_sum"].map { prefix + $0 }
        let present = names.filter { file.tensorInfo($0) != nil }
        guard !present.isEmpty else { return nil }
        guard present.count == names.count else {
            throw AnalysisError.missing("\(url.path): \(present.joined(separator: ", ")) without \(names.filter { !present.contains($0) }.joined(separator: ", ")); the routing tensors come together")
        }
        let ranks = try file.requireTensor(names[1])
        guard ranks.shape.count == 3, ranks.shape[0] == layers else {
            throw AnalysisError.shapeMismatch("\(url.path): \(names[1]) has shape \(ranks.shape), expected [\(layers), experts, top_k]")
        }
        let experts = ranks.shape[1], topK = ranks.shape[2]
        try check(file, names[0], shape: [layers, experts], url)
        try check(file, names[2], shape: [layers, experts], url)
        return RoutingCounts(layers: layers, experts: experts, topK: topK, counts: try file.int64s(names[0]),
                             rankCounts: try file.int64s(names[1]), weightSums: try file.doubles(names[2]))
    }

    private static func check(_ file: SafeTensorsFile, _ name: String, shape: [Int], _ url: URL) throws {
        let info = try file.requireTensor(name)
        guard info.shape == shape else {
            throw AnalysisError.shapeMismatch("\(url.path): \(name) has shape \(info.shape), expected \(shape)")
        }
    }

    /// The statistics files of a folder: `*.safetensors` except mask files (`masks.safetensors`, `*.masks.safetensors`)
    /// and top-context sidecars (`*.top-contexts.safetensors`), by name.
    public static func files(in directory: URL) throws -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
            throw AnalysisError.io("cannot list \(directory.path): \(ErrorSentence.sentence(for: error))")
        }
        return names.filter { $0.hasSuffix(".safetensors") && !$0.hasPrefix(".") && $0 != "masks.safetensors" && !$0.hasSuffix(".masks.safetensors")
            && !$0.hasSuffix(TopContextsFile.suffix) }
            .sorted().map { directory.appendingPathComponent($0) }
    }
}

/// Loads the statistics of an activations folder, in either layout: our statistics files (`*.safetensors`),
/// or the original pipeline's `activation.<lang>.*` with `prefix.activation.<lang>.*` files.
///
/// ```swift
/// let stats = try StatisticsLoader.load(URL(fileURLWithPath: "acts"), languages: ["en", "zh"])
/// ```
/// Creates the folder a file will be written into.
func createParent(of url: URL) throws {
    do { try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
        throw AnalysisError.io("cannot create folder \(url.deletingLastPathComponent().path): \(ErrorSentence.sentence(for: error))")
    }
}

public enum StatisticsLoader {
    /// - Parameter languages: the languages and their order; nil means all, in `OriginalFiles.defaultOrder`.
    public static func load(_ location: URL, languages: [String]? = nil) throws -> [ActivationStatistics] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location.path, isDirectory: &isDirectory) else {
            throw AnalysisError.missing("\(location.path) does not exist")
        }
        guard isDirectory.boolValue else {
            throw AnalysisError.invalidParameter("\(location.path) is a file; --activations takes a folder of statistics files or original activation.<lang>.* files")
        }
        let ours = try StatisticsFile.files(in: location)
        var all: [ActivationStatistics]
        if !ours.isEmpty {
            all = []
            for url in ours {
                let stats = try StatisticsFile.read(url)
                if let other = all.first(where: { $0.language == stats.language }) {
                    throw AnalysisError.invalidParameter("\(location.path): two statistics files for language \(stats.language) (\(other.metadata.extra["file"] ?? "?") and \(url.lastPathComponent)); merge shards with `lna merge`")
                }
                var tagged = stats
                tagged.metadata.extra["file"] = url.lastPathComponent
                all.append(tagged)
            }
        } else {
            all = try OriginalFiles.loadDirectory(location)
        }
        let available = all.map(\.language)
        let order = languages ?? OriginalFiles.defaultOrder(available)
        return try order.map { lang in
            guard let s = all.first(where: { $0.language == lang }) else {
                throw AnalysisError.missing("language \(lang) has no statistics in \(location.path) (found: \(available.sorted().joined(separator: ",")))")
            }
            return s
        }
    }
}
