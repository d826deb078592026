import ArgumentParser
import Foundation
import LNAModels

/// `lna generate MODEL PROMPT`: continue a prompt, greedy by default.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Continue a prompt (greedy unless --temperature > 0).")
    @OptionGroup var modelArgument: ModelArgument
    @OptionGroup var precisionOption: PrecisionOption
    @Argument(help: "The prompt.") var prompt: String
    @Option(help: "New tokens at most.") var maxTokens = 32
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0
    @Option(help: "Seed of the sampler.") var seed: UInt64 = 0
    @Option(help: "Repetition penalty (1 = none).") var repetitionPenalty: Float = 1
    @Flag(help: "Do not stop at the end-of-sequence token.") var ignoreEos = false
    @Flag(help: "Print {\"prompt_ids\":[…],\"ids\":[…],\"text\":\"…\"} (ids = new tokens only).") var json = false

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens \(maxTokens): expected ≥ 1") }
        guard temperature.isFinite, temperature >= 0 else {
            throw ValidationError("--temperature \(temperature): expected a finite number ≥ 0 (0 is greedy)")
        }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw ValidationError("--repetition-penalty \(repetitionPenalty): expected a finite number > 0 (1 is none)")
        }
    }

    func run() throws {
        let m = try modelArgument.load(quiet: json, precision: precisionOption.precision)
        let promptIDs = m.tokenizer.encode(prompt)
        let context = m.config.contextLength
        guard promptIDs.count + maxTokens <= context else {
            throw CLIUsageError("the prompt (\(promptIDs.count) tokens) plus --max-tokens \(maxTokens) exceeds the context length of \(m.name) (\(context) tokens); shorten the prompt or lower --max-tokens")
        }
        var sampler = Sampler(temperature: temperature, repetitionPenalty: repetitionPenalty, seed: seed)
        let stops: Set<Int> = ignoreEos ? [] : Set([m.tokenizer.eosID].compactMap { $0 })
        let start = Date()
        let ids = try m.generate(prompt: promptIDs, maxTokens: maxTokens, sampler: &sampler, stopTokens: stops)
        let seconds = Date().timeIntervalSince(start)
        let text = m.tokenizer.decode(ids)
        if json {
            struct Output: Encodable {
                let prompt_ids: [Int]; let ids: [Int]; let text: String
            }
            print(try CLI.json(Output(prompt_ids: promptIDs, ids: ids, text: text)))
        } else {
            print(prompt + text)
            CLI.printError(String(format: "%d new tokens in %.2f s (%.1f tokens/s, prompt of %d tokens included)",
                                  ids.count, seconds, Double(ids.count) / max(seconds, 1e-9), promptIDs.count))
        }
    }
}
