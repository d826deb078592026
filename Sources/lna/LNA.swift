import ArgumentParser

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
            GenerateCommand.self, ScoreCommand.self, BenchCommand.self, ConvertCommand.self, SyntheticCommand.self,
            // Statistics, identification and masks.
            ImportCommand.self, IdentifyCommand.self, AutosweepCommand.self, MergeCommand.self, MasksCommand.self,
            // Recording.
            ActivationCommand.self, RespondCommand.self,
            // Outputs.
            LangIDCommand.self,
            // Deactivation, figures and reports.
            PplCommand.self, EvalCommand.self, FiguresCommand.self, CompareCommand.self, ReportCommand.self,
            // Steering.
            SteerCommand.self, SteerGridCommand.self, AmplifyCommand.self, FallbackCommand.self,
            // The whole pipeline.
            RunCommand.self,
        ])
}

enum LNAVersion {
    static let string = "0.1.0"
}
