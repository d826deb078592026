import ArgumentParser
import Foundation
import LNAModels

/// `lna generate MODEL PROMPT`: continue a prompt, greedy by default.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Continue a prompt (greedy unless --temperature > 0).")
    @OptionGroup var modelArgument: ModelArgument
    @Argument(help: "The prompt.") var prompt: String
    @Option(help: "New tokens at most.") var maxTokens = 32
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0
    @Option(help: "Seed of the sampler.") var seed: UInt64 = 0
    @Option(help: "Repetition penalty (1 = none).") var repetitionPenalty: Float = 1
    @Flag(help: "Do not stop at the end-of-sequence token.") var ignoreEos = false
    @Flag(help: "Print {\"prompt_ids\":[…],\"ids\":[…],\"text\":\"…\"} (ids = new tokens only).") var json = false

    func run() throws {
        let m = try modelArgument.load(quiet: json)
        let promptIDs = m.tokenizer.encode(prompt)
        var sampler = Sampler(temperature: temperature, repetitionPenalty: repetitionPenalty, seed: seed)
        let stops: Set<Int> = ignoreEos ? [] : Set([m.tokenizer.eosID].compactMap { $0 })
        let ids = try m.generate(prompt: promptIDs, maxTokens: maxTokens, sampler: &sampler, stopTokens: stops)
        let text = m.tokenizer.decode(ids)
        if json {
            struct Output: Encodable {
                let prompt_ids: [Int]; let ids: [Int]; let text: String
            }
            print(try CLI.json(Output(prompt_ids: promptIDs, ids: ids, text: text)))
        } else {
            print(prompt + text)
        }
    }
}
