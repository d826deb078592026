import LNAFiles

extension LanguageExperts {
    /// `experts.json`: the routing share of every language (per layer, per expert), the tokens it is over, the
    /// classification (as masks.json, with experts as the units), and the experts the deactivation grid removes.
    ///
    /// ```swift
    /// let doc = experts.json(classification: try experts.classify(topRate: 0.25), top: try experts.topExperts(count: 1))
    /// ```
    public func json(classification: IdentificationResult, top: MaskSet?) -> JSONDocument {
        var pairs: [(String, JSONDocument)] = [
            ("format", .string("lna.experts/1")),
            ("languages", .array(languages.map { .string($0) })),
            ("layers", .int(layers)),
            ("experts", .int(experts)),
            ("top_k", .int(topK)),
            ("routing_layers", .ints(routingLayers)),
            ("tokens", .object(zip(languages, tokens).map { ($0, .int(Int($1))) })),
            ("routing_share", .object(languages.indices.map { k in
                (languages[k], .array((0..<layers).map { l in .array((0..<experts).map { .number(share(language: k, layer: l, expert: $0)) }) }))
            })),
            ("classification", classification.json(probabilityMode: .plain)),
        ]
        if let top {
            pairs.append(("removed_experts", .object([
                ("per_layer", .int(top.lists.first?.map(\.count).max() ?? 0)),
                ("lists", .object(top.languages.enumerated().map { ($1, .lists(top.lists[$0])) })),
            ])))
        }
        return .object(pairs)
    }
}
