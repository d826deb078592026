import ArgumentParser
import Foundation
import LNALangID

/// `lna langid train`: an n-gram identifier from a labelled dataset, saved as JSON.
struct LangIDTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train an n-gram language identifier and save it as JSON.")

    @OptionGroup var source: LangIDDataOptions

    @Option(help: "Split to train on (default: train where the data has splits, else all).")
    var split: String?

    @Option(help: "N-grams kept per language (the most frequent).")
    var features = LanguageIdentifier.Options().maxFeaturesPerLanguage

    @Option(name: .shortAndLong, help: "Output model file.")
    var out: String = "langid.json"

    func validate() throws {
        guard features > 0 else { throw ValidationError("--features must be positive, got \(features)") }
    }

    func run() throws {
        let sets = try source.load(split: split, defaultSplit: .train)
        var options = LanguageIdentifier.Options()
        options.maxFeaturesPerLanguage = features
        let identifier = try LanguageIdentifier.train(
            texts: Dictionary(uniqueKeysWithValues: sets.map { ($0.language.code, $0.texts) }), options: options)
        try identifier.save(to: URL(fileURLWithPath: out))
        for set in sets {
            let grams = identifier.profiles.first { $0.language == set.language.code }?.grams.count ?? 0
            print("\(set.language.code)\t\(set.texts.count) texts\t\(grams) n-grams")
        }
        print("saved \(out)")
    }
}
