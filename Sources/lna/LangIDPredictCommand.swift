import ArgumentParser
import Foundation
import LNAData
import LNALangID

/// `lna langid predict`: the language of each text.
struct LangIDPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Print the language of each text: code<TAB>confidence<TAB>text.")

    @OptionGroup var model: LangIDModelOptions

    @Option(help: "Read texts from this file, one per line.")
    var file: String?

    @Flag(help: "Print JSON lines {text, language, flores, confidence, method}.")
    var json = false

    @Argument(help: "Texts to identify.")
    var texts: [String] = []

    func validate() throws {
        if texts.isEmpty && file == nil { throw ValidationError("give texts or --file") }
    }

    func run() throws {
        let identifier = try model.identifier()
        var lines = texts
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("\(file): no such file or not readable")
            }
            lines += String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init).filter { !$0.isEmpty }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for text in lines {
            let prediction = identifier.predict(text)
            if json {
                let record = PredictionRecord(text: text, language: prediction.language,
                                              flores: (try? Language.resolve(prediction.language))?.flores,
                                              confidence: prediction.confidence, method: prediction.method)
                print(String(decoding: try encoder.encode(record), as: UTF8.self))
            } else {
                print("\(prediction.language)\t\(String(format: "%.3f", prediction.confidence))\t\(text)")
            }
        }
    }
}

private struct PredictionRecord: Encodable {
    var text: String
    var language: String
    /// The FLORES-200 code of `language` (absent for `unknown`).
    var flores: String?
    var confidence: Double
    var method: String
}
