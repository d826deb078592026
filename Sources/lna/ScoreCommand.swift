import ArgumentParser
import Foundation
import LNAModels

/// `lna score MODEL --text T`: per-token negative log-likelihood and perplexity.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Per-token NLL (natural log) of tokens 1..T−1 given the ones before, and the perplexity.")
    @OptionGroup var modelArgument: ModelArgument
    @OptionGroup var precisionOption: PrecisionOption
    @Option(help: "The text to score.") var text: String?
    @Option(help: "A file whose whole contents are scored as one text.") var file: String?
    @Flag(help: "Print {\"nll_sum\":…,\"n_scored\":…,\"ppl\":…,\"nll\":[…]}.") var json = false

    func run() throws {
        let input = try CLI.text(text, file: file)
        let m = try modelArgument.load(quiet: json, precision: precisionOption.precision)
        let ids = m.tokenizer.encode(input)
        guard ids.count >= 2 else { throw CLIError("the text has \(ids.count) token(s); at least 2 are needed to score") }
        let s = try m.score(tokens: ids)
        if json {
            struct Output: Encodable { let nll_sum: Double; let n_scored: Int; let ppl: Double; let nll: [Double] }
            print(try CLI.json(Output(nll_sum: s.nllSum, n_scored: s.scoredCount, ppl: s.perplexity, nll: s.nll)))
        } else {
            print(String(format: "tokens %d, scored %d, NLL sum %.4f nats, mean %.4f, PPL %.3f",
                         ids.count, s.scoredCount, s.nllSum, s.nllSum / Double(s.scoredCount), s.perplexity))
        }
    }
}
