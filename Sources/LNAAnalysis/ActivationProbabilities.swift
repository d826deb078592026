/// How activation probabilities are formed from counts.
public enum ProbabilityMode: String, Sendable, CaseIterable {
    /// `max(Cᶠ−Cᵖ, 0) / max(Tᶠ−Tᵖ, 1)`: response tokens only (METHODS §1.6); needs prefix counts.
    case responseOnly = "response-only"
    /// `over_zero / total_tokens` (Tang, Gurgurov, and NJUNLP data without prefixes).
    case plain
}

/// Activation probabilities `p[ℓ, j, k]` of every neuron (layer ℓ, index j) in every language k, in float32
/// exactly as the originals compute them. Stored neuron-major: `values[(ℓ·width + j)·K + k]`.
///
/// ```swift
/// let p = try ActivationProbabilities(statistics: [en, zh, fr])   // response-only when prefixes exist
/// p[0, 5, 1]   // layer 0, neuron 5, language zh
/// ```
public struct ActivationProbabilities: Sendable, Equatable {
    public let languages: [String]
    public let layers: Int
    public let width: Int
    public let mode: ProbabilityMode
    /// `[layers · width · K]`, neuron-major.
    public let values: [Float]

    public var languageCount: Int { languages.count }
    public var neuronCount: Int { layers * width }

    public subscript(layer: Int, neuron: Int, language: Int) -> Float {
        values[(layer * width + neuron) * languages.count + language]
    }

    /// Builds probabilities from the statistics of each language (in the order given).
    ///
    /// `mode` nil picks response-only when every language has prefix counts and plain when none has; a mix is
    /// an error (a prefix file is missing). Plain mode refuses counts above the token total.
    public init(statistics: [ActivationStatistics], mode: ProbabilityMode? = nil) throws {
        guard let first = statistics.first else { throw AnalysisError.missing("no languages given") }
        guard statistics.count >= 2 else {
            throw AnalysisError.invalidParameter("only one language (\(first.language)); identification compares at least 2 languages")
        }
        let layers = first.layers, width = first.width
        var seen = Set<String>()
        for s in statistics {
            guard s.layers == layers, s.width == width else {
                throw AnalysisError.shapeMismatch("language \(s.language) has \(s.layers) × \(s.width) neurons but \(first.language) has \(layers) × \(width); all languages must come from the same model")
            }
            guard seen.insert(s.language).inserted else {
                throw AnalysisError.invalidParameter("language \(s.language) appears twice; merge its shards with `lna merge` first")
            }
        }
        let withPrefix = statistics.filter { $0.prefix != nil }.map(\.language)
        let resolved: ProbabilityMode
        switch mode {
        case .some(.responseOnly):
            if let missing = statistics.first(where: { $0.prefix == nil }) {
                throw AnalysisError.missing("language \(missing.language) has no prefix counts (prefix.activation file or prefix_over_zero), needed for response-only probabilities")
            }
            resolved = .responseOnly
        case .some(.plain): resolved = .plain
        case .none:
            if withPrefix.isEmpty { resolved = .plain }
            else if withPrefix.count == statistics.count { resolved = .responseOnly }
            else {
                let lacking = statistics.filter { $0.prefix == nil }.map(\.language)
                throw AnalysisError.missing("prefix counts exist for \(withPrefix.joined(separator: ",")) but not for \(lacking.joined(separator: ",")); add the missing prefix.activation files or use plain probabilities")
            }
        }
        let k = statistics.count
        var values = [Float](repeating: 0, count: layers * width * k)
        for (lang, s) in statistics.enumerated() {
            try Self.fill(&values, language: lang, languageCount: k, statistics: s, mode: resolved)
        }
        self.languages = statistics.map(\.language)
        self.layers = layers
        self.width = width
        self.mode = resolved
        self.values = values
    }

    /// Wraps precomputed probabilities (`[layers·width·K]`, neuron-major), e.g. for tests.
    public init(languages: [String], layers: Int, width: Int, values: [Float]) throws {
        guard values.count == layers * width * languages.count else {
            throw AnalysisError.shapeMismatch("\(values.count) probabilities for \(layers) × \(width) × \(languages.count) neurons×languages")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw AnalysisError.invalidValue("probability \(values[bad]) at flat position \(bad) is negative or not finite")
        }
        self.languages = languages
        self.layers = layers
        self.width = width
        self.mode = .plain
        self.values = values
    }

    /// Dense neurons divide by the language's tokens, expert neurons by the tokens routed to their expert
    /// (`ActivationStatistics.tokenCounts`); an expert that received no (response) token has p = 0.
    private static func fill(_ values: inout [Float], language: Int, languageCount k: Int,
                             statistics s: ActivationStatistics, mode: ProbabilityMode) throws {
        let full = s.full
        let fullTokens = s.tokenCounts(full)
        switch mode {
        case .responseOnly:
            guard let prefix = s.prefix else { throw AnalysisError.missing("language \(s.language) has no prefix counts") }
            let prefixTokens = s.tokenCounts(prefix)
            for i in 0..<full.overZero.count {
                let tokens = Float(max(fullTokens[i] - prefixTokens[i], 1))
                values[i * k + language] = Float(max(full.overZero[i] - prefix.overZero[i], 0)) / tokens
            }
        case .plain:
            guard full.totalTokens > 0 else {
                throw AnalysisError.invalidValue("language \(s.language): total_tokens is 0, so no probability can be formed")
            }
            for i in 0..<full.overZero.count {
                let c = full.overZero[i], tokens = fullTokens[i]
                guard c <= tokens else {
                    let of = s.countsRoutedTokens ? "its routed tokens (routing_counts) \(tokens)" : "total_tokens \(tokens)"
                    throw AnalysisError.invalidValue("language \(s.language): over_zero[\(i / s.width), \(i % s.width)] = \(c) exceeds \(of)")
                }
                values[i * k + language] = tokens > 0 ? Float(c) / Float(tokens) : 0
            }
        }
    }
}
