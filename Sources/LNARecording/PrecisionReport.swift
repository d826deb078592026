import Foundation
import LNAAnalysis
import LNAFiles
import LNAHooks
import LNAModels
import LNATensor

/// What a reduced arithmetic precision changes in lna's results, against float32 on the same texts: the share of
/// (token, neuron) activation signs that flip at the recording site, the change of each language's activation
/// probabilities, the overlap of the language masks identified from both (same settings), and the Σ NLL of the
/// texts. Precision-generic: it compares any two loaded models' arithmetic (`Model.precision`).
///
/// ```swift
/// let report = try PrecisionReport.measure(reference: try Model.load("gemma3-270m"),
///                                          reduced: try Model.load("gemma3-270m", precision: .bf16),
///                                          texts: ["en": enInput, "fr": frInput], dataset: "sib200")
/// print(report.signFlipShare, report.nllDifference)
/// ```
public struct PrecisionReport: Codable, Sendable, Equatable {
    /// Written into statistics metadata (`precision_report`) and checked when a report is pointed to.
    public static let format = "lna.precision-report/1"

    public var format = PrecisionReport.format
    public var model: String
    /// The reduced precision measured (`bf16`, `int8`) and the reference (`float32`).
    public var precision: String
    public var reference: String
    public var dataset: String
    public var site: String
    /// Identification settings of the compared masks (`lna identify` defaults unless given).
    public var topRate: Double
    public var bar: Double
    public var languages: [Language]
    /// (token, neuron) pairs compared at the site, and how many changed sign (value > 0 on one side only).
    public var signsCompared: Int64
    public var signFlips: Int64
    /// Σ NLL (nats) of the next tokens of every text, each model with its own LM head (bf16 arithmetic in a bf16
    /// model, float32 in a float32 or int8 one).
    public var nllReference: Double
    public var nllReduced: Double
    public var scoredTokens: Int
    /// Jaccard of all (language, layer, neuron) mask entries; nil with one language (no identification).
    public var maskJaccard: Double?

    /// signFlips / signsCompared, and nllReduced − nllReference (stored so that the JSON carries them).
    public var signFlipShare = 0.0
    public var nllDifference = 0.0

    /// One language's row of the report.
    public struct Language: Codable, Sendable, Equatable {
        public var language: String
        public var tokens: Int64
        public var signFlips: Int64
        public var signsCompared: Int64
        /// max and mean over neurons of |p_reduced − p_float32|, p = share of the language's tokens with value > 0.
        public var maxProbabilityChange: Double
        public var meanProbabilityChange: Double
        public var maskSizeReference: Int?
        public var maskSizeReduced: Int?
        public var maskJaccard: Double?
        public var nllReference: Double
        public var nllReduced: Double
        public var signFlipShare: Double
    }

