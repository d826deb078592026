/// Which experts each language uses (docs/methods.md, "Language experts"): from the routing counts of every
/// language, the routing probability `r[ℓ, e, k] = routing_counts_k[ℓ, e] / tokens_k` (the fraction of language
/// k's tokens that expert e of layer ℓ processes; Σ_e r = top-k), the routing share `r / top-k` (Σ_e = 1), and an
/// expert classification that is the neuron identification with experts in place of neurons: the same NJUNLP
/// score (normalised entropy of r over languages − λ·peak), the same selection of the lowest-scoring
/// `round(N·top_rate)` experts, the same bar τ (the `bar` quantile of all r) and the same classes — a selected
/// expert with r > τ in one language is language-specific, in 2…K−1 related; experts with r > τ in every
/// language (selected or not) are general.
///
/// Response-only: when every language has prefix routing counts, the prefixes' routing is subtracted.
///
/// ```swift
/// let experts = try LanguageExperts(statistics: try StatisticsLoader.load(URL(fileURLWithPath: "runs/x/activations")))
/// experts.share(language: 0, layer: 3, expert: 5)
/// let classes = try experts.classify(topRate: 0.1, bar: 0.9)
/// let top = try experts.topExperts(count: 2)   // MaskSet over [layers, experts] for the deactivation grid
/// ```
public struct LanguageExperts: Sendable {
    public let languages: [String]
    public let layers: Int
    public let experts: Int
    public let topK: Int
    /// Tokens of each language the counts are over.
    public let tokens: [Int64]
    /// Routing counts of each language (response tokens when prefixes were subtracted).
    public let routing: [RoutingCounts]
    /// `r[ℓ, e, k]` as probabilities over a `[layers, experts]` grid of units.
    public let probabilities: ActivationProbabilities

    /// From the routing counts and token totals of each language (in that order).
    public init(languages: [String], tokens: [Int64], routing: [RoutingCounts]) throws {
        guard let first = routing.first, languages.count == routing.count, tokens.count == routing.count else {
            throw AnalysisError.missing("routing counts of \(routing.count) languages for \(languages.count) names; the statistics have no routing_counts (a dense model?)")
        }
        for (k, r) in routing.enumerated() {
            try r.validate(layers: first.layers, source: "language \(languages[k])", label: "routing_")
            guard r.layers == first.layers, r.experts == first.experts, r.topK == first.topK else {
                throw AnalysisError.shapeMismatch("routing of \(languages[k]) is \(r.layers) × \(r.experts) (top-\(r.topK)), of \(languages[0]) \(first.layers) × \(first.experts) (top-\(first.topK)); all languages must come from the same model")
            }
            guard tokens[k] > 0 else {
                throw AnalysisError.invalidValue("language \(languages[k]) has no tokens, so no routing probability can be formed")
            }
            // Counts come from files: a product that overflows is as wrong as a count above it.
            let (choices, overflow) = tokens[k].multipliedReportingOverflow(by: Int64(r.topK))
            for l in 0..<r.layers where overflow || r.total(layer: l) > choices {
                throw AnalysisError.invalidValue("language \(languages[k]) layer \(l): \(r.total(layer: l)) routed token-choices exceed tokens × top-k = \(tokens[k]) × \(r.topK)")
            }
        }
        let n = first.layers * first.experts, k = languages.count
        var values = [Float](repeating: 0, count: n * k)
        for (lang, r) in routing.enumerated() {
            for unit in 0..<n { values[unit * k + lang] = Float(Double(r.counts[unit]) / Double(tokens[lang])) }
        }
        self.languages = languages; self.layers = first.layers; self.experts = first.experts; self.topK = first.topK
        self.tokens = tokens; self.routing = routing
        self.probabilities = try ActivationProbabilities(languages: languages, layers: first.layers, width: first.experts, values: values)
    }

    /// From the statistics files of a model with experts (any site: each carries the routing tensors).
    public init(statistics: [ActivationStatistics]) throws {
        let withRouting = statistics.filter { $0.full.routing != nil }
        guard withRouting.count == statistics.count, !statistics.isEmpty else {
            let missing = statistics.filter { $0.full.routing == nil }.map(\.language)
            throw AnalysisError.missing("no routing_counts for \(missing.isEmpty ? "any language" : missing.joined(separator: ",")); `lna experts` needs statistics of a model with experts")
        }
        let responseOnly = statistics.allSatisfy { $0.prefix?.routing != nil }
        var tokens: [Int64] = [], routing: [RoutingCounts] = []
        for s in statistics {
            let full = s.full.routing!
            guard responseOnly, let prefix = s.prefix, let before = prefix.routing else {
                tokens.append(s.full.totalTokens); routing.append(full); continue
            }
            tokens.append(s.full.totalTokens - prefix.totalTokens)
            routing.append(RoutingCounts(layers: full.layers, experts: full.experts, topK: full.topK,
                                         counts: zip(full.counts, before.counts).map { max($0 - $1, 0) },
                                         rankCounts: zip(full.rankCounts, before.rankCounts).map { max($0 - $1, 0) },
                                         weightSums: zip(full.weightSums, before.weightSums).map { max($0 - $1, 0) }))
        }
        try self.init(languages: statistics.map(\.language), tokens: tokens, routing: routing)
    }

    /// Expert e's share of language k's token-choices in layer ℓ (r / top-k; 0 in a layer that does not route).
    public func share(language k: Int, layer: Int, expert: Int) -> Double {
        routing[k].share(layer: layer, expert: expert)
    }

    /// Routing probability r[ℓ, e, k].
    public func probability(language k: Int, layer: Int, expert: Int) -> Double {
        Double(probabilities[layer, expert, k])
    }

    /// Layers whose router saw tokens (Qwen2-MoE's dense layers are absent).
    public var routingLayers: [Int] { (0..<layers).filter { l in routing.contains { $0.total(layer: l) > 0 } } }

    /// The entropy-based classification (see the type's documentation); `λ = 0` ranks by entropy alone.
    public func classify(topRate: Double, lambda: Double = 0, bar: Double = 0.9) throws -> IdentificationResult {
        try NeuronIdentifier(probabilities: probabilities, method: .njunlp, bar: bar).identify(topRate: topRate, lambda: lambda)
    }

    /// Per language and layer, the `count` experts with the largest routing share (ties to the lower index):
    /// the experts `lna experts` removes from the router in its deactivation grid. Layers that do not route get
    /// none; `count` must leave at least top-k experts.
    public func topExperts(count: Int) throws -> MaskSet {
        guard count >= 1, count <= experts - topK else {
            throw AnalysisError.invalidParameter("top experts \(count): expected 1…\(experts - topK) (the router must keep at least top-k = \(topK) of \(experts) experts)")
        }
        let routed = Set(routingLayers)
        let lists = languages.indices.map { k in
            (0..<layers).map { l -> [Int] in
                guard routed.contains(l) else { return [] }
                let order = (0..<experts).sorted { a, b in
                    let x = routing[k].tokens(layer: l, expert: a), y = routing[k].tokens(layer: l, expert: b)
                    return x > y || x == y && a < b
                }
                return order.prefix(count).sorted()
            }
        }
        return try MaskSet(languages: languages, layers: layers, width: experts, lists: lists, source: "top experts")
    }
}
