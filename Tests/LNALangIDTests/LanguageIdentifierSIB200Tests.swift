import Foundation
import Testing
import LNAData
import LNALangID
import LNATestSupport

/// The built-in model on the SIB-200 test split of all 205 languages, and against the figures of py3langid and
/// pycld2 on the languages each supports (Fixtures/langid-sib200-comparison.json, made by
/// scripts/dev/langid_sib200_compare.py; docs/langid.md quotes the same numbers).
@Suite struct LanguageIdentifierSIB200Tests {
    struct Figures: Decodable { var accuracy: Double; var macroF1: Double }
    struct Tool: Decodable {
        var tool: String
        var mapping: [String: String]
        var sentences: Int
        var tool_figures: Figures
        var tool_restricted_figures: Figures?
        var lna_restricted_figures: Figures
    }
    struct Comparison: Decodable { var split: String; var sentences: Int; var lna: Figures; var tools: [Tool] }

    static func comparison() throws -> Comparison {
        let url = TestResources.repositoryRoot.appendingPathComponent("Tests/LNALangIDTests/Fixtures/langid-sib200-comparison.json")
        return try JSONDecoder().decode(Comparison.self, from: Data(contentsOf: url))
    }

    /// SIB-200 test sentences per FLORES code.
    static func testSentences() throws -> [String: [String]]? {
        guard let root = try TestResources.shared("datasets/sib200-full") else { return nil }
        let sets = try Dataset.load(path: root.path, split: .test)
        return Dictionary(uniqueKeysWithValues: sets.map { ($0.language.flores, $0.texts) })
    }

    @Test func builtinModelOnAll205Languages() throws {
        guard let sentences = try Self.testSentences() else { return }
        #expect(sentences.count == 205)
        let identifier = try LanguageIdentifier.builtin()
        #expect(identifier.languages.count == 205)
        let report = identifier.evaluate(sentences)
        let expected = try Self.comparison()
        #expect(report.total == expected.sentences)
        // The committed figures (measured by lna itself through the CLI) are what this model gives, to rounding.
        #expect(abs(report.accuracy - expected.lna.accuracy) < 1e-5, "accuracy \(report.accuracy)")
        #expect(abs(report.macroF1 - expected.lna.macroF1) < 1e-5, "macro-F1 \(report.macroF1)")
        #expect(report.accuracy >= 0.95 && report.macroF1 >= 0.95)
        print("built-in model on SIB-200 test, 205 languages: accuracy \(report.accuracy), macro-F1 \(report.macroF1)")
    }

    /// On each tool's own languages, lna restricted to them is at least as accurate as the tool (and as
    /// py3langid restricted the same way), in the tool's label space.
    @Test func atLeastAsAccurateAsPy3langidAndPycld2OnTheirLanguages() throws {
        guard let sentences = try Self.testSentences() else { return }
        let full = try LanguageIdentifier.builtin()
        for tool in try Self.comparison().tools {
            let restricted = try full.restricted(to: Array(tool.mapping.keys))
            var truths: [String] = [], predictions: [String] = []
            for (flores, label) in tool.mapping.sorted(by: { $0.key < $1.key }) {
                for text in sentences[flores] ?? [] {
                    truths.append(label)
                    let predicted = restricted.predict(text).language
                    let predictedFlores = (try? Language.resolve(predicted))?.flores ?? predicted
                    predictions.append(tool.mapping[predictedFlores] ?? "other")
                }
            }
            #expect(truths.count == tool.sentences, "\(tool.tool)")
            let figures = Self.scores(truths, predictions)
            #expect(abs(figures.accuracy - tool.lna_restricted_figures.accuracy) < 1e-5, "\(tool.tool) \(figures)")
            #expect(abs(figures.macroF1 - tool.lna_restricted_figures.macroF1) < 1e-5, "\(tool.tool) \(figures)")
            for theirs in [tool.tool_figures, tool.tool_restricted_figures].compactMap({ $0 }) {
                #expect(figures.accuracy >= theirs.accuracy, "\(tool.tool): lna \(figures.accuracy) < \(theirs.accuracy)")
                #expect(figures.macroF1 >= theirs.macroF1, "\(tool.tool): lna \(figures.macroF1) < \(theirs.macroF1)")
            }
            print("\(tool.tool) languages (\(tool.mapping.count)): lna restricted \(figures), \(tool.tool) \(tool.tool_figures)")
        }
    }

    /// Accuracy and macro-F1 over the truth labels, as scripts/dev/langid_sib200_compare.py computes them.
    static func scores(_ truths: [String], _ predictions: [String]) -> Figures {
        let correct = zip(truths, predictions).filter { $0 == $1 }.count
        let labels = Set(truths)
        var f1Sum = 0.0
        for label in labels {
            let tp = zip(truths, predictions).filter { $0 == label && $1 == label }.count
            let denominator = predictions.filter { $0 == label }.count + truths.filter { $0 == label }.count
            f1Sum += denominator == 0 ? 0 : 2 * Double(tp) / Double(denominator)
        }
        return Figures(accuracy: Double(correct) / Double(truths.count), macroF1: f1Sum / Double(labels.count))
    }

    /// Short and mixed-script model outputs: the script with most letters decides, letterless text is unknown.
    @Test func shortAndMixedScriptOutputs() throws {
        let identifier = try LanguageIdentifier.builtin()
        let cyrillic = identifier.predict("100% отказ.")
        let cyrillicScripts = (try? Language.resolve(cyrillic.language))?.scripts ?? []
        #expect(cyrillicScripts.contains(.cyrillic), "\(cyrillic)")
        #expect(identifier.predict("নীল, কালো- siyah.").language == "bn")
        for text in ["", "100%", "12:30 — 42.", "?!", "🙂🙂🙂"] { #expect(identifier.predict(text).isUnknown, "\(text)") }
        #expect(identifier.predict("Questa è una frase italiana.").language == "it")
        #expect(identifier.predict("Dit is een Nederlandse zin.").language == "nl")
        #expect(identifier.predict("東京へ行きます").language == "ja")
        #expect(identifier.predict("Bon dia a tothom, com estàs avui?").language == "cat_Latn")
        #expect(identifier.predict("Habari ya asubuhi, rafiki yangu.").language == "sw")
    }
}
