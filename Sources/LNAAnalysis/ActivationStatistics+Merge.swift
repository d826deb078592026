extension ActivationStatistics {
    /// Sums the statistics of shards of one run (same model, hook site, language and shape): counts, totals,
    /// sums and routing counts add up; prefix counts must exist in all shards or in none. Datasets that differ are joined with `+`.
    ///
    /// ```swift
    /// let whole = try ActivationStatistics.merge([shard1, shard2])
    /// ```
    public static func merge(_ shards: [ActivationStatistics], sources: [String]? = nil) throws -> ActivationStatistics {
        guard let first = shards.first else { throw AnalysisError.missing("nothing to merge") }
        let names = sources ?? shards.indices.map { "shard \($0 + 1)" }
        for (s, name) in zip(shards, names).dropFirst() {
            let a = first.metadata, b = s.metadata
            for (field, x, y) in [("language", a.language, b.language), ("model", a.model, b.model),
                                  ("model_sha256", a.modelSHA256, b.modelSHA256), ("architecture", a.architecture, b.architecture),
                                  ("hook_site", a.hookSite, b.hookSite), ("layers", "\(a.layers)", "\(b.layers)"),
                                  ("width", "\(a.width)", "\(b.width)")] where x != y {
                throw AnalysisError.metadataMismatch("\(name) has \(field) \(y.isEmpty ? "(empty)" : y) but \(names[0]) has \(x.isEmpty ? "(empty)" : x); only shards of the same model, site and language can be merged")
            }
            guard (s.prefix == nil) == (first.prefix == nil) else {
                throw AnalysisError.metadataMismatch("\(name) \(s.prefix == nil ? "has no" : "has") prefix counts but \(names[0]) \(first.prefix == nil ? "has none" : "has them")")
            }
            guard (s.full.sumActivation == nil) == (first.full.sumActivation == nil) else {
                throw AnalysisError.metadataMismatch("\(name) and \(names[0]) disagree on whether sum_act was recorded")
            }
            guard (s.full.sumWeightedActivation == nil) == (first.full.sumWeightedActivation == nil) else {
                throw AnalysisError.metadataMismatch("\(name) and \(names[0]) disagree on whether sum_weighted_act was recorded")
            }
            guard (s.full.routing == nil) == (first.full.routing == nil) else {
                throw AnalysisError.metadataMismatch("\(name) \(s.full.routing == nil ? "has no" : "has") routing counts but \(names[0]) \(first.full.routing == nil ? "has none" : "has them")")
            }
        }
        // Counts from files can be anything up to 2^63 − 1: a sum that overflows is an error naming the shard.
        func add(_ parts: [ActivationCounts], _ label: String) throws -> ActivationCounts {
            var total = parts[0]
            for (part, name) in zip(parts, names).dropFirst() {
                func overflow(_ what: String) -> AnalysisError {
                    .invalidValue("\(name): adding its \(label)\(what) to the shards before it overflows a 64-bit count")
                }
                let (tokens, tokensOverflow) = total.totalTokens.addingReportingOverflow(part.totalTokens)
                guard !tokensOverflow else { throw overflow("total_tokens") }
                total.totalTokens = tokens
                for i in total.overZero.indices {
                    let (sum, sumOverflow) = total.overZero[i].addingReportingOverflow(part.overZero[i])
                    guard !sumOverflow else { throw overflow("over_zero[\(i / first.metadata.width), \(i % first.metadata.width)]") }
                    total.overZero[i] = sum
                }
                if let sums = part.sumActivation, var acc = total.sumActivation {
                    for i in acc.indices { acc[i] += sums[i] }
                    total.sumActivation = acc
                }
                if let sums = part.sumWeightedActivation, var acc = total.sumWeightedActivation {
                    for i in acc.indices { acc[i] += sums[i] }
                    total.sumWeightedActivation = acc
                }
                if let routing = part.routing { try total.routing?.add(routing, name: name, label: label + "routing_") }
            }
            return total
        }
        var metadata = first.metadata
        var datasets: [String] = []
        for d in shards.map(\.metadata.dataset) where !d.isEmpty && !datasets.contains(d) { datasets.append(d) }
        metadata.dataset = datasets.joined(separator: "+")
        metadata.extra["merged_from"] = names.joined(separator: ",")
        // Shards recorded on different CPUs name each kernel set they used (KernelSet in LNATensor), in order.
        var kernels: [String] = []
        for k in shards.compactMap({ $0.metadata.extra["kernels"] }) where !kernels.contains(k) { kernels.append(k) }
        if !kernels.isEmpty { metadata.extra["kernels"] = kernels.joined(separator: "+") }
        metadata.tool = "lna \(LNAAnalysisInfo.version) merge"
        return try ActivationStatistics(metadata: metadata, full: add(shards.map(\.full), ""),
                                        prefix: first.prefix == nil ? nil : add(shards.compactMap(\.prefix), "prefix_"),
                                        source: "merged statistics")
    }
}
