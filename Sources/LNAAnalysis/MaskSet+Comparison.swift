/// Overlap of two sets of neurons: sizes, intersection, and the ratios people report.
public struct OverlapCount: Sendable, Equatable {
    public let first: Int
    public let second: Int
    public let common: Int
    /// |A ∩ B| / |A ∪ B| (0 when both are empty).
    public var jaccard: Double { first + second - common == 0 ? 0 : Double(common) / Double(first + second - common) }
    /// |A ∩ B| / |A|: the share of the first set found again in the second (the paper's overlap ratio).
    public var ratioOfFirst: Double { first == 0 ? 0 : Double(common) / Double(first) }

    public init(_ a: Set<Int>, _ b: Set<Int>) {
        first = a.count
        second = b.count
        common = a.intersection(b).count
    }
}

extension MaskSet {
    /// Flat indices (ℓ·width + j) of the neurons of one class.
    public func neurons(of cls: NeuronClass) -> Set<Int> {
        let counts = languageCounts
        var out = Set<Int>()
        for (flat, c) in counts.enumerated() where NeuronClass.of(count: Int(c), languageCount: languageCount) == cls { out.insert(flat) }
        return out
    }

    /// All flat indices in at least one language.
    public var allNeurons: Set<Int> { Set(languageCounts.enumerated().filter { $0.element > 0 }.map(\.offset)) }

    /// `matrix[i][j] = |S_i ∩ S_j|` over (layer, neuron) pairs of languages i and j (Gurgurov's overlap matrix).
    public var languageOverlapMatrix: [[Int]] {
        let sets = languages.indices.map { Set(flatIndices(language: $0)) }
        return sets.map { a in sets.map { a.intersection($0).count } }
    }

    /// Checks that another mask set can be compared with this one (same shape, same languages).
    public func checkComparable(with other: MaskSet) throws {
        guard layers == other.layers, width == other.width || other.width == 0 || width == 0 else {
            throw AnalysisError.shapeMismatch("mask sets have \(layers) × \(width) and \(other.layers) × \(other.width) neurons; compare masks of the same model")
        }
    }

    /// Overlap with another mask set per class (specific, related, general) and over all kept neurons.
    public func classOverlap(with other: MaskSet) throws -> [(name: String, overlap: OverlapCount)] {
        try checkComparable(with: other)
        var rows = NeuronClass.allCases.map { ($0.rawValue, OverlapCount(neurons(of: $0), other.neurons(of: $0))) }
        rows.append(("all", OverlapCount(allNeurons, other.allNeurons)))
        return rows
    }

    /// Overlap per language (languages present in both sets, this set's order).
    public func languageOverlap(with other: MaskSet) throws -> [(language: String, overlap: OverlapCount)] {
        try checkComparable(with: other)
        return languages.enumerated().compactMap { k, lang in
            guard let j = other.languages.firstIndex(of: lang) else { return nil }
            return (lang, OverlapCount(Set(flatIndices(language: k)), Set(other.flatIndices(language: j))))
        }
    }
}
