import ArgumentParser
import LNAModels

/// `lna tokenize MODEL TEXT`: token ids and pieces as the model's tokenizer produces them.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Show the token ids and pieces of a text (BOS as the model adds it).")
    @OptionGroup var modelArgument: ModelArgument
    @Argument(help: "The text.") var text: String
    @Flag(help: "Print {\"ids\":[…],\"pieces\":[…]}.") var json = false

    func run() throws {
        let tokenizer = try ModelTokenizer.load(modelArgument.model)
        let ids = tokenizer.encode(text)
        let pieces = tokenizer.pieces(ids)
        if json {
            struct Output: Encodable { let ids: [Int]; let pieces: [String] }
            print(try CLI.json(Output(ids: ids, pieces: pieces)))
        } else {
            print("\(ids.count) tokens")
            for (id, piece) in zip(ids, pieces) { print("\(id)\t\(piece)") }
        }
    }
}
