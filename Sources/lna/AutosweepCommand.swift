import ArgumentParser
import Foundation
import LNAAnalysis
import LNAFiles

/// `lna autosweep`: bisection for the largest λ with no selected neuron shared by all languages.
struct AutosweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autosweep",
        abstract: "Find the largest λ in [lo, hi] with appear[K] == 0 by bisection, then write the masks of that λ.",
        discussion: """
        Each step re-scores the neurons at one λ (entropies and τ are computed once). Only the final λ's masks are \
        written. Example:
          lna autosweep --activations acts/mgsm -r 0.01 -b 0.95 --out masks/mgsm
        """)

    @OptionGroup var input: ActivationInputOptions
    @OptionGroup var selection: SelectionOptions

    @OptionGroup var sweepOptions: SweepOptions

    @Flag(name: .customLong("original-k10"),
          help: "Reproduce the original exactly: test appear[10] (hard-coded there, right only for 10 languages) and keep bisecting when hi is already ok.")
    var originalK10 = false

    @Option(name: .customLong("out"), help: "Folder for masks.json, masks.safetensors and autosweep.json of the final λ (default: masks/TAG with -s TAG, else the current folder; with --json and neither, nothing is written).")
    var out: String?

    @Flag(name: .customLong("json"), help: #"Print autosweep.json ({"lambda":…,"appear":[…],"searched_bracket":[lo,hi],"steps":[…]}) instead of the step lines."#)
    var json = false

    @OptionGroup var timingOption: TimingOption

    func run() throws {
        var timer = StageTimer()
        let p = try input.loadProbabilities(timer: &timer)
        let identifier = try selection.makeIdentifier(p, timer: &timer)
        guard try selection.identificationMethod() == .njunlp else {
            throw ValidationError("autosweep tunes λ, which only the njunlp method has")
        }
        let sweep = sweepOptions.sweep(original: originalK10)
        let k = p.languageCount
        let result = try sweep.run(identifier, topRate: selection.topRate) { step in
            guard !json else { return }
            let label = step.kind == .mid ? String(format: "iter=%02d", step.iteration)
                : step.kind == .widen ? String(format: "wide=%02d", step.iteration) : "\(step.kind.rawValue)    "
            print("[autosweep] \(label)  lambda=\(String(format: "%.6f", step.lambda)), appear=\(AnalysisOutput.list(step.appear))\(step.ok ? "  ok" : "")")
        }
        timer.lap("autosweep (\(result.steps.count) evaluations)")
        guard let best = result.bestLambda else {
            let last = result.steps.last.map { " (appear at λ=\($0.lambda): \(AnalysisOutput.list($0.appear)))" } ?? ""
            throw AutosweepFailure(message: "no λ in [\(result.searchedBracket.lowerBound), \(result.searchedBracket.upperBound)] gives appear[\(originalK10 ? 10 : k)] == 0\(last); no masks written. Try a larger --hi or a smaller -r\(originalK10 && k != 10 ? ", or drop --original-k10 (it tests appear[10] but there are \(k) languages)" : "").")
        }
        let final = try identifier.identify(topRate: selection.topRate, lambda: best)
        let warning = Self.boundWarning(result)
        if let warning { CLI.printError("warning: " + warning) }
        let trace = Self.trace(result, best: best, final: final, warning: warning).serialized(pretty: true)
        let outPath = input.outputPath(out, fallback: json ? nil : ".")
        var files: [URL] = []
        if let outPath {
            let outURL = URL(fileURLWithPath: outPath)
            files = try AnalysisOutput.writeMasks(final, mode: p.mode, to: outURL)
            // The trace goes beside the masks so that `lna report` can show it.
            let traceURL = outURL.appendingPathComponent("autosweep.json")
            try AtomicFile.write(Data((trace + "\n").utf8), to: traceURL)
            files.append(traceURL)
            timer.lap("identify at best λ and write masks")
        }
        if json {
            print(trace)
        } else {
            print("[autosweep] Best lambda (appear[\(originalK10 ? 10 : k)]==0): \(String(format: "%.6f", best))")
            print("[autosweep] bracket given [\(sweepOptions.lo), \(sweepOptions.hi)], searched [\(result.searchedBracket.lowerBound), \(result.searchedBracket.upperBound)], final interval [\(result.finalInterval.lowerBound), \(result.finalInterval.upperBound)]")
            print(AnalysisOutput.summary(final, mode: p.mode))
            print("wrote \(files.map(\.path).joined(separator: ", "))")
        }
        timingOption.report(timer)
    }
}

extension AutosweepCommand {
    /// A sentence when the answer sits on an end of the searched bracket, so that a larger λ may also be valid.
    static func boundWarning(_ result: AutoSweepResult) -> String? {
        guard let best = result.bestLambda, let bound = result.bound else { return nil }
        switch bound {
        case .upper:
            let widened = result.searchedBracket.upperBound > result.requestedBracket.upperBound
            return "λ = \(best) is the upper end of the searched bracket [\(result.searchedBracket.lowerBound), \(result.searchedBracket.upperBound)]"
                + (widened ? " (widened from --hi \(result.requestedBracket.upperBound) without finding a shared neuron)"
                           : "; a larger λ may also give no shared neuron: drop --no-widen or raise --hi")
        case .lower:
            return "λ = \(best) is the lower end of the searched bracket: every λ tested above it gives a shared neuron; try a smaller --lo"
        }
    }

    /// autosweep.json: the answer, the brackets and every step (docs/file-formats.md).
    static func trace(_ result: AutoSweepResult, best: Double, final: IdentificationResult, warning: String?) -> JSONDocument {
        let steps: [JSONDocument] = result.steps.map {
            .object([("kind", .string($0.kind.rawValue)), ("iteration", .int($0.iteration)), ("lambda", .number($0.lambda)),
                     ("appear", .ints($0.appear)), ("ok", .bool($0.ok))])
        }
        func range(_ r: ClosedRange<Double>) -> JSONDocument { .array([.number(r.lowerBound), .number(r.upperBound)]) }
        var fields: [(String, JSONDocument)] = [
            ("lambda", .number(best)), ("appear", .ints(result.appear)), ("tau", .number(Double(final.tau))),
            ("sizes", .object(zip(final.masks.languages, final.masks.sizes).map { ($0, .int($1)) })),
            ("requested_bracket", range(result.requestedBracket)), ("searched_bracket", range(result.searchedBracket)),
            ("final_interval", range(result.finalInterval)),
            ("on_bound", result.bound.map { .string($0.rawValue) } ?? .null),
        ]
        if let warning { fields.append(("warning", .string(warning))) }
        fields.append(("steps", .array(steps)))
        return .object(fields)
    }
}

/// "No λ works" is an outcome the user must act on, reported as one line with a non-zero exit status.
struct AutosweepFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