    /// Runs both models over each language's sequences (packed as a recording packs them, `settings.batchTokens`
    /// rows per call), scoring the next tokens in the same forward call, and compares.
    ///
    /// - Throws: `RecordingError` for models of different shapes, a site that is not per layer, or no texts.
    public static func measure(reference: Model, reduced: Model, texts: [(language: String, input: RecordingInput)],
                               dataset: String, settings: RecordingSettings = RecordingSettings(), topRate: Double = 0.01,
                               bar: Double = 0.95, progress: ((String) -> Void)? = nil) throws -> PrecisionReport {
        try settings.validate()
        guard reference.config.layerCount == reduced.config.layerCount,
              reference.config.intermediateSize == reduced.config.intermediateSize else {
            throw RecordingError.invalidSetting("precision report: the two models differ in shape")
        }
        guard !texts.isEmpty else { throw RecordingError.invalidSetting("precision report: no languages given") }
        let config = reference.config
        let width = try settings.width(for: config)
        var report = PrecisionReport(
            model: reference.name, precision: reduced.precision.rawValue, reference: reference.precision.rawValue,
            dataset: dataset, site: settings.site, topRate: topRate, bar: bar, languages: [], signsCompared: 0,
            signFlips: 0, nllReference: 0, nllReduced: 0, scoredTokens: 0, maskJaccard: nil)
        var statistics: (reference: [ActivationStatistics], reduced: [ActivationStatistics]) = ([], [])
        for (language, input) in texts {
            progress?(language)
            let run = try LanguageRun(layers: config.layerCount, width: width, site: settings.site)
            let plan = RecordingPlan(sequences: input.sequences, batchTokens: settings.batchTokens, shard: .whole)
            for batch in plan.batches {
                let sequences = input.sequences[batch]
                let tokens = TokenBatch(sequences.map(\.tokens))
                let next = sequences.flatMap { Array($0.tokens.dropFirst()) + [-1] }
                run.begin(sequences, side: .reference)
                run.nll.reference += Self.nllSum(try reference.scoreRows(tokens, nextTokens: next, hooks: run.referenceHooks))
                run.begin(sequences, side: .reduced)
                run.nll.reduced += Self.nllSum(try reduced.scoreRows(tokens, nextTokens: next, hooks: run.reducedHooks))
                report.scoredTokens += next.filter { $0 >= 0 }.count
            }
            let (p, q) = (run.counters.reference.full, run.counters.reduced.full)
            let changes = zip(p.overZero, q.overZero).map { a, b in
                abs(Double(b) - Double(a)) / Double(max(p.totalTokens, 1))
            }
            report.languages.append(Language(
                language: language, tokens: p.totalTokens, signFlips: run.signs.flips, signsCompared: run.signs.compared,
                maxProbabilityChange: changes.max() ?? 0,
                meanProbabilityChange: changes.isEmpty ? 0 : changes.reduce(0, +) / Double(changes.count),
                maskSizeReference: nil, maskSizeReduced: nil, maskJaccard: nil,
                nllReference: run.nll.reference, nllReduced: run.nll.reduced,
                signFlipShare: Self.share(run.signs.flips, of: run.signs.compared)))
            report.signFlips += run.signs.flips
            report.signsCompared += run.signs.compared
            report.nllReference += run.nll.reference
            report.nllReduced += run.nll.reduced
            let metadata = StatisticsMetadata(language: language, dataset: dataset, model: reference.name,
                                              hookSite: settings.site, layers: config.layerCount, width: width)
            statistics.reference.append(try ActivationStatistics(metadata: metadata, full: p))
            statistics.reduced.append(try ActivationStatistics(metadata: metadata, full: q))
        }
        if texts.count >= 2 { try report.compareMasks(statistics) }
        report.signFlipShare = share(report.signFlips, of: report.signsCompared)
        report.nllDifference = report.nllReduced - report.nllReference
        return report
    }

    private static func share(_ part: Int64, of whole: Int64) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }

    private static func nllSum(_ rows: [RowScore]) -> Double {
        rows.reduce(0) { $0 + ($1.nll.isNaN ? 0 : $1.nll) }
    }

    /// Identifies the masks of both sides with the same settings and fills the Jaccard overlaps.
    private mutating func compareMasks(_ statistics: (reference: [ActivationStatistics], reduced: [ActivationStatistics])) throws {
        func masks(_ s: [ActivationStatistics]) throws -> MaskSet {
            let identifier = try NeuronIdentifier(probabilities: try ActivationProbabilities(statistics: s), bar: bar)
            return try identifier.identify(topRate: topRate).masks
        }
        let overlaps = try masks(statistics.reference).languageOverlap(with: try masks(statistics.reduced))
        var common = 0, union = 0
        for (language, overlap) in overlaps {
            guard let row = languages.firstIndex(where: { $0.language == language }) else { continue }
            languages[row].maskSizeReference = overlap.first
            languages[row].maskSizeReduced = overlap.second
            languages[row].maskJaccard = overlap.jaccard
            common += overlap.common
            union += overlap.first + overlap.second - overlap.common
        }
        maskJaccard = union == 0 ? 0 : Double(common) / Double(union)
    }

    /// The report as an aligned text table (one row per language and a total).
    public var table: String {
        let header = ["language", "tokens", "sign flips", "max |Δp|", "mean |Δp|", "mask Jaccard (sizes)",
                      "ΣNLL \(reference)", "ΣNLL \(precision)", "Δ ΣNLL"]
        func jaccard(_ value: Double?, _ sizes: (Int?, Int?)) -> String {
            guard let value else { return "–" }
            let text = String(format: "%.4f", value)
            guard let a = sizes.0, let b = sizes.1 else { return text }
            return text + " (\(a), \(b))"
        }
        func row(_ name: String, tokens: Int64, flips: Int64, share: Double, maxChange: Double, meanChange: Double,
                 masks: String, nll: (Double, Double)) -> [String] {
            [name, String(tokens), String(format: "%.2e (%lld)", share, flips), String(format: "%.4f", maxChange),
             String(format: "%.6f", meanChange), masks, String(format: "%.3f", nll.0), String(format: "%.3f", nll.1),
             String(format: "%+.3f", nll.1 - nll.0)]
        }
        var rows = [header]
        for l in languages {
            rows.append(row(l.language, tokens: l.tokens, flips: l.signFlips, share: l.signFlipShare,
                            maxChange: l.maxProbabilityChange, meanChange: l.meanProbabilityChange,
                            masks: jaccard(l.maskJaccard, (l.maskSizeReference, l.maskSizeReduced)),
                            nll: (l.nllReference, l.nllReduced)))
        }
        let meanChange = languages.isEmpty ? 0 : languages.map(\.meanProbabilityChange).reduce(0, +) / Double(languages.count)
        rows.append(row("all", tokens: languages.reduce(0) { $0 + $1.tokens }, flips: signFlips, share: signFlipShare,
                        maxChange: languages.map(\.maxProbabilityChange).max() ?? 0, meanChange: meanChange,
                        masks: jaccard(maskJaccard, (nil, nil)), nll: (nllReference, nllReduced)))
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        let lines = rows.map { cells in
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return (["precision report: \(model), \(precision) against \(reference), \(dataset), site \(site); masks: top rate \(topRate), bar \(bar); |Δp| over neurons, mean over languages in the last row"]
                + lines).joined(separator: "\n")
    }
}

