import Foundation
import LNAAnalysis
import LNAFiles
import LNATensor

/// A mean over prompts with its percentile-bootstrap 95 % interval (prompts resampled).
public struct LensInterval: Codable, Sendable, Equatable {
    public var mean: Double
    public var low: Double
    public var high: Double

    /// Mean and interval of `values` (seeded, 1000 resamples).
    public init(_ values: [Double], seed: UInt64) {
        let n = Double(values.count)
        mean = values.reduce(0, +) / n
        let interval = Bootstrap.interval(count: values.count, using: SplitMix64(seed: seed)) { idx in idx.reduce(0.0) { $0 + values[$1] } / n }
        low = interval?.low ?? mean
        high = interval?.high ?? mean
    }
}

/// One layer of one language pair in lens.json (docs/file-formats.md, "lens.json").
public struct LensLayer: Codable, Sendable, Equatable {
    /// Block index (its output, `blocks.{layer}.hook_resid_post`).
    public var layer: Int
    /// Per tracked language: probability mass on its answer's first tokens.
    public var mass: [String: LensInterval]
    /// Entropy of the decoded distribution (nats).
    public var entropy: LensInterval
    /// Per language (and `other`): the share of prompts whose most probable token is in that language.
    public var top1: [String: LensInterval]
}

/// The lens of one language pair (or of a set of texts: source and target then name the texts' language).
public struct LensPair: Codable, Sendable, Equatable {
    public var source: String
    public var target: String
    /// What the target is compared with: `en`, or the source when the target is English.
    public var rival: String
    public var prompts: Int
    /// Concepts skipped because the target's and the rival's first tokens overlap.
    public var ambiguous: Int
    public var layers: [LensLayer]
    /// The first layer from which the target's mean mass stays above the rival's, and at least 1 %, to the last
    /// layer (nil: never).
    public var overtakeLayer: Int?
    /// The layer where the rival's mean mass peaks, and that peak, among the layers before `overtakeLayer`
    /// (all layers when the target never overtakes): the height of an "English phase".
    public var rivalPeakLayer: Int?
    public var rivalPeak: Double?
    /// A few prompts with the top-1 token of each layer, for reading.
    public var examples: [LensExample]

    /// Summarises per-prompt readings (`readings[prompt][layer]`), top-1 languages already decided.
    public init(source: String, target: String, rival: String, ambiguous: Int, readings: [[LensReading]],
                top1Languages: [[String]], examples: [LensExample], seed: UInt64) {
        self.source = source
        self.target = target
        self.rival = rival
        self.prompts = readings.count
        self.ambiguous = ambiguous
        self.examples = examples
        let layerCount = readings.first?.count ?? 0
        let massLanguages = Array(Set(readings.flatMap { $0.flatMap { $0.mass.keys } })).sorted()
        let topLanguages = Array(Set(top1Languages.flatMap { $0 })).sorted()
        layers = (0..<layerCount).map { l in
            let seedL = seed &+ UInt64(l) &* 1_000_003
            var mass: [String: LensInterval] = [:]
            for language in massLanguages {
                mass[language] = LensInterval(readings.map { $0[l].mass[language] ?? 0 }, seed: seedL)
            }
            var top1: [String: LensInterval] = [:]
            for language in topLanguages {
                top1[language] = LensInterval(top1Languages.map { $0[l] == language ? 1 : 0 }, seed: seedL)
            }
            return LensLayer(layer: l, mass: mass, entropy: LensInterval(readings.map { $0[l].entropy }, seed: seedL),
                             top1: top1)
        }
        let targetMass = layers.map { $0.mass[target]?.mean ?? 0 }
        let rivalMass = layers.map { $0.mass[rival]?.mean ?? 0 }
        overtakeLayer = Self.overtakeLayer(targetMass, rivalMass)
        let before = rivalMass.prefix(overtakeLayer ?? rivalMass.count)
        if let peak = before.indices.max(by: { before[$0] < before[$1] }) {
            rivalPeakLayer = peak
            rivalPeak = before[peak]
        }
    }

    /// The least mass that counts as the target being there: below it, "above the rival" compares rounding noise
    /// (both near 0 in the early layers).
    public static let overtakeFloor = 0.01

    /// The first index from which `target` stays above `rival` and at least `overtakeFloor` to the end; nil when
    /// the last is not: `LensPair.overtakeLayer([0, 0.2, 0.1, 0.5], [0.1, 0.1, 0.3, 0.2])` is 3.
    public static func overtakeLayer(_ target: [Double], _ rival: [Double]) -> Int? {
        var layer: Int? = nil
        for i in stride(from: target.count - 1, through: 0, by: -1) {
            guard target[i] > rival[i], target[i] >= overtakeFloor else { break }
            layer = i
        }
        return layer
    }
}

/// One prompt as the lens saw it: per layer, the top-1 token's text and probability.
public struct LensExample: Codable, Sendable, Equatable {
    public var prompt: String
    public var answer: String
    public var top1: [String]
    public var top1Probability: [Double]
}

/// lens.json: every pair of one `lna lens` run.
public struct LensDocument: Codable, Sendable, Equatable {
    /// `lna.lens/1`.
    public var format = "lna.lens/1"
    public var model: String
    public var layerCount: Int
    /// `builtin` or the word-list file; `texts: FILE` for free texts.
    public var input: String
    public var shots: Int
    /// nil without intervention, else a description (`deactivate fr (specific), value 0` or the steering spec).
    public var intervention: String?
    public var seed: UInt64
    public var pairs: [LensPair]

    public init(model: String, layerCount: Int, input: String, shots: Int, intervention: String?, seed: UInt64,
                pairs: [LensPair]) {
        self.model = model
        self.layerCount = layerCount
        self.input = input
        self.shots = shots
        self.intervention = intervention
        self.seed = seed
        self.pairs = pairs
    }

    /// Writes the document atomically as pretty, key-sorted JSON.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try AtomicFile.write(try encoder.encode(self), to: url)
    }

    public static func read(from url: URL) throws -> LensDocument {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LensError.invalidInput("\(url.path): no such file or not readable")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let doc: LensDocument
        do { doc = try decoder.decode(LensDocument.self, from: data) } catch {
            throw LensError.invalidInput("\(url.path): not a lens.json document: \(error)")
        }
        guard doc.format == "lna.lens/1" else {
            throw LensError.invalidInput("\(url.path): format \(doc.format), expected lna.lens/1")
        }
        return doc
    }
}
