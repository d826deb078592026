/// Language masks: for each language and layer, the sorted, unique neuron indices assigned to that language.
/// This is the `list[K][L]` of the originals with its language order.
///
/// ```swift
/// let masks = try MaskSet(languages: ["en", "zh"], layers: 2, width: 4, lists: [[[0], [1]], [[], [1, 3]]])
/// masks.appear   // [0, 2, 1]: two neurons in one language, one in both
/// ```
public struct MaskSet: Sendable, Equatable {
    public let languages: [String]
    public let layers: Int
    public let width: Int
    /// `lists[language][layer]`: sorted, unique neuron indices.
    public let lists: [[[Int]]]

    /// The most neurons (layers × width) a mask set may cover: 2^26, ten times the largest model known
    /// (Llama 3.1 405B: 126 × 53,248). Summaries allocate one byte per neuron, so a file stating a width of 2^31
    /// must fail here, before any allocation, not after taking gigabytes.
    public static let maxNeurons = 1 << 26

    /// Throws unless `layers` and `width` are positive and `layers × width ≤ maxNeurons`.
    ///
    /// ```swift
    /// try MaskSet.checkShape(layers: 32, width: 14_336, source: "masks.json")   // fine
    /// try MaskSet.checkShape(layers: 2, width: 1 << 31, source: "masks.json")   // throws invalidValue
    /// ```
    public static func checkShape(layers: Int, width: Int, source: String) throws {
        let (neurons, overflow) = layers.multipliedReportingOverflow(by: width)
        guard layers > 0, width > 0, !overflow, neurons <= maxNeurons else {
            throw AnalysisError.invalidValue("\(source): layers \(layers) × width \(width) must be positive with at most \(maxNeurons) neurons in all")
        }
    }

    /// Checks the structure: K lists of L layers, indices sorted, unique and below `width`.
    public init(languages: [String], layers: Int, width: Int, lists: [[[Int]]], source: String = "masks") throws {
        try Self.checkShape(layers: layers, width: width, source: source)
        guard lists.count == languages.count else {
            throw AnalysisError.shapeMismatch("\(source): \(lists.count) mask lists for \(languages.count) languages (\(languages.joined(separator: ",")))")
        }
        for (k, perLayer) in lists.enumerated() {
            guard perLayer.count == layers else {
                throw AnalysisError.shapeMismatch("\(source): language \(languages[k]) has \(perLayer.count) layers, expected \(layers)")
            }
            for (l, indices) in perLayer.enumerated() {
                for (i, j) in indices.enumerated() {
                    guard j >= 0, j < width else {
                        throw AnalysisError.invalidValue("\(source): language \(languages[k]) layer \(l) has neuron index \(j), expected 0..<\(width)")
                    }
                    guard i == 0 || indices[i - 1] < j else {
                        throw AnalysisError.invalidValue("\(source): language \(languages[k]) layer \(l) indices are not sorted and unique at position \(i)")
                    }
                }
            }
        }
        self.languages = languages
        self.layers = layers
        self.width = width
        self.lists = lists
    }

    public var languageCount: Int { languages.count }

    /// Mask entries per language (all layers).
    public var sizes: [Int] { lists.map { $0.reduce(0) { $0 + $1.count } } }

    /// Mask entries per language and layer.
    public var sizesPerLayer: [[Int]] { lists.map { $0.map(\.count) } }

    /// For every flat neuron (ℓ·width + j), the number of languages whose mask contains it.
    public var languageCounts: [UInt8] {
        var counts = [UInt8](repeating: 0, count: layers * width)
        for perLayer in lists {
            for (l, indices) in perLayer.enumerated() { for j in indices { counts[l * width + j] &+= 1 } }
        }
        return counts
    }

    /// `appear[c]`: neurons (ℓ, j) contained in exactly c language masks, c = 0…K; appear[0] is always 0.
    public var appear: [Int] {
        var histogram = [Int](repeating: 0, count: languageCount + 1)
        for c in languageCounts where c > 0 { histogram[Int(c)] += 1 }
        return histogram
    }

    /// The set of flat indices (ℓ·width + j) of one language.
    public func flatIndices(language k: Int) -> [Int] {
        lists[k].enumerated().flatMap { l, indices in indices.map { l * width + $0 } }
    }

    /// The layer lists of a flat index set (sorted).
    public static func layerLists(flat: [Int], layers: Int, width: Int) -> [[Int]] {
        var out = [[Int]](repeating: [], count: layers)
        for f in flat.sorted() { out[f / width].append(f % width) }
        return out
    }
}
