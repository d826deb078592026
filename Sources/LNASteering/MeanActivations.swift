import LNAAnalysis

/// Mean activation μ[ℓ,j,k] = sum_act / total_tokens of every neuron on every language of a statistics folder:
/// the steering vectors of Gurgurov's language arithmetics.
///
/// ```swift
/// let means = try MeanActivations(statistics: StatisticsLoader.load(URL(fileURLWithPath: "runs/x/activations")))
/// means.mean(language: "fr", layer: 3, neuron: 17)
/// let others = try means.meanOfOthers(excluding: "fr")   // for diffmean
/// ```
public struct MeanActivations: Sendable, Equatable {
    public let languages: [String]
    public let layers: Int
    public let width: Int
    /// `values[k]`: row-major `[layers, width]` means of language `languages[k]`.
    public let values: [[Float]]

    /// Checks that every language has `layers × width` values.
    public init(languages: [String], layers: Int, width: Int, values: [[Float]]) throws {
        guard languages.count == values.count, !languages.isEmpty else {
            throw SteeringError.shapeMismatch("\(values.count) mean vectors for \(languages.count) languages")
        }
        for (k, row) in values.enumerated() where row.count != layers * width {
            throw SteeringError.shapeMismatch("means of \(languages[k]) have \(row.count) values, expected \(layers) × \(width)")
        }
        self.languages = languages
        self.layers = layers
        self.width = width
        self.values = values
    }

    /// Forms the means from statistics files; every file must carry `sum_act` (recorded by `lna activation`).
    public init(statistics: [ActivationStatistics]) throws {
        guard let first = statistics.first else { throw SteeringError.missingMeans("no statistics files given") }
        var rows: [[Float]] = []
        for s in statistics {
            guard s.layers == first.layers, s.width == first.width else {
                throw SteeringError.shapeMismatch("statistics of \(s.language) are \(s.layers) × \(s.width), those of \(first.language) \(first.layers) × \(first.width)")
            }
            guard let mean = s.meanActivation else {
                throw SteeringError.missingMeans("statistics of \(s.language) (\(s.metadata.extra["file"] ?? "file")) have no sum_act; record them with `lna activation`")
            }
            rows.append(mean.map { Float($0) })
        }
        try self.init(languages: statistics.map(\.language), layers: first.layers, width: first.width, values: rows)
    }

    /// Index of a language code; throws naming the available ones.
    public func index(of language: String) throws -> Int {
        guard let k = languages.firstIndex(of: language) else {
            throw SteeringError.unknownLanguage("'\(language)' has no statistics (have: \(languages.joined(separator: ",")))")
        }
        return k
    }

    /// μ[ℓ, j] of one language.
    public func mean(language: String, layer: Int, neuron: Int) throws -> Float {
        values[try index(of: language)][layer * width + neuron]
    }

    /// The mean of μ over every language except `language`, row-major `[layers, width]` (diffmean's baseline).
    public func meanOfOthers(excluding language: String) throws -> [Float] {
        let target = try index(of: language)
        let others = languages.indices.filter { $0 != target }
        guard !others.isEmpty else {
            throw SteeringError.missingMeans("diffmean needs statistics of at least one language besides \(language)")
        }
        var sum = [Double](repeating: 0, count: layers * width)
        for k in others { for i in sum.indices { sum[i] += Double(values[k][i]) } }
        let n = Double(others.count)
        return sum.map { Float($0 / n) }
    }
}
