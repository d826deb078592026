import ArgumentParser

/// The `lna` command: language-neuron analysis of multilingual LLMs on the CPU.
@main
struct LNA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lna",
        abstract: "Find, switch off and steer the language neurons of multilingual LLMs on the CPU.",
        version: LNAVersion.string,
        subcommands: [LangIDCommand.self])
}

enum LNAVersion {
    static let string = "0.1.0"
}
