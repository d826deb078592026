import ArgumentParser
import Foundation
import LNAAnalysis
import LNAFiles

/// Where the per-language statistics come from (shared by identify and autosweep): `--activations DIR`, or
/// `activations/TAG` of `-s TAG`.
struct ActivationInputOptions: ParsableArguments {
    @Option(name: .customLong("activations"),
            help: "Folder of statistics files (*.safetensors from `lna activation`/`lna import`) or of the original activation.<lang>.*.pt (+ prefix.activation.<lang>.*.pt) files (default with -s TAG: activations/TAG).")
    var activations: String?

    @OptionGroup var saveTagOption: SaveTagOption

    @OptionGroup(title: "Languages, in mask order (default: all found, NJUNLP order en,ru,es,fr,de,zh,ja,bn,th,sw first)")
    var languagesOption: LanguagesOption

    @Option(name: .customLong("probabilities"),
            help: "response-only (needs prefix counts) or plain (over_zero/total_tokens). Default: response-only when every language has prefix counts.")
    var probabilities: String?

    func validate() throws {
        if activations == nil && saveTagOption.saveTag == nil {
            throw ValidationError("give --activations DIR (statistics from `lna activation` or `lna import`) or -s TAG (reads activations/TAG)")
        }
    }

    /// The statistics folder: --activations, else activations/TAG.
    var activationsPath: String { activations ?? saveTagOption.path("activations", else: nil) ?? "activations" }

    /// The output folder: `out` when given, else masks/TAG, else `fallback`.
    func outputPath(_ out: String?, fallback: String?) -> String? {
        out ?? saveTagOption.path("masks", else: fallback)
    }

    var languageList: [String]? { try? languagesOption.list() }

    func probabilityMode() throws -> ProbabilityMode? {
        guard let probabilities else { return nil }
        guard let mode = ProbabilityMode(rawValue: probabilities) else {
            throw ValidationError("--probabilities must be response-only or plain, not \(probabilities)")
        }
        return mode
    }

    /// Loads statistics and forms the probabilities, recording stage times.
    func loadProbabilities(timer: inout StageTimer) throws -> ActivationProbabilities {
        let stats = try StatisticsLoader.load(URL(fileURLWithPath: activationsPath), languages: languageList)
        timer.lap("load statistics (\(stats.count) languages)")
        let p = try ActivationProbabilities(statistics: stats, mode: try probabilityMode())
        timer.lap("probabilities (\(p.mode.rawValue), \(p.layers) × \(p.width) × \(p.languageCount))")
        return p
    }
}

/// Selection parameters shared by identify and autosweep; names follow the original CLIs (-r, -b).
struct SelectionOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .customLong("top-rate")],
            help: "Fraction of all L·H neurons selected before language assignment (the NJUNLP README and shipped mask use 0.01; their CLI default is 0.10).")
    var topRate: Double = 0.01

    @Option(name: [.customShort("b"), .customLong("bar")],
            help: "Activation bar: τ is the round(N·K·bar)-th smallest of all probabilities; a language gets a neuron when p > τ.")
    var bar: Double = 0.95

    @Option(name: .customLong("method"), help: "njunlp (entropy − λ·max, Zhang et al.) or lape (Tang et al.).")
    var method: String = "njunlp"

    @Option(name: .customLong("filter-rate"), help: "LAPE only: quantile of the pre-filter (Tang: 0.95, the same as -b).")
    var filterRate: Double?

    func validate() throws {
        guard topRate.isFinite, topRate > 0, topRate <= 1 else {
            throw ValidationError("-r/--top-rate \(topRate): expected a fraction in (0, 1], such as 0.01")
        }
        guard bar.isFinite, bar > 0, bar < 1 else {
            throw ValidationError("-b/--bar \(bar): expected a quantile in (0, 1), such as 0.95")
        }
        if let filterRate, !(filterRate.isFinite && filterRate > 0 && filterRate < 1) {
            throw ValidationError("--filter-rate \(filterRate): expected a quantile in (0, 1)")
        }
    }

    func identificationMethod() throws -> IdentificationMethod {
        guard let m = IdentificationMethod(rawValue: method) else { throw ValidationError("--method must be njunlp or lape, not \(method)") }
        return m
    }

    func makeIdentifier(_ p: ActivationProbabilities, timer: inout StageTimer) throws -> NeuronIdentifier {
        let identifier = try NeuronIdentifier(probabilities: p, method: try identificationMethod(), bar: bar, filterRate: filterRate)
        timer.absorb(identifier.timings)
        return identifier
    }
}

/// The AutoSweep bracket and its widening (autosweep and run): `--lo/--hi/--eps` as in the original.
///
/// ```swift
/// @OptionGroup var sweepOptions: SweepOptions
/// let sweep = sweepOptions.sweep(original: false)
/// ```
struct SweepOptions: ParsableArguments {
    @Option(name: .customLong("lo"), help: "Lower end of the λ range.") var lo: Double = 0
    @Option(name: .customLong("hi"), help: "Upper end of the λ range (doubled while it still has no shared neuron, unless --no-widen).")
    var hi: Double = 0.2
    @Option(name: .customLong("eps"), help: "Stop when hi − lo ≤ eps.") var eps: Double = 1e-3
    @Flag(name: .customLong("no-widen"), help: "Keep --hi fixed: when λ = hi has no shared neuron, hi is the answer (with a warning).")
    var noWiden = false

