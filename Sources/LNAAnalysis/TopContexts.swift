/// The K largest activations of every neuron in one language, each with the token where it happened: the
/// "top-activating contexts" of a neuron card (`lna activation --top-contexts K`).
///
/// Slots are ordered by value (largest first), ties by sequence index then position (earliest first), so the
/// top K of a run is one well-defined set and `merge` of shards gives exactly the single run's file. The
/// sequences an entry points into are kept (token ids, by their index in the whole recording), so the context
/// of an entry is read from them; unreferenced sequences are dropped.
///
/// ```swift
/// let top = try TopContextsFile.read(URL(fileURLWithPath: "acts/zh.top-contexts.safetensors"))
/// for entry in top.entries(layer: 17, neuron: 1234) {
///     let (left, token, right) = top.context(of: entry, radius: 8)   // token ids; decode with the model's tokenizer
/// }
/// ```
public struct TopContexts: Sendable, Equatable {
    /// One kept activation: its value and where it happened (sequence index in the whole recording, position).
    public struct Entry: Sendable, Equatable, Hashable {
        public var value: Float
        public var sequence: Int
        public var position: Int

        public init(value: Float, sequence: Int, position: Int) {
            self.value = value
            self.sequence = sequence
            self.position = position
        }

        /// The slot order: larger value first; on equal values the earlier token (sequence, then position).
        public static func ranksBefore(_ a: Entry, _ b: Entry) -> Bool {
            if a.value != b.value { return a.value > b.value }
            if a.sequence != b.sequence { return a.sequence < b.sequence }
            return a.position < b.position
        }
    }

    /// language, dataset, model, model_sha256, hook_site, shard (`i/n`) and any further keys.
    public var metadata: [String: String]
    public let layers: Int
    public let width: Int
    /// Slots per neuron.
    public let k: Int
    /// `[layers · width · k]`; an empty slot has value −∞ and sequence −1.
    public var values: [Float]
    public var sequences: [Int]
    public var positions: [Int]
    /// Token ids of every sequence an entry points into, by sequence index.
    public var sequenceTokens: [Int: [Int]]

    /// Slots per neuron above this are a typo (the sidecar would be larger than the statistics by far).
    public static let maxK = 1000

    public init(metadata: [String: String], layers: Int, width: Int, k: Int, values: [Float], sequences: [Int],
                positions: [Int], sequenceTokens: [Int: [Int]], source: String = "top contexts") throws {
        guard layers >= 1, width >= 1, (1...Self.maxK).contains(k) else {
            throw AnalysisError.invalidParameter("\(source): layers \(layers), width \(width), k \(k): expected ≥ 1, ≥ 1 and 1…\(Self.maxK)")
        }
        let (neurons, o1) = layers.multipliedReportingOverflow(by: width)
        let (slots, o2) = neurons.multipliedReportingOverflow(by: k)
        guard !o1, !o2, slots <= MaskSet.maxNeurons * 16 else {
            throw AnalysisError.invalidParameter("\(source): \(layers) × \(width) × \(k) slots is too many")
        }
        guard values.count == slots, sequences.count == slots, positions.count == slots else {
            throw AnalysisError.shapeMismatch("\(source): expected \(slots) slots [\(layers), \(width), \(k)], got \(values.count) values, \(sequences.count) sequences, \(positions.count) positions")
        }
        for i in 0..<slots where sequences[i] >= 0 {
            guard let tokens = sequenceTokens[sequences[i]] else {
                throw AnalysisError.missing("\(source): slot \(i) points into sequence \(sequences[i]), which is not stored")
            }
            guard (0..<tokens.count).contains(positions[i]) else {
                throw AnalysisError.invalidValue("\(source): slot \(i) has position \(positions[i]) outside sequence \(sequences[i]) of \(tokens.count) tokens")
            }
        }
        self.metadata = metadata
        self.layers = layers
        self.width = width
        self.k = k
        self.values = values
        self.sequences = sequences
        self.positions = positions
        self.sequenceTokens = sequenceTokens
    }

    public var language: String { metadata["language"] ?? "" }

    /// The kept entries of neuron (layer, neuron), best first (fewer than k when the run had fewer tokens).
    public func entries(layer: Int, neuron: Int) -> [Entry] {
        guard (0..<layers).contains(layer), (0..<width).contains(neuron) else { return [] }
        let base = (layer * width + neuron) * k
        return (base..<base + k).compactMap { i in
            sequences[i] < 0 ? nil : Entry(value: values[i], sequence: sequences[i], position: positions[i])
        }
    }

