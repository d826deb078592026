import Foundation
import LNAFormats

/// How one language's tokens were routed in a mixture-of-experts model: the routing tensors that every statistics
/// file of such a model carries (docs/file-formats.md), whatever its hook site.
///
/// | tensor | dtype, shape | meaning |
/// |---|---|---|
/// | `routing_counts` | I64 [L, E] | tokens routed to expert e in layer ℓ (once per chosen expert) |
/// | `routing_rank_counts` | I64 [L, E, K] | times e was a token's r-th choice (the top-k histogram) |
/// | `routing_weight_sum` | F64 [L, E] | Σ routing weight over the tokens routed to e |
///
/// Metadata `experts`, `top_k`, `router_normalize`, `dense_layers` describe the router. Layers that do not route
/// (Qwen2-MoE's dense layers) have all-zero rows.
///
/// ```swift
/// let r = try RoutingCounts(layers: 2, experts: 4, topK: 2, counts: [3, 1, 2, 0, 0, 2, 2, 2])
/// r.count(layer: 0, expert: 2)   // 2
/// r.share(layer: 0, expert: 0)   // 0.5: half of the token-choices of layer 0
/// ```
public struct RoutingCounts: Sendable, Equatable {
    public let layers: Int
    public let experts: Int
    public let topK: Int
    /// Row-major `[layers, experts]`.
    public let counts: [Int64]
    /// Row-major `[layers, experts, topK]`, nil when the file has none.
    public let rankCounts: [Int64]?
    /// Row-major `[layers, experts]`, nil when the file has none.
    public let weightSums: [Double]?

    /// Checks shapes and that no count is negative.
    public init(layers: Int, experts: Int, topK: Int, counts: [Int64], rankCounts: [Int64]? = nil,
                weightSums: [Double]? = nil, source: String = "routing counts") throws {
        let (n, overflow) = layers.multipliedReportingOverflow(by: experts)
        guard layers > 0, experts > 0, topK > 0, topK <= experts, !overflow else {
            throw AnalysisError.invalidValue("\(source): \(layers) layers × \(experts) experts with top-k \(topK): expected positive numbers and top-k ≤ experts")
        }
        guard counts.count == n else {
            throw AnalysisError.shapeMismatch("\(source): routing_counts has \(counts.count) values, expected \(layers) × \(experts)")
        }
        if let bad = counts.firstIndex(where: { $0 < 0 }) {
            throw AnalysisError.invalidValue("\(source): routing_counts[\(bad / experts), \(bad % experts)] = \(counts[bad]) is negative")
        }
        if let rankCounts, rankCounts.count != n * topK {
            throw AnalysisError.shapeMismatch("\(source): routing_rank_counts has \(rankCounts.count) values, expected \(layers) × \(experts) × \(topK)")
        }
        if let weightSums, weightSums.count != n || weightSums.contains(where: { !$0.isFinite }) {
            throw AnalysisError.shapeMismatch("\(source): routing_weight_sum must hold \(layers) × \(experts) finite values")
        }
        self.layers = layers; self.experts = experts; self.topK = topK
        self.counts = counts; self.rankCounts = rankCounts; self.weightSums = weightSums
    }

    /// Tokens routed to `expert` in `layer`.
    public func count(layer: Int, expert: Int) -> Int64 { counts[layer * experts + expert] }

    /// Token-choices of a layer (tokens × top-k for a routing layer, 0 for a dense one).
    public func total(layer: Int) -> Int64 { counts[(layer * experts)..<((layer + 1) * experts)].reduce(0, +) }

    /// The expert's share of its layer's token-choices (0 when the layer routed nothing); the shares of a
    /// routing layer sum to 1.
    public func share(layer: Int, expert: Int) -> Double {
        let total = total(layer: layer)
        return total > 0 ? Double(count(layer: layer, expert: expert)) / Double(total) : 0
    }

    /// Element-wise sum (shards and merges add routing like `over_zero`).
    public static func + (a: RoutingCounts, b: RoutingCounts) throws -> RoutingCounts {
        guard a.layers == b.layers, a.experts == b.experts, a.topK == b.topK else {
            throw AnalysisError.shapeMismatch("routing counts of \(a.layers) × \(a.experts) (top-\(a.topK)) and \(b.layers) × \(b.experts) (top-\(b.topK)) cannot be added")
        }
        func add<T: AdditiveArithmetic>(_ x: [T]?, _ y: [T]?) -> [T]? {
            guard let x, let y else { return nil }
            return zip(x, y).map { $0 + $1 }
        }
        return try RoutingCounts(layers: a.layers, experts: a.experts, topK: a.topK, counts: add(a.counts, b.counts)!,
                                 rankCounts: add(a.rankCounts, b.rankCounts), weightSums: add(a.weightSums, b.weightSums))
    }

    /// Reads the routing tensors of a statistics file (`prefix` "" or "prefix_"); nil when it has none (a dense
    /// model). `top_k` comes from the metadata, else from the rank histogram's last dimension.
    public static func read(from file: SafeTensorsFile, prefix: String = "", source: String) throws -> RoutingCounts? {
        guard let info = file.tensorInfo(prefix + "routing_counts") else { return nil }
        guard info.shape.count == 2 else {
            throw AnalysisError.shapeMismatch("\(source): \(prefix)routing_counts has shape \(info.shape), expected [layers, experts]")
        }
        let layers = info.shape[0], experts = info.shape[1]
        if let stated = file.metadata["experts"], Int(stated) != experts {
            throw AnalysisError.shapeMismatch("\(source): __metadata__.experts is \(stated) but \(prefix)routing_counts has \(experts) columns")
        }
        let ranks = file.tensorInfo(prefix + "routing_rank_counts")
        if let ranks, ranks.shape.count != 3 || ranks.shape[0] != layers || ranks.shape[1] != experts {
            throw AnalysisError.shapeMismatch("\(source): \(prefix)routing_rank_counts has shape \(ranks.shape), expected [\(layers), \(experts), top_k]")
        }
        guard let topK = file.metadata["top_k"].flatMap({ Int($0) }) ?? ranks?.shape[2] else {
            throw AnalysisError.missing("\(source): \(prefix)routing_counts without __metadata__.top_k or routing_rank_counts")
        }
        let weights = file.tensorInfo(prefix + "routing_weight_sum") != nil ? try file.doubles(prefix + "routing_weight_sum") : nil
        return try RoutingCounts(layers: layers, experts: experts, topK: topK, counts: try file.int64s(prefix + "routing_counts"),
                                 rankCounts: ranks != nil ? try file.int64s(prefix + "routing_rank_counts") : nil,
                                 weightSums: weights, source: source)
    }

    /// Adds the routing tensors to a statistics file being written.
    public func add(to writer: inout SafeTensorsWriter, prefix: String = "") throws {
        try writer.add(prefix + "routing_counts", counts, shape: [layers, experts])
        if let rankCounts { try writer.add(prefix + "routing_rank_counts", rankCounts, shape: [layers, experts, topK]) }
        if let weightSums { try writer.add(prefix + "routing_weight_sum", weightSums, shape: [layers, experts]) }
    }
}