    func validate() throws {
        guard lo.isFinite, hi.isFinite else { throw ValidationError("--lo \(lo) --hi \(hi): expected finite numbers") }
        guard lo <= hi else { throw ValidationError("--lo \(lo) is above --hi \(hi); the λ range must not be empty") }
        guard eps.isFinite, eps > 0 else { throw ValidationError("--eps \(eps): expected a positive number such as 0.001") }
    }

    func sweep(original: Bool) -> AutoSweep {
        AutoSweep(lo: lo, hi: hi, eps: eps, originalBehaviour: original, widen: !noWiden)
    }

    /// The arguments that reproduce these settings (for `lna run`'s stage lines).
    var arguments: [String] {
        ["--lo=\(lo)", "--hi=\(hi)", "--eps=\(eps)"] + (noWiden ? ["--no-widen"] : [])
    }
}

/// Records and prints stage times for `--timing`.
struct StageTimer {
    private var last = DispatchTime.now().uptimeNanoseconds
    private let start = DispatchTime.now().uptimeNanoseconds
    private(set) var stages: [(String, Double)] = []

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        stages.append((stage, Double(now - last) / 1e9))
        last = now
    }

    /// Takes stages measured inside the library (they happened since the last lap).
    mutating func absorb(_ inner: [(stage: String, seconds: Double)]) {
        stages += inner.map { ($0.stage, $0.seconds) }
        last = DispatchTime.now().uptimeNanoseconds
    }

    func report() -> String {
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var lines = stages.map { String(format: "  %8.3f s  %@", $0.1, $0.0) }
        lines.append(String(format: "  %8.3f s  total", total))
        return "timing:\n" + lines.joined(separator: "\n")
    }
}

/// Printing helpers shared by the analysis commands.
enum AnalysisOutput {
    static func list(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ", ") + "]" }

    /// The summary table: per language mask size, specific and related counts; appear; general population.
    static func summary(_ result: IdentificationResult, mode: ProbabilityMode) -> String {
        let masks = result.masks, classes = result.classes
        var lines: [String] = []
        lines.append("\(result.method.rawValue): \(masks.languageCount) languages, \(masks.layers) × \(masks.width) neurons, \(mode.rawValue) probabilities")
        var params = "top rate \(result.topRate) → \(result.selectedCount) selected, \(result.droppedCount) assigned to no language (dropped)"
        if result.method == .njunlp { params += "; λ \(result.lambda)" }
        lines.append(params)
        lines.append("bar \(result.bar) → τ = \(Double(result.tau))" + (result.filterThreshold.map { "; LAPE filter > \(Double($0))" } ?? ""))
        lines.append("")
        lines.append(pad("language", 10) + lpad("mask", 8) + lpad("specific", 10) + lpad("related", 9) + lpad("general", 9))
        for (k, lang) in masks.languages.enumerated() {
            let c = classes.perLanguage[lang] ?? [:]
            lines.append(pad(lang, 10) + lpad("\(masks.sizes[k])", 8) + lpad("\(c[.specific] ?? 0)", 10)
                         + lpad("\(c[.related] ?? 0)", 9) + lpad("\(c[.general] ?? 0)", 9))
        }
        lines.append(pad("distinct", 10) + lpad("\(result.appear.reduce(0, +))", 8) + lpad("\(classes.total(.specific))", 10)
                     + lpad("\(classes.total(.related))", 9) + lpad("\(classes.total(.general))", 9))
        lines.append("")
        lines.append("appear histogram (neurons in exactly c languages, c = 0…\(masks.languageCount)): \(list(result.appear))")
        lines.append("active in all languages (any neuron with p > τ everywhere; the paper's \"general\" wording): \(result.population.total)")
        return lines.joined(separator: "\n")
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }

    /// Writes masks.json and masks.safetensors of a result into `directory` (each file atomically; both are
    /// fully built in memory first, so an error leaves no new file).
    static func writeMasks(_ result: IdentificationResult, mode: ProbabilityMode, to directory: URL) throws -> [URL] {
        let json = Data((result.json(probabilityMode: mode).serialized(pretty: true) + "\n").utf8)
        let jsonURL = directory.appendingPathComponent("masks.json")
        let tensorsURL = directory.appendingPathComponent("masks.safetensors")
        var extra = ["method": result.method.rawValue, "top_rate": "\(result.topRate)", "bar": "\(result.bar)",
                     "tau": "\(Double(result.tau))", "probabilities": mode.rawValue, "tool": "lna \(LNAVersion.string)"]
        if result.method == .njunlp { extra["lambda"] = "\(result.lambda)" }
        try result.masks.writeSafeTensors(to: tensorsURL, extra: extra)
        do { try AtomicFile.write(json, to: jsonURL) } catch {
            try? FileManager.default.removeItem(at: tensorsURL)
            throw error
        }
        return [jsonURL, tensorsURL]
    }
}
