import Foundation
import LNAFiles
import LNAFormats

/// What one neuron (layer, j) is: its vocabulary projection (the tokens its output weights promote and suppress
/// through the model's unembedding), its top-activating contexts per language, its activation probability per
/// language, its NJUNLP score and its class in the run's masks. Built by `NeuronCardBuilder`; printed by
/// `lna neuron`, written to `neurons/cards.json`, shown by the report's neuron explorer.
///
/// ```swift
/// let card = try builder.cards(for: [NeuronID(layer: 17, neuron: 1234)])[0]
/// print(card.text())
/// ```
public struct NeuronCard: Sendable, Equatable {
    /// A token of the vocabulary projection: its id, decoded text and logit.
    public struct ProjectedToken: Sendable, Equatable {
        public var id: Int
        public var text: String
        public var logit: Float
    }

    /// One top-activating context: the activation at `token`, with up to 8 tokens before and after (decoded).
    public struct Context: Sendable, Equatable {
        public var activation: Float
        public var left: String
        public var token: String
        public var right: String
        public var sequence: Int
        public var position: Int
    }

    public var layer: Int
    public var neuron: Int
    /// `specific`, `related` or `general`; nil when no mask holds the neuron.
    public var neuronClass: String?
    /// The masks that hold it.
    public var maskLanguages: [String]
    /// NJUNLP score `e − λ·max p / norm_max` at the run's λ (lower: more language-selective).
    public var score: Double
    /// Normalised entropy of its language distribution, in [0, 1].
    public var entropy: Double
    /// Activation probability per language, in the run's language order.
    public var probabilities: [(language: String, value: Double)]
    public var promoted: [ProjectedToken]
    public var suppressed: [ProjectedToken]
    /// Top contexts per language (languages without a sidecar are absent).
    public var contexts: [(language: String, entries: [Context])]

    public var id: String { "\(layer).\(neuron)" }

    public static func == (a: NeuronCard, b: NeuronCard) -> Bool { a.json().serialized() == b.json().serialized() }

    public func json() -> JSONDocument {
        func tokens(_ list: [ProjectedToken]) -> JSONDocument {
            .array(list.map { .object([("id", .int($0.id)), ("text", .string($0.text)), ("logit", .number(Double($0.logit)))]) })
        }
        return .object([
            ("id", .string(id)), ("layer", .int(layer)), ("neuron", .int(neuron)),
            ("class", neuronClass.map { .string($0) } ?? .null),
            ("masks", .array(maskLanguages.map { .string($0) })),
            ("score", .number(score)), ("entropy", .number(entropy)),
            ("probability", .object(probabilities.map { ($0.language, .number($0.value)) })),
            ("promoted", tokens(promoted)), ("suppressed", tokens(suppressed)),
            ("contexts", .object(contexts.map { lang in
                (lang.language, .array(lang.entries.map { c in
                    .object([("activation", .number(Double(c.activation))), ("left", .string(c.left)),
                             ("token", .string(c.token)), ("right", .string(c.right)),
                             ("sequence", .int(c.sequence)), ("position", .int(c.position))])
                }))
            })),
        ])
    }

