import ArgumentParser
import Foundation
import LNAAnalysis

/// `lna identify`: language neurons from per-language activation statistics (NJUNLP entropy-λ or Tang LAPE).
struct IdentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Identify language neurons from activation statistics and write masks.json + masks.safetensors.",
        discussion: """
        Scores every neuron (NJUNLP: normalised entropy − λ·max p / (H_K/K); LAPE: entropy with a pre-filter), keeps \
        the round(N·r) lowest, and assigns each to the languages with p > τ. Ties are broken by flat index, so the \
        output is bit-reproducible. Example:
          lna identify --activations acts/mgsm -r 0.01 --lambda 0.109375 -b 0.95 --out masks/mgsm
        (The original's `-l/--xlambda` is `--lambda` here, also spelled `--xlambda`: -l means languages in every lna \
        command. `lna nju identify` takes the original command line verbatim.)
        """)

    @OptionGroup var input: ActivationInputOptions
    @OptionGroup var selection: SelectionOptions

    @Option(name: [.customLong("lambda"), .customLong("xlambda")], help: "λ: weight of the peak probability (NJUNLP; ignored by LAPE).")
    var lambda: Double = 0

    @Option(name: .customLong("out"), help: "Folder for masks.json and masks.safetensors (default: masks/TAG with -s TAG, else the current folder).")
    var out: String?

    func validate() throws {
        guard lambda.isFinite else { throw ValidationError("--lambda \(lambda): expected a finite number") }
    }

    @Flag(name: .customLong("json"), help: "Print a JSON summary (masks.json without the neuron lists) instead of the table.")
    var json = false

    @OptionGroup var timingOption: TimingOption

    func run() throws {
        var timer = StageTimer()
        let p = try input.loadProbabilities(timer: &timer)
        let identifier = try selection.makeIdentifier(p, timer: &timer)
        let result = try identifier.identify(topRate: selection.topRate, lambda: lambda)
        timer.lap("selection, assignment, classes")
        let files = try AnalysisOutput.writeMasks(result, mode: p.mode, to: URL(fileURLWithPath: input.outputPath(out, fallback: ".")!))
        timer.lap("write masks")
        if json {
            print(result.json(probabilityMode: p.mode, includeLists: false).serialized(pretty: true))
        } else {
            print(AnalysisOutput.summary(result, mode: p.mode))
            print("wrote \(files.map(\.path).joined(separator: ", "))")
        }
        timingOption.report(timer)
    }
}
