/// The ternary class of a neuron kept in the masks, by the number c of languages it is assigned to.
public enum NeuronClass: String, Sendable, CaseIterable {
    /// c = 1.
    case specific
    /// 2 ≤ c ≤ K − 1.
    case related
    /// c = K.
    case general

    /// The class of a neuron assigned to `count` of `languageCount` languages (nil for 0).
    public static func of(count: Int, languageCount: Int) -> NeuronClass? {
        if count <= 0 { return nil }
        if count == 1 { return .specific }
        return count >= languageCount ? .general : .related
    }
}

/// Explicit classification of the kept neurons of a mask set: per class, layer and language counts, and per
/// language the layer lists of its specific and related neurons (METHODS §1.9).
///
/// ```swift
/// let classes = NeuronClasses(masks: masks)
/// classes.perLayer[.specific]   // [Int] per layer
/// classes.perLanguage["en"]?[.related]
/// ```
public struct NeuronClasses: Sendable, Equatable {
    public let languages: [String]
    public let appear: [Int]
    /// Distinct neurons per class and layer.
    public let perLayer: [NeuronClass: [Int]]
    /// Per language: how many of its mask entries fall in each class.
    public let perLanguage: [String: [NeuronClass: Int]]
    /// Per language, class and layer: counts.
    public let perLanguageLayer: [String: [NeuronClass: [Int]]]
    /// Per language and class: layer lists of neuron indices (for `.general` every language has the same list).
    public let lists: [String: [NeuronClass: [[Int]]]]

    public init(masks: MaskSet) {
        let k = masks.languageCount
        let counts = masks.languageCounts
        var perLayer = Dictionary(uniqueKeysWithValues: NeuronClass.allCases.map { ($0, [Int](repeating: 0, count: masks.layers)) })
        for (flat, c) in counts.enumerated() {
            if let cls = NeuronClass.of(count: Int(c), languageCount: k) { perLayer[cls]![flat / masks.width] += 1 }
        }
        var perLanguage: [String: [NeuronClass: Int]] = [:]
        var perLanguageLayer: [String: [NeuronClass: [Int]]] = [:]
        var lists: [String: [NeuronClass: [[Int]]]] = [:]
        for (lang, name) in masks.languages.enumerated() {
            var layerLists = Dictionary(uniqueKeysWithValues: NeuronClass.allCases.map { ($0, [[Int]](repeating: [], count: masks.layers)) })
            for (l, indices) in masks.lists[lang].enumerated() {
                for j in indices {
                    let cls = NeuronClass.of(count: Int(counts[l * masks.width + j]), languageCount: k)!
                    layerLists[cls]![l].append(j)
                }
            }
            lists[name] = layerLists
            perLanguageLayer[name] = layerLists.mapValues { $0.map(\.count) }
            perLanguage[name] = layerLists.mapValues { $0.reduce(0) { $0 + $1.count } }
        }
        self.languages = masks.languages
        self.appear = masks.appear
        self.perLayer = perLayer
        self.perLanguage = perLanguage
        self.perLanguageLayer = perLanguageLayer
        self.lists = lists
    }

    /// Distinct neurons of a class over all layers.
    public func total(_ cls: NeuronClass) -> Int { perLayer[cls]?.reduce(0, +) ?? 0 }
}

/// Every neuron (not only the selected ones) whose probability exceeds τ in every language: the paper's
/// wording of "general" neurons, which the original code never computes (METHODS §1.9, open question).
///
/// ```swift
/// let population = AllLanguagePopulation(probabilities: p, tau: tau)
/// population.total
/// ```
public struct AllLanguagePopulation: Sendable, Equatable {
    public let tau: Float
    /// Layer lists of neuron indices with p > τ in all K languages.
    public let lists: [[Int]]

    public init(probabilities p: ActivationProbabilities, tau: Float) {
        let k = p.languageCount
        var lists = [[Int]](repeating: [], count: p.layers)
        p.values.withUnsafeBufferPointer { v in
            for neuron in 0..<p.neuronCount {
                var all = true
                for i in 0..<k where !(v[neuron * k + i] > tau) { all = false; break }
                if all { lists[neuron / p.width].append(neuron % p.width) }
            }
        }
        self.tau = tau
        self.lists = lists
    }

    public var perLayer: [Int] { lists.map(\.count) }
    public var total: Int { lists.reduce(0) { $0 + $1.count } }
}
