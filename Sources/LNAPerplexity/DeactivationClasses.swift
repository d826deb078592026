import LNAAnalysis

/// Which of a language's mask neurons are switched off when that language is deactivated.
///
/// ```swift
/// let lists = try DeactivationClasses(name: "specific+related").layerLists(of: "zh", in: masks)
/// ```
public enum DeactivationClasses: String, Codable, Sendable, CaseIterable {
    /// Neurons of this language only (c = 1).
    case specific
    /// Neurons of this language that at most K − 1 languages share (c < K): specific and related.
    case specificAndRelated = "specific+related"
    /// Every neuron of the language's mask, general ones included (what the originals do).
    case all

    public init(name: String) throws {
        switch name.lowercased() {
        case "specific": self = .specific
        case "specific+related", "specific-related", "related": self = .specificAndRelated
        case "all", "mask": self = .all
        default: throw PerplexityError.invalidInput("classes '\(name)': expected specific, specific+related or all")
        }
    }

    /// The per-layer neuron lists (sorted) of language `language` for these classes.
    public func layerLists(of language: String, in masks: MaskSet) throws -> [[Int]] {
        guard let k = masks.languages.firstIndex(of: language) else {
            throw PerplexityError.invalidInput("language '\(language)' is not in the masks (\(masks.languages.joined(separator: ",")))")
        }
        if self == .all { return masks.lists[k] }
        let classes = NeuronClasses(masks: masks)
        let perClass = classes.lists[language] ?? [:]
        let specific = perClass[.specific] ?? Array(repeating: [], count: masks.layers)
        guard self == .specificAndRelated else { return specific }
        let related = perClass[.related] ?? Array(repeating: [], count: masks.layers)
        return zip(specific, related).map { ($0 + $1).sorted() }
    }
}
