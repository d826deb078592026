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

    @Option(name: .customLong("lo"), help: "Lower end of the λ range.") var lo: Double = 0
    @Option(name: .customLong("hi"), help: "Upper end of the λ range.") var hi: Double = 0.2
    @Option(name: .customLong("eps"), help: "Stop when hi − lo ≤ eps.") var eps: Double = 1e-3

    @Flag(name: .customLong("original-k10"),
          help: "Reproduce the original exactly: test appear[10] (hard-coded there, right only for 10 languages) and keep bisecting when hi is already ok.")
    var originalK10 = false

    @Option(name: .customLong("out"), help: "Folder for masks.json and masks.safetensors of the final λ.")
    var out: String = "."

    @Flag(name: .customLong("json"), help: #"Print {"lambda":…,"appear":[…],"steps":[…]} instead of the step lines."#)
    var json = false

    @OptionGroup var timingOption: TimingOption

    func run() throws {
        var timer = StageTimer()
        let p = try input.loadProbabilities(timer: &timer)
        let identifier = try selection.makeIdentifier(p, timer: &timer)
        guard try selection.identificationMethod() == .njunlp else {
            throw ValidationError("autosweep tunes λ, which only the njunlp method has")
        }
        let sweep = AutoSweep(lo: lo, hi: hi, eps: eps, originalBehaviour: originalK10)
        let k = p.languageCount
        let result = try sweep.run(identifier, topRate: selection.topRate) { step in
            guard !json else { return }
            let label = step.kind == .mid ? String(format: "iter=%02d", step.iteration) : "\(step.kind.rawValue)    "
            print("[autosweep] \(label)  lambda=\(String(format: "%.6f", step.lambda)), appear=\(AnalysisOutput.list(step.appear))\(step.ok ? "  ok" : "")")
        }
        timer.lap("autosweep (\(result.steps.count) evaluations)")
        guard let best = result.bestLambda else {
            let last = result.steps.last.map { " (appear at λ=\($0.lambda): \(AnalysisOutput.list($0.appear)))" } ?? ""
            throw AutosweepFailure(message: "no λ in [\(lo), \(hi)] gives appear[\(originalK10 ? 10 : k)] == 0\(last); no masks written. Try a larger --hi or a smaller -r\(originalK10 && k != 10 ? ", or drop --original-k10 (it tests appear[10] but there are \(k) languages)" : "").")
        }
        let final = try identifier.identify(topRate: selection.topRate, lambda: best)
        let files = try AnalysisOutput.writeMasks(final, mode: p.mode, to: URL(fileURLWithPath: out))
        timer.lap("identify at best λ and write masks")
        let steps: [JSONDocument] = result.steps.map {
            .object([("kind", .string($0.kind.rawValue)), ("iteration", .int($0.iteration)), ("lambda", .number($0.lambda)),
                     ("appear", .ints($0.appear)), ("ok", .bool($0.ok))])
        }
        let trace = JSONDocument.object([("lambda", .number(best)), ("appear", .ints(result.appear)), ("tau", .number(Double(final.tau))),
                                         ("sizes", .object(zip(final.masks.languages, final.masks.sizes).map { ($0, .int($1)) })),
                                         ("steps", .array(steps))]).serialized(pretty: true)
        // The trace goes beside the masks so that `lna report` can show it.
        try AtomicFile.write(Data(trace.utf8), to: URL(fileURLWithPath: out).appendingPathComponent("autosweep.json"))
        if json {
            print(trace)
        } else {
            print("[autosweep] Best lambda (appear[\(originalK10 ? 10 : k)]==0): \(String(format: "%.6f", best))")
            print(AnalysisOutput.summary(final, mode: p.mode))
            print("wrote \(files.map(\.path).joined(separator: ", "))")
        }
        timingOption.report(timer)
    }
}

/// "No λ works" is an outcome the user must act on, reported as one line with a non-zero exit status.
struct AutosweepFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