/// The per-language state of `PrecisionReport.measure`: a counter and the site's signs on each side.
private final class LanguageRun {
    enum Side { case reference, reduced }
    let referenceHooks: HookSet
    let reducedHooks: HookSet
    let counters: (reference: NeuronCounter, reduced: NeuronCounter)
    let signs: SignComparison
    var nll: (reference: Double, reduced: Double) = (0, 0)

    init(layers: Int, width: Int, site: String) throws {
        counters = (NeuronCounter(layers: layers, width: width, recordsPrefix: false, recordsSums: false),
                    NeuronCounter(layers: layers, width: width, recordsPrefix: false, recordsSums: false))
        signs = SignComparison(layers: layers, width: width)
        referenceHooks = HookSet(layerCount: layers)
        reducedHooks = HookSet(layerCount: layers)
        try counters.reference.attach(to: referenceHooks, site: site)
        try counters.reduced.attach(to: reducedHooks, site: site)
        try referenceHooks.observe(site) { [signs] tensor in signs.store(tensor) }
        try reducedHooks.observe(site) { [signs] tensor in signs.compare(tensor) }
    }

    func begin(_ sequences: ArraySlice<RecordingSequence>, side: Side) {
        switch side {
        case .reference:
            counters.reference.begin(sequences)
            signs.begin(rows: sequences.reduce(0) { $0 + $1.tokens.count })
        case .reduced:
            counters.reduced.begin(sequences)
        }
    }
}

/// The signs (value > 0) of one forward call's site tensors, stored on the reference side and compared on the
/// reduced side: flips and pairs compared.
private final class SignComparison {
    let layers: Int, width: Int
    private var positive: [[Bool]]
    private(set) var flips: Int64 = 0
    private(set) var compared: Int64 = 0

    init(layers: Int, width: Int) {
        self.layers = layers
        self.width = width
        positive = Array(repeating: [], count: layers)
    }

    func begin(rows: Int) {
        for l in 0..<layers { positive[l] = [Bool](repeating: false, count: rows * width) }
    }

    func store(_ tensor: HookTensor) {
        guard let l = tensor.point.layer, l < layers, tensor.columns == width else { return }
        for r in 0..<tensor.rows {
            let row = tensor.row(r), base = (tensor.rowOffset + r) * width
            guard base + width <= positive[l].count else { return }
            for j in 0..<width { positive[l][base + j] = row[j] > 0 }
        }
    }

    func compare(_ tensor: HookTensor) {
        guard let l = tensor.point.layer, l < layers, tensor.columns == width else { return }
        for r in 0..<tensor.rows {
            let row = tensor.row(r), base = (tensor.rowOffset + r) * width
            guard base + width <= positive[l].count else { return }
            var changed = 0
            for j in 0..<width where (row[j] > 0) != positive[l][base + j] { changed += 1 }
            flips += Int64(changed)
            compared += Int64(width)
        }
    }
}
