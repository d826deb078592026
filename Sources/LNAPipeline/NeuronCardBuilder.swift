import Foundation
import LNAAnalysis
import LNAFiles
import LNAFormats
import LNAModels

/// Builds `NeuronCard`s from a model and a run: the vocabulary projection comes from the model (output weight
/// column through `Model.unembed`), probabilities and scores from the run's statistics, classes from its masks,
/// contexts from the top-context sidecars of the statistics (decoded with the model's tokenizer).
///
/// ```swift
/// let builder = try NeuronCardBuilder.forRun(model: model, run: RunDirectory(URL(fileURLWithPath: "runs/sib")))
/// let cards = try builder.cards(for: builder.maskNeurons())
/// ```
public struct NeuronCardBuilder {
    public let model: Model
    /// The run's languages, in mask order.
    public let languages: [String]
    public let probabilities: ActivationProbabilities
    public let masks: MaskSet?
    /// λ of the run's NJUNLP identification (0 when unknown: the score is then the normalised entropy).
    public let lambda: Double
    /// Top contexts by language.
    public let topContexts: [String: TopContexts]
    /// Tokens promoted and suppressed shown per card.
    public var projectionSize = 20
    /// Tokens of context on each side.
    public var contextRadius = 8
    /// Contexts per language kept on a card (nil: all the sidecar has).
    public var contextsPerLanguage: Int?
    private let entropy: EntropyScores
    private let maskMembers: [Set<Int>]

    public init(model: Model, statistics: [ActivationStatistics], masks: MaskSet?, lambda: Double,
                topContexts: [String: TopContexts]) throws {
        let p = try ActivationProbabilities(statistics: statistics)
        guard p.width == model.config.intermediateSize, p.layers == model.config.layerCount else {
            throw PipelineError.invalid("the statistics are [\(p.layers), \(p.width)] but \(model.name) has \(model.config.layerCount) layers of \(model.config.intermediateSize) neurons; cards need statistics of its MLP neurons")
        }
        if let masks, masks.layers != p.layers || masks.width != p.width {
            throw PipelineError.invalid("the masks are [\(masks.layers), \(masks.width)] but the statistics [\(p.layers), \(p.width)]")
        }
        for (language, top) in topContexts where top.layers != p.layers || top.width != p.width {
            throw PipelineError.invalid("top contexts of \(language) are [\(top.layers), \(top.width)] but the statistics [\(p.layers), \(p.width)]")
        }
        self.model = model
        self.languages = p.languages
        self.probabilities = p
        self.masks = masks
        self.lambda = lambda
        self.topContexts = topContexts
        entropy = EntropyScores(probabilities: p)
        maskMembers = masks.map { m in m.languages.indices.map { Set(m.flatIndices(language: $0)) } } ?? []
    }

    /// The builder of a run directory: statistics and sidecars from `activations` (default `<run>/activations`),
    /// masks and λ from the run's masks file; every statistics language must be in the masks when there are masks.
    public static func forRun(model: Model, run: RunDirectory, activations: URL? = nil) throws -> NeuronCardBuilder {
        let folder = activations ?? run.activations
        let masksFile = try? RunDirectory.masksFile(for: run.url)
        let masks = try masksFile.map { try MaskSet.read($0) }
        let statistics = try StatisticsLoader.load(folder, languages: masks?.languages)
        var top: [String: TopContexts] = [:]
        for stats in statistics {
            guard let file = stats.metadata.extra["file"] else { continue }
            let sidecar = TopContextsFile.sidecar(of: folder.appendingPathComponent(file))
            guard FileManager.default.fileExists(atPath: sidecar.path) else { continue }
            top[stats.language] = try TopContextsFile.read(sidecar)
        }
        var lambda = 0.0
        if let masksFile, masksFile.pathExtension == "json", let data = try? Data(contentsOf: masksFile),
           let root = try? JSONValue.parse(data), let value = root["lambda"]?.doubleValue {
            lambda = value
        }
        return try NeuronCardBuilder(model: model, statistics: statistics, masks: masks, lambda: lambda, topContexts: top)
    }

    /// Every neuron of any mask, by layer and index.
    public func maskNeurons() -> [NeuronID] {
        guard let masks else { return [] }
        let flat = Set(maskMembers.flatMap { $0 }).sorted()
        return flat.map { NeuronID(layer: $0 / masks.width, neuron: $0 % masks.width) }
    }

    /// The cards of `neurons`, in the order given.
    public func cards(for neurons: [NeuronID]) throws -> [NeuronCard] {
        let c = model.config
        for id in neurons where !(0..<c.layerCount).contains(id.layer) || !(0..<c.intermediateSize).contains(id.neuron) {
            throw PipelineError.invalid("neuron \(id): \(model.name) has layers 0…\(c.layerCount - 1) of neurons 0…\(c.intermediateSize - 1)")
        }
        var projections: [NeuronID: (promoted: [NeuronCard.ProjectedToken], suppressed: [NeuronCard.ProjectedToken])] = [:]
        for layer in Set(neurons.map(\.layer)).sorted() {
            let ids = Array(Set(neurons.filter { $0.layer == layer })).sorted()
            let allColumns = try model.mlpOutputColumns(layer: layer, neurons: ids.map(\.neuron))
            let d = c.hiddenSize
            // A few rows per unembed call: each row is vocabularySize floats of logits.
            for start in stride(from: 0, to: ids.count, by: 16) {
                let chunk = Array(ids[start..<min(start + 16, ids.count)])
                let logits = try model.unembed(Array(allColumns[(start * d)..<((start + chunk.count) * d)]))
                let v = c.vocabularySize
                for (r, id) in chunk.enumerated() {
                    let (up, down) = logits.withUnsafeBufferPointer { all in
                        let row = UnsafeBufferPointer(rebasing: all[(r * v)..<((r + 1) * v)])
                        return (Self.extremes(row, count: projectionSize, largest: true),
                                Self.extremes(row, count: projectionSize, largest: false))
                    }
                    projections[id] = (up.map(projected), down.map(projected))
                }
            }
        }
        return neurons.map { id in
            card(id, projection: projections[id]!)
        }
    }

