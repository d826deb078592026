import ArgumentParser
import Foundation
import LNATensor

/// The `lna` command: language-neuron analysis of multilingual LLMs on the CPU.
@main
struct LNA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lna",
        abstract: "Find, switch off and steer the language neurons of multilingual LLMs on the CPU.",
        version: LNAVersion.string,
        subcommands: [
            // Models and the engine.
            ModelsCommand.self, InspectCommand.self, HooksCommand.self, TokenizeCommand.self,
            GenerateCommand.self, ScoreCommand.self, BenchCommand.self, PrecisionCommand.self, ConvertCommand.self,
            SyntheticCommand.self,
            // Statistics, identification and masks.
            ImportCommand.self, IdentifyCommand.self, AutosweepCommand.self, MergeCommand.self, MasksCommand.self,
            ExpertsCommand.self,
            NeuronCommand.self,
            // Recording.
            ActivationCommand.self, RespondCommand.self,
            // Outputs.
            LangIDCommand.self, LensCommand.self,
            // Deactivation, figures and reports.
            PplCommand.self, EvalCommand.self, FiguresCommand.self, CompareCommand.self, ReportCommand.self,
            // Steering.
            SteerCommand.self, SteerGridCommand.self, AmplifyCommand.self, FallbackCommand.self,
            // The whole pipeline.
            RunCommand.self,
            // The original NJUNLP command lines.
            NJUCommand.self,
        ])

    /// Parses and runs like ArgumentParser's own entry point, with three additions: a mistyped command gets a
    /// "did you mean" (`CommandSuggestions`), negative numbers are accepted as option values (`--lo -0.1`), and
    /// an error raised while a command runs is reported with the command's name and usage (`CLIFailure`).
    static func main() async {
        let arguments = CommandSuggestions.joinNegativeValues(Array(CommandLine.arguments.dropFirst()))
        if let message = CommandSuggestions.unknownCommand(in: arguments) {
            CLI.printError("Error: \(message)")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        var command: ParsableCommand
        do { command = try parseAsRoot(arguments) } catch { exit(withError: error) }
        // A kernel set forced by LNA_KERNELS that this CPU lacks (or an unknown name) is refused before any work.
        do { try KernelSet.checkEnvironment() } catch {
            CLI.printError("Error: \(error)")
            Foundation.exit(ExitCode.failure.rawValue)
        }
        do {
            try command.run()
        } catch {
            Foundation.exit(CLIFailure.report(error, in: type(of: command)))
        }
    }
}

enum LNAVersion {
    static let string = "0.1.0"
}