    /// Reads a card written by `json()`; nil names what is missing.
    public init(json v: JSONValue) throws {
        func fail(_ what: String) -> PipelineError { .invalid("neuron card \(v["id"]?.stringValue ?? "?"): \(what)") }
        guard let layer = v["layer"]?.intValue, let neuron = v["neuron"]?.intValue else { throw fail("no layer/neuron") }
        func number(_ x: JSONValue?) -> Double? { x?.doubleValue }
        func pairs(_ x: JSONValue?) -> [(key: String, value: JSONValue)] {
            guard let o = x?.objectValue else { return [] }
            return o.keys.compactMap { k in o[k].map { (k, $0) } }
        }
        func tokens(_ key: String) throws -> [ProjectedToken] {
            try (v[key]?.arrayValue ?? []).map { t in
                guard let id = t["id"]?.intValue, let text = t["text"]?.stringValue, let logit = number(t["logit"]) else {
                    throw fail("\(key) entries need id, text, logit")
                }
                return ProjectedToken(id: id, text: text, logit: Float(logit))
            }
        }
        self.layer = layer
        self.neuron = neuron
        neuronClass = v["class"]?.stringValue
        maskLanguages = (v["masks"]?.arrayValue ?? []).compactMap(\.stringValue)
        score = number(v["score"]) ?? .nan
        entropy = number(v["entropy"]) ?? .nan
        probabilities = pairs(v["probability"]).map { ($0.key, number($0.value) ?? .nan) }
        promoted = try tokens("promoted")
        suppressed = try tokens("suppressed")
        contexts = try pairs(v["contexts"]).map { entry in
            (entry.key, try (entry.value.arrayValue ?? []).map { c in
                guard let a = number(c["activation"]), let left = c["left"]?.stringValue, let token = c["token"]?.stringValue,
                      let right = c["right"]?.stringValue else { throw fail("contexts need activation, left, token, right") }
                return Context(activation: Float(a), left: left, token: token, right: right,
                               sequence: c["sequence"]?.intValue ?? -1, position: c["position"]?.intValue ?? -1)
            })
        }
    }

    public init(layer: Int, neuron: Int, neuronClass: String?, maskLanguages: [String], score: Double, entropy: Double,
                probabilities: [(language: String, value: Double)], promoted: [ProjectedToken],
                suppressed: [ProjectedToken], contexts: [(language: String, entries: [Context])]) {
        self.layer = layer
        self.neuron = neuron
        self.neuronClass = neuronClass
        self.maskLanguages = maskLanguages
        self.score = score
        self.entropy = entropy
        self.probabilities = probabilities
        self.promoted = promoted
        self.suppressed = suppressed
        self.contexts = contexts
    }

    /// The card as text for a terminal.
    public func text(contextsPerLanguage: Int = 5) -> String {
        var lines = ["neuron \(id)  class \(neuronClass ?? "none")\(maskLanguages.isEmpty ? "" : " (" + maskLanguages.joined(separator: ", ") + ")")  score \(String(format: "%.4f", score))  entropy \(String(format: "%.4f", entropy))"]
        lines.append("activation probability: " + probabilities.map { "\($0.language) \(String(format: "%.3f", $0.value))" }.joined(separator: "  "))
        func show(_ t: ProjectedToken) -> String { "\(Self.visible(t.text)) (\(String(format: "%.2f", t.logit)))" }
        lines.append("promotes:   " + promoted.map(show).joined(separator: ", "))
        lines.append("suppresses: " + suppressed.map(show).joined(separator: ", "))
        for (language, entries) in contexts where !entries.isEmpty {
            lines.append("top contexts, \(language):")
            for c in entries.prefix(contextsPerLanguage) {
                lines.append("  \(String(format: "%7.3f", c.activation))  \(Self.oneLine(c.left))[[\(Self.oneLine(c.token))]]\(Self.oneLine(c.right))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A token with its spaces and line breaks made visible (`␣`, `⏎`) and quoted.
    public static func visible(_ text: String) -> String {
        "“" + text.replacingOccurrences(of: " ", with: "␣").replacingOccurrences(of: "\n", with: "⏎") + "”"
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "⏎").replacingOccurrences(of: "\t", with: " ")
    }
}

/// A neuron named as `layer.index` (`17.1234`).
public struct NeuronID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var layer: Int
    public var neuron: Int

    public init(layer: Int, neuron: Int) {
        self.layer = layer
        self.neuron = neuron
    }

    /// Parses `17.1234`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let l = Int(parts[0]), let j = Int(parts[1]), l >= 0, j >= 0 else {
            throw PipelineError.invalid("neuron \"\(text)\": expected LAYER.INDEX such as 17.1234")
        }
        self.init(layer: l, neuron: j)
    }

    public var description: String { "\(layer).\(neuron)" }

    public static func < (a: NeuronID, b: NeuronID) -> Bool { (a.layer, a.neuron) < (b.layer, b.neuron) }
}