    private func projected(_ pair: (id: Int, logit: Float)) -> NeuronCard.ProjectedToken {
        NeuronCard.ProjectedToken(id: pair.id, text: tokenText(pair.id), logit: pair.logit)
    }

    private func card(_ id: NeuronID, projection: (promoted: [NeuronCard.ProjectedToken], suppressed: [NeuronCard.ProjectedToken]))
        -> NeuronCard {
        let flat = id.layer * probabilities.width + id.neuron
        let inMasks = masks.map { m in m.languages.indices.filter { maskMembers[$0].contains(flat) }.map { m.languages[$0] } } ?? []
        let cls = inMasks.isEmpty ? nil : NeuronClass.of(count: inMasks.count, languageCount: masks!.languageCount)?.rawValue
        let score = entropy.entropy[flat] - entropy.maxProbability[flat] * lambda / entropy.normMax
        var contexts: [(language: String, entries: [NeuronCard.Context])] = []
        for language in languages {
            guard let top = topContexts[language] else { continue }
            var entries = top.entries(layer: id.layer, neuron: id.neuron)
            if let limit = contextsPerLanguage { entries = Array(entries.prefix(limit)) }
            contexts.append((language, entries.map { e in
                let (left, token, right) = top.context(of: e, radius: contextRadius)
                return NeuronCard.Context(activation: e.value, left: text(left), token: tokenText(token), right: text(right),
                                          sequence: e.sequence, position: e.position)
            }))
        }
        return NeuronCard(layer: id.layer, neuron: id.neuron, neuronClass: cls, maskLanguages: inMasks, score: score,
                          entropy: entropy.entropy[flat],
                          probabilities: languages.indices.map { (languages[$0], Double(probabilities[id.layer, id.neuron, $0])) },
                          promoted: projection.promoted, suppressed: projection.suppressed, contexts: contexts)
    }

    /// A run of tokens as text, each token's bytes as the vocabulary spells them (leading spaces kept).
    func text(_ ids: [Int]) -> String {
        String(decoding: ids.flatMap { model.tokenizer.tokenBytes($0) }, as: UTF8.self)
    }

    /// One token as text; a token without bytes (`<bos>`, other control tokens) by its vocabulary string.
    func tokenText(_ id: Int) -> String {
        let bytes = model.tokenizer.tokenBytes(id)
        return bytes.isEmpty ? model.tokenizer.pieces([id])[0] : String(decoding: bytes, as: UTF8.self)
    }

    /// The `count` largest (or smallest) values with their indices, best first; ties to the smaller index.
    static func extremes(_ values: UnsafeBufferPointer<Float>, count: Int, largest: Bool) -> [(id: Int, logit: Float)] {
        var kept: [(id: Int, logit: Float)] = []
        kept.reserveCapacity(count + 1)
        func better(_ a: Float, _ b: Float) -> Bool { largest ? a > b : a < b }
        for (i, x) in values.enumerated() where !x.isNaN {
            if kept.count == count, let last = kept.last, !better(x, last.logit) { continue }
            var slot = kept.count
            while slot > 0 && better(x, kept[slot - 1].logit) { slot -= 1 }
            kept.insert((i, x), at: slot)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }

    /// `neurons/cards.json` of a run: format, model, λ, languages, and the cards.
    public func document(_ cards: [NeuronCard]) -> JSONDocument {
        .object([("format", .string(NeuronCardFile.formatTag)), ("model", .string(model.name)), ("lambda", .number(lambda)),
                 ("languages", .array(languages.map { .string($0) })),
                 ("cards", .array(cards.map { $0.json() }))])
    }
}

/// The cards file of a run (`<run>/neurons/cards.json`, format `lna.neuron-cards/1`).
///
/// ```swift
/// let (languages, cards) = try NeuronCardFile.read(NeuronCardFile.url(in: run))
/// ```
public enum NeuronCardFile {
    public static let formatTag = "lna.neuron-cards/1"

    public static func url(in run: RunDirectory) -> URL {
        run.url.appendingPathComponent("neurons").appendingPathComponent("cards.json")
    }

    public static func write(_ document: JSONDocument, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data((document.serialized() + "\n").utf8), to: url)
    }

    public static func read(_ url: URL) throws -> (model: String, languages: [String], cards: [NeuronCard]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PipelineError.missing("\(url.path): \(ErrorSentence.sentence(for: error))")
        }
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch { throw PipelineError.invalid("\(url.path): \(error)") }
        guard root["format"]?.stringValue == formatTag, let list = root["cards"]?.arrayValue else {
            throw PipelineError.invalid("\(url.path): expected format \(formatTag) with a cards list")
        }
        return (root["model"]?.stringValue ?? "", (root["languages"]?.arrayValue ?? []).compactMap(\.stringValue),
                try list.map { try NeuronCard(json: $0) })
    }
}
