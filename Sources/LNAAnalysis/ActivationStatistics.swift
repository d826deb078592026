/// Per-neuron activation counts of one language over one token population: the tokens on which
/// `act(gate) > 0` (`overZero`), the number of tokens, and optionally the sum of the activation.
///
/// ```swift
/// let counts = ActivationCounts(overZero: [3, 0, 5, 1], totalTokens: 10, sumActivation: nil)
/// ```
public struct ActivationCounts: Sendable, Equatable {
    /// Tokens with activation > 0, row-major `[layers, width]`.
    public var overZero: [Int64]
    /// Tokens processed.
    public var totalTokens: Int64
    /// Sum of the activation over tokens, row-major `[layers, width]` (for mean activations), if recorded.
    public var sumActivation: [Double]?
    /// Expert neurons only: Σ routing weight × activation over the tokens routed to the neuron's expert,
    /// `[layers, width]` (`sum_weighted_act`).
    public var sumWeightedActivation: [Double]?
    /// Mixture-of-experts models only (every site): how the tokens were routed.
    public var routing: RoutingCounts?

    public init(overZero: [Int64], totalTokens: Int64, sumActivation: [Double]? = nil,
                sumWeightedActivation: [Double]? = nil, routing: RoutingCounts? = nil) {
        self.overZero = overZero
        self.totalTokens = totalTokens
        self.sumActivation = sumActivation
        self.sumWeightedActivation = sumWeightedActivation
        self.routing = routing
    }
}

/// Who produced a statistics file and from what: stored in the safetensors `__metadata__` header.
///
/// ```swift
/// let meta = StatisticsMetadata(language: "en", dataset: "mgsm", model: "Mistral-7B", layers: 32, width: 14336)
/// ```
public struct StatisticsMetadata: Sendable, Equatable {
    public var language: String
    public var dataset: String
    public var model: String
    /// sha256 of the model file, hex; empty when unknown (for example imported files).
    public var modelSHA256: String
    public var architecture: String
    /// Where the activation was read, e.g. `blocks.*.mlp.hook_act`.
    public var hookSite: String
    public var layers: Int
    public var width: Int
    /// The program and version that wrote the file, e.g. `lna 0.1.0` or `lna import (NJUNLP .pt)`.
    public var tool: String
    /// Any further string pairs (source file names...).
    public var extra: [String: String]

    public init(language: String, dataset: String = "", model: String = "", modelSHA256: String = "",
                architecture: String = "", hookSite: String = "blocks.*.mlp.hook_act", layers: Int, width: Int,
                tool: String = "lna", extra: [String: String] = [:]) {
        self.language = language
        self.dataset = dataset
        self.model = model
        self.modelSHA256 = modelSHA256
        self.architecture = architecture
        self.hookSite = hookSite
        self.layers = layers
        self.width = width
        self.tool = tool
        self.extra = extra
    }
}

/// The activation statistics of one language: counts over the full texts and, for instruction+response
/// data, over the instruction prefixes alone (so that response-only probabilities can be formed).
///
/// ```swift
/// let stats = try ActivationStatistics(
///     metadata: StatisticsMetadata(language: "en", layers: 1, width: 2),
///     full: ActivationCounts(overZero: [4, 1], totalTokens: 10))
/// ```
public struct ActivationStatistics: Sendable, Equatable {
    public var metadata: StatisticsMetadata
    public var full: ActivationCounts
    public var prefix: ActivationCounts?

    public var language: String { metadata.language }
    public var layers: Int { metadata.layers }
    public var width: Int { metadata.width }

    /// Checks shapes and values; throws `AnalysisError` naming `source` on the first problem.
    public init(metadata: StatisticsMetadata, full: ActivationCounts, prefix: ActivationCounts? = nil,
                source: String = "statistics") throws {
        self.metadata = metadata
        self.full = full
        self.prefix = prefix
        try validate(source: source)
    }

    /// Validates shapes (`layers × width`), non-negative counts and totals, and finite sums.
    public func validate(source: String) throws {
        let (n, overflow) = metadata.layers.multipliedReportingOverflow(by: metadata.width)
        guard metadata.layers > 0, metadata.width > 0, !overflow else {
            throw AnalysisError.invalidValue("\(source): layers \(metadata.layers) × width \(metadata.width) must both be positive and their product a count")
        }
        for (label, counts) in [("", full), ("prefix_", prefix)] {
            guard let counts else { continue }
            guard counts.overZero.count == n else {
                throw AnalysisError.shapeMismatch("\(source): \(label)over_zero has \(counts.overZero.count) values, expected \(metadata.layers) × \(metadata.width) = \(n)")
            }
            guard counts.totalTokens >= 0 else {
                throw AnalysisError.invalidValue("\(source): \(label)total_tokens is \(counts.totalTokens), expected ≥ 0")
            }
            if let bad = counts.overZero.firstIndex(where: { $0 < 0 }) {
                throw AnalysisError.invalidValue("\(source): \(label)over_zero[\(bad / metadata.width), \(bad % metadata.width)] = \(counts.overZero[bad]) is negative")
            }
            for (name, values) in [("sum_act", counts.sumActivation), ("sum_weighted_act", counts.sumWeightedActivation)] {
                guard let sums = values else { continue }
                guard sums.count == n else {
                    throw AnalysisError.shapeMismatch("\(source): \(label)\(name) has \(sums.count) values, expected \(n)")
                }
                if let bad = sums.firstIndex(where: { !$0.isFinite }) {
                    throw AnalysisError.invalidValue("\(source): \(label)\(name)[\(bad / metadata.width), \(bad % metadata.width)] is \(sums[bad]) (NaN or infinite)")
                }
            }
            try counts.routing?.validate(layers: metadata.layers, source: source, label: label + "routing_")
        }
        if let prefix, (prefix.routing == nil) != (full.routing == nil) {
            throw AnalysisError.missing("\(source): \(full.routing == nil ? "prefix_routing_counts without routing_counts" : "routing_counts without prefix_routing_counts")")
        }
        try validateExperts(source: source)
    }

    /// Mean activation per neuron over the response tokens (full − prefix) when prefix sums exist, else over
    /// all tokens; nil when no sums were recorded.
    /// Expert neurons divide by the tokens routed to their expert (`routing_counts[ℓ, e]`) instead.
    public var meanActivation: [Double]? {
        guard let sums = full.sumActivation else { return nil }
        let fullTokens = tokenCounts(full)
        if let prefix, let prefixSums = prefix.sumActivation {
            let prefixTokens = tokenCounts(prefix)
            return sums.indices.map { i in (sums[i] - prefixSums[i]) / Double(max(fullTokens[i] - prefixTokens[i], 1)) }
        }
        return sums.indices.map { i in sums[i] / Double(max(fullTokens[i], 1)) }
    }
}
