/// How one language's tokens were routed in a mixture-of-experts model: the routing tensors of its statistics
/// file (`routing_counts`, `routing_rank_counts`, `routing_weight_sum`, and `prefix_*` for instruction data),
/// written for every site of such a model (docs/file-formats.md).
///
/// ```swift
/// let stats = try StatisticsFile.read(URL(fileURLWithPath: "acts/en.safetensors"))
/// if let routing = stats.full.routing {
///     routing.tokens(layer: 3, expert: 5)              // tokens routed to expert 5 in layer 3
///     routing.share(layer: 3, expert: 5)               // … as a share of the layer's tokens × top-k choices
///     routing.rankCount(layer: 3, expert: 5, rank: 0)  // … as their first choice
/// }
/// ```
public struct RoutingCounts: Sendable, Equatable {
    public let layers: Int
    public let experts: Int
    public let topK: Int
    /// `[layers, experts]`: tokens routed to expert e in layer l (each token once per chosen expert, so a sparse
    /// layer's row sums to tokens × top-k; a dense layer's row is 0).
    public var counts: [Int64]
    /// `[layers, experts, topK]`: times expert e was a token's r-th choice (by routing probability).
    public var rankCounts: [Int64]
    /// `[layers, experts]`: the sum of the routing weights of the tokens routed to e.
    public var weightSums: [Double]

    /// No tokens yet.
    public init(layers: Int, experts: Int, topK: Int) {
        self.layers = layers
        self.experts = experts
        self.topK = topK
        counts = [Int64](repeating: 0, count: layers * experts)
        rankCounts = [Int64](repeating: 0, count: layers * experts * topK)
        weightSums = [Double](repeating: 0, count: layers * experts)
    }

    /// Counts read back; `validate` checks them.
    public init(layers: Int, experts: Int, topK: Int, counts: [Int64], rankCounts: [Int64], weightSums: [Double]) {
        self.layers = layers
        self.experts = experts
        self.topK = topK
        self.counts = counts
        self.rankCounts = rankCounts
        self.weightSums = weightSums
    }

    /// Tokens routed to `expert` in `layer`.
    public func tokens(layer: Int, expert: Int) -> Int64 { counts[layer * experts + expert] }

    /// Times `expert` was the `rank`-th choice (0: the most probable) in `layer`.
    public func rankCount(layer: Int, expert: Int, rank: Int) -> Int64 {
        rankCounts[(layer * experts + expert) * topK + rank]
    }

    /// The routing weights of the tokens routed to `expert` in `layer`, summed.
    public func weightSum(layer: Int, expert: Int) -> Double { weightSums[layer * experts + expert] }

    /// Token-choices of a layer (tokens × top-k for a routing layer, 0 for a dense one).
    /// Saturates at `Int64.max` (counts from a file may be anything), which the callers then refuse.
    public func total(layer: Int) -> Int64 {
        counts[(layer * experts)..<((layer + 1) * experts)].reduce(0) { sum, c in
            let (s, overflow) = sum.addingReportingOverflow(c)
            return overflow ? .max : s
        }
    }

    /// The share of `layer`'s routing choices that went to `expert` (0 in a layer that routed nothing).
    public func share(layer: Int, expert: Int) -> Double {
        let row = total(layer: layer)   // saturating: counts come from a file
        return row == 0 ? 0 : Double(tokens(layer: layer, expert: expert)) / Double(row)
    }

    /// The denominator of every expert neuron of an `[layers, experts · expertWidth]` file (expert-major
    /// columns): the tokens routed to the neuron's expert.
    public func neuronTokens(expertWidth: Int) -> [Int64] {
        var result: [Int64] = []
        result.reserveCapacity(counts.count * expertWidth)
        for count in counts { result.append(contentsOf: repeatElement(count, count: expertWidth)) }
        return result
    }

    /// Checks shapes, non-negative counts and finite weights; throws `AnalysisError` naming `source` and `label`
    /// (`routing_` or `prefix_routing_`).
    public func validate(layers expectedLayers: Int, source: String, label: String) throws {
        guard layers == expectedLayers, experts > 0, topK > 0, topK <= experts else {
            throw AnalysisError.shapeMismatch("\(source): \(label)counts cover \(layers) layers × \(experts) experts, top-\(topK); expected \(expectedLayers) layers and 1 ≤ top-k ≤ experts")
        }
        let (cells, overflow) = layers.multipliedReportingOverflow(by: experts)
        let (ranked, rankOverflow) = cells.multipliedReportingOverflow(by: topK)
        guard !overflow, !rankOverflow, counts.count == cells, weightSums.count == cells, rankCounts.count == ranked else {
            throw AnalysisError.shapeMismatch("\(source): \(label)counts has \(counts.count), \(label)weight_sum \(weightSums.count), \(label)rank_counts \(rankCounts.count) values; expected \(layers) × \(experts) and \(layers) × \(experts) × \(topK)")
        }
        if let bad = counts.firstIndex(where: { $0 < 0 }) {
            throw AnalysisError.invalidValue("\(source): \(label)counts[\(bad / experts), \(bad % experts)] = \(counts[bad]) is negative")
        }
        if let bad = rankCounts.firstIndex(where: { $0 < 0 }) {
            throw AnalysisError.invalidValue("\(source): \(label)rank_counts[\(bad / (experts * topK)), \(bad / topK % experts), \(bad % topK)] = \(rankCounts[bad]) is negative")
        }
        if let bad = weightSums.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw AnalysisError.invalidValue("\(source): \(label)weight_sum[\(bad / experts), \(bad % experts)] is \(weightSums[bad]), expected a finite value ≥ 0")
        }
    }

    /// Adds another part of the same run (a shard); `name` names it in the error when a count overflows.
    public mutating func add(_ other: RoutingCounts, name: String, label: String) throws {
        guard other.layers == layers, other.experts == experts, other.topK == topK else {
            throw AnalysisError.metadataMismatch("\(name) has \(label)counts of \(other.layers) layers × \(other.experts) experts, top-\(other.topK); expected \(layers) × \(experts), top-\(topK)")
        }
        func sum(_ a: inout [Int64], _ b: [Int64], _ tensor: String) throws {
            for i in a.indices {
                let (s, overflow) = a[i].addingReportingOverflow(b[i])
                guard !overflow else {
                    throw AnalysisError.invalidValue("\(name): adding its \(label)\(tensor)[\(i)] to the shards before it overflows a 64-bit count")
                }
                a[i] = s
            }
        }
        try sum(&counts, other.counts, "counts")
        try sum(&rankCounts, other.rankCounts, "rank_counts")
        for i in weightSums.indices { weightSums[i] += other.weightSums[i] }
    }
}