    /// The token ids around an entry: up to `radius` before, the token itself, up to `radius` after.
    public func context(of entry: Entry, radius: Int) -> (left: [Int], token: Int, right: [Int]) {
        guard let tokens = sequenceTokens[entry.sequence], (0..<tokens.count).contains(entry.position) else {
            return ([], -1, [])
        }
        let r = max(radius, 0)
        let left = Array(tokens[max(0, entry.position - r)..<entry.position])
        let right = Array(tokens[(entry.position + 1)..<min(tokens.count, entry.position + 1 + r)])
        return (left, tokens[entry.position], right)
    }

    /// Keeps only the sequences some entry points into.
    public mutating func dropUnreferencedSequences() {
        let used = Set(sequences.filter { $0 >= 0 })
        sequenceTokens = sequenceTokens.filter { used.contains($0.key) }
    }
}

extension TopContexts {
    /// Joins the top contexts of shards of one recording (same model, site, language, shape and k): for every
    /// neuron the best k of all shards' entries in slot order, which is exactly what a single run keeps.
    ///
    /// ```swift
    /// let whole = try TopContexts.merge([shard0, shard1], sources: ["en.shard-0-of-2", "en.shard-1-of-2"])
    /// ```
    public static func merge(_ parts: [TopContexts], sources: [String]? = nil) throws -> TopContexts {
        guard let first = parts.first else { throw AnalysisError.missing("no top contexts to merge") }
        let names = sources ?? parts.indices.map { "part \($0 + 1)" }
        var tokens = first.sequenceTokens
        for (part, name) in zip(parts, names).dropFirst() {
            for key in ["language", "model", "model_sha256", "hook_site"] where part.metadata[key] != first.metadata[key] {
                throw AnalysisError.metadataMismatch("\(name) has \(key) \(part.metadata[key] ?? "(none)") but \(names[0]) has \(first.metadata[key] ?? "(none)"); only top contexts of shards of one recording can be merged")
            }
            guard part.layers == first.layers, part.width == first.width, part.k == first.k else {
                throw AnalysisError.shapeMismatch("\(name) has [\(part.layers), \(part.width), \(part.k)] slots but \(names[0]) has [\(first.layers), \(first.width), \(first.k)]")
            }
            for (index, sequence) in part.sequenceTokens {
                if let known = tokens[index], known != sequence {
                    throw AnalysisError.metadataMismatch("\(name): sequence \(index) has other tokens than in an earlier part; the parts come from different inputs")
                }
                tokens[index] = sequence
            }
        }
        let k = first.k
        var values = first.values, sequences = first.sequences, positions = first.positions
        var seen = Set<Entry>()
        for neuron in 0..<(first.layers * first.width) {
            let base = neuron * k
            var pool: [Entry] = []
            seen.removeAll(keepingCapacity: true)
            for part in parts {
                for i in base..<base + k where part.sequences[i] >= 0 {
                    let e = Entry(value: part.values[i], sequence: part.sequences[i], position: part.positions[i])
                    guard seen.insert(e).inserted else {
                        throw AnalysisError.metadataMismatch("token \(e.position) of sequence \(e.sequence) appears in two parts; shards of one recording never overlap")
                    }
                    pool.append(e)
                }
            }
            pool.sort(by: Entry.ranksBefore)
            for slot in 0..<k {
                let e = slot < pool.count ? pool[slot] : nil
                values[base + slot] = e?.value ?? -.infinity
                sequences[base + slot] = e?.sequence ?? -1
                positions[base + slot] = e?.position ?? -1
            }
        }
        var metadata = first.metadata
        var datasets: [String] = []
        for d in parts.compactMap({ $0.metadata["dataset"] }) where !d.isEmpty && !datasets.contains(d) { datasets.append(d) }
        metadata["dataset"] = datasets.joined(separator: "+")
        metadata["shard"] = Self.mergedShard(parts.map { $0.metadata["shard"] ?? "0/1" })
        var merged = try TopContexts(metadata: metadata, layers: first.layers, width: first.width, k: k, values: values,
                                     sequences: sequences, positions: positions, sequenceTokens: tokens,
                                     source: "merged top contexts")
        merged.dropUnreferencedSequences()
        return merged
    }

    /// `0/1` when the parts are all shards of one `n`, else the parts' shards joined with `+`.
    static func mergedShard(_ shards: [String]) -> String {
        let parsed = shards.map { $0.split(separator: "/").compactMap { Int($0) } }
        if let n = parsed.first?.last, parsed.allSatisfy({ $0.count == 2 && $0[1] == n }),
           Set(parsed.map { $0[0] }) == Set(0..<n), parsed.count == n {
            return "0/1"
        }
        return shards.sorted().joined(separator: "+")
    }
}
