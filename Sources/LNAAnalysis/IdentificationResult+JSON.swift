import Foundation
import LNAFormats
import LNAFiles

extension IdentificationResult {
    /// The full `masks.json` document: parameters, τ, masks, appear, classes and the all-language population.
    ///
    /// ```swift
    /// try AtomicFile.write(Data(result.json(probabilityMode: p.mode).serialized(pretty: true).utf8), to: url)
    /// ```
    public func json(probabilityMode: ProbabilityMode, includeLists: Bool = true) -> JSONDocument {
        var pairs: [(String, JSONDocument)] = [
            ("format", .string("lna.masks/1")),
            ("languages", .array(masks.languages.map { .string($0) })),
            ("layers", .int(masks.layers)),
            ("width", .int(masks.width)),
            ("method", .string(method.rawValue)),
            ("probabilities", .string(probabilityMode.rawValue)),
            ("top_rate", .number(topRate)),
            ("lambda", .number(lambda)),
            ("bar", .number(bar)),
            ("tau", .number(Double(tau))),
        ]
        if let filterThreshold { pairs.append(("filter_threshold", .number(Double(filterThreshold)))) }
        pairs += [
            ("selected", .int(selectedCount)),
            ("dropped", .int(droppedCount)),
            ("sizes", .object(zip(masks.languages, masks.sizes).map { ($0, .int($1)) })),
        ]
        if includeLists {
            pairs.append(("masks", .object(masks.languages.enumerated().map { ($1, .lists(masks.lists[$0])) })))
        }
        pairs.append(("appear", .ints(appear)))
        pairs.append(("classes", classes.json(includeLists: includeLists)))
        var population: [(String, JSONDocument)] = [
            ("description", .string("every neuron (selected or not) with p > tau in all languages: the paper's wording of general neurons, not computed by the original code")),
            ("total", .int(self.population.total)),
            ("per_layer", .ints(self.population.perLayer)),
        ]
        if includeLists { population.append(("lists", .lists(self.population.lists))) }
        pairs.append(("active_in_all_languages", .object(population)))
        return .object(pairs)
    }
}

extension NeuronClasses {
    /// Per class: total, per layer, per language (and per language and layer), lists when asked.
    public func json(includeLists: Bool = true) -> JSONDocument {
        .object(NeuronClass.allCases.map { cls in
            var pairs: [(String, JSONDocument)] = [
                ("languages_per_neuron", .string(cls == .specific ? "1" : cls == .related ? "2..\(languages.count - 1)" : "\(languages.count)")),
                ("total", .int(total(cls))),
                ("per_layer", .ints(perLayer[cls] ?? [])),
            ]
            if cls != .general {
                pairs.append(("per_language", .object(languages.map { ($0, .int(perLanguage[$0]?[cls] ?? 0)) })))
                pairs.append(("per_language_layer", .object(languages.map { ($0, .ints(perLanguageLayer[$0]?[cls] ?? [])) })))
                if includeLists { pairs.append(("lists", .object(languages.map { ($0, .lists(lists[$0]?[cls] ?? [])) }))) }
            } else if includeLists, let first = languages.first {
                pairs.append(("lists", .lists(lists[first]?[.general] ?? [])))
            }
            return (cls.rawValue, .object(pairs))
        })
    }
}

extension MaskSet {
    /// A minimal `masks.json` (languages, shape, masks, appear, classes) for masks without identification
    /// parameters, e.g. imported from the originals' `.pth` files.
    public func json(source: String? = nil) -> JSONDocument {
        var pairs: [(String, JSONDocument)] = [
            ("format", .string("lna.masks/1")),
            ("languages", .array(languages.map { .string($0) })),
            ("layers", .int(layers)),
            ("width", .int(width)),
        ]
        if let source { pairs.append(("source", .string(source))) }
        pairs += [
            ("sizes", .object(zip(languages, sizes).map { ($0, .int($1)) })),
            ("masks", .object(languages.enumerated().map { ($1, .lists(lists[$0])) })),
            ("appear", .ints(appear)),
            ("classes", NeuronClasses(masks: self).json()),
        ]
        return .object(pairs)
    }

    /// Reads the `languages`, `layers`, `width` and `masks` of a `masks.json` file. The shape is checked
    /// (`checkShape`) before the lists are read, so a stated width of 2^31 fails without allocating.
    public static func readJSON(_ url: URL) throws -> MaskSet {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw AnalysisError.io("cannot read \(url.path): \(ErrorSentence.sentence(for: error))") }
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch let error as JSONParseError {
            throw AnalysisError.format("\(url.path): \(error)")
        }
        guard let languages = root["languages"]?.arrayValue?.compactMap(\.stringValue),
              languages.count == root["languages"]?.arrayValue?.count,
              let layers = root["layers"]?.intValue, let width = root["width"]?.intValue,
              let masks = root["masks"]?.objectValue else {
            throw AnalysisError.format("\(url.path): expected keys languages (strings), layers, width (ints) and masks (object)")
        }
        try checkShape(layers: layers, width: width, source: url.path)
        let lists: [[[Int]]] = try languages.map { lang in
            let notLists = AnalysisError.format("\(url.path): masks.\(lang) is missing or not a list of integer lists")
            guard let rows = masks[lang]?.arrayValue else { throw notLists }
            return try rows.map { row in
                guard let items = row.arrayValue else { throw notLists }
                let indices = items.compactMap(\.intValue)
                guard indices.count == items.count else { throw notLists }
                return indices
            }
        }
        return try MaskSet(languages: languages, layers: layers, width: width, lists: lists, source: url.path)
    }
}
