import ArgumentParser
import Foundation
import LNAAnalysis
import LNAFiles

/// `lna masks show|diff|overlap`: inspect and compare mask sets (masks.json, masks.safetensors or original .pth).
struct MasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "masks",
        abstract: "Inspect and compare language-neuron masks.",
        subcommands: [Show.self, Diff.self, Overlap.self])

    struct MaskInput: ParsableArguments {
        @Option(name: .customLong("languages"), help: "Language order for original .pth files (default: the original's order for that K).")
        var languages: String?
        @Option(name: .customLong("width"), help: "Neurons per layer for original .pth files (default: largest index + 1).")
        var width: Int?

        func read(_ path: String) throws -> MaskSet {
            try MaskSet.read(URL(fileURLWithPath: path), languages: languages.map { $0.split(separator: ",").map(String.init) }, width: width)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sizes per language and layer, appear histogram and classes.")
        @Argument(help: "masks.json, masks.safetensors or an original mask file.") var file: String
        @OptionGroup var input: MaskInput
        @Flag(name: .customLong("json"), help: "Print JSON.") var json = false

        func run() throws {
            let masks = try input.read(file)
            let classes = NeuronClasses(masks: masks)
            if json {
                print(JSONDocument.object([
                    ("languages", .array(masks.languages.map { .string($0) })), ("layers", .int(masks.layers)), ("width", .int(masks.width)),
                    ("sizes", .object(zip(masks.languages, masks.sizes).map { ($0, .int($1)) })),
                    ("sizes_per_layer", .object(zip(masks.languages, masks.sizesPerLayer).map { ($0, .ints($1)) })),
                    ("appear", .ints(masks.appear)), ("classes", classes.json(includeLists: false)),
                ]).serialized(pretty: true))
                return
            }
            print("\(masks.languageCount) languages, \(masks.layers) layers, width \(masks.width)")
            var header = AnalysisOutput.pad("layer", 7)
            for lang in masks.languages { header += AnalysisOutput.lpad(lang, 7) }
            print(header + AnalysisOutput.lpad("spec", 7) + AnalysisOutput.lpad("rel", 6) + AnalysisOutput.lpad("gen", 6))
            for l in 0..<masks.layers {
                var row = AnalysisOutput.pad("\(l)", 7)
                for k in 0..<masks.languageCount { row += AnalysisOutput.lpad("\(masks.lists[k][l].count)", 7) }
                row += AnalysisOutput.lpad("\(classes.perLayer[.specific]![l])", 7) + AnalysisOutput.lpad("\(classes.perLayer[.related]![l])", 6)
                    + AnalysisOutput.lpad("\(classes.perLayer[.general]![l])", 6)
                print(row)
            }
            var total = AnalysisOutput.pad("total", 7)
            for s in masks.sizes { total += AnalysisOutput.lpad("\(s)", 7) }
            print(total + AnalysisOutput.lpad("\(classes.total(.specific))", 7) + AnalysisOutput.lpad("\(classes.total(.related))", 6)
                  + AnalysisOutput.lpad("\(classes.total(.general))", 6))
            print("appear: \(AnalysisOutput.list(masks.appear))")
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per language: entries only in A, only in B, and in both.")
        @Argument(help: "Mask set A.") var a: String
        @Argument(help: "Mask set B.") var b: String
        @OptionGroup var input: MaskInput

        func run() throws {
            let first = try input.read(a), second = try input.read(b)
            let rows = try first.languageOverlap(with: second)
            print(AnalysisOutput.pad("language", 10) + AnalysisOutput.lpad("only A", 8) + AnalysisOutput.lpad("only B", 8) + AnalysisOutput.lpad("both", 8))
            for (lang, o) in rows {
                print(AnalysisOutput.pad(lang, 10) + AnalysisOutput.lpad("\(o.first - o.common)", 8) + AnalysisOutput.lpad("\(o.second - o.common)", 8)
                      + AnalysisOutput.lpad("\(o.common)", 8))
            }
            let missing = Set(first.languages).symmetricDifference(second.languages)
            if !missing.isEmpty { print("languages in only one set: \(missing.sorted().joined(separator: ","))") }
            print("identical: \(first == second ? "yes" : "no")")
        }
    }

    struct Overlap: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Overlap of two mask sets per class (the paper's Table 4) and per language; or one set's language × language matrix.")
        @Argument(help: "Mask set A.") var a: String
        @Argument(help: "Mask set B (omit to print A's language × language matrix).") var b: String?
        @OptionGroup var input: MaskInput
        @Flag(name: .customLong("json"), help: "Print JSON.") var json = false

        func run() throws {
            let first = try input.read(a)
            var doc: [(String, JSONDocument)] = []
            if let b {
                let second = try input.read(b)
                let classes = try first.classOverlap(with: second), langs = try first.languageOverlap(with: second)
                func row(_ o: OverlapCount) -> JSONDocument {
                    .object([("a", .int(o.first)), ("b", .int(o.second)), ("common", .int(o.common)),
                             ("ratio_of_a", .number(o.ratioOfFirst)), ("jaccard", .number(o.jaccard))])
                }
                doc.append(("classes", .object(classes.map { ($0.name, row($0.overlap)) })))
                doc.append(("languages", .object(langs.map { ($0.language, row($0.overlap)) })))
                if !json {
                    print(AnalysisOutput.pad("set", 10) + AnalysisOutput.lpad("|A|", 7) + AnalysisOutput.lpad("|B|", 7) + AnalysisOutput.lpad("|A∩B|", 7)
                          + AnalysisOutput.lpad("|A∩B|/|A|", 11) + AnalysisOutput.lpad("Jaccard", 9))
                    for (name, o) in classes.map({ ($0.name, $0.overlap) }) + langs.map({ ($0.language, $0.overlap) }) {
                        print(AnalysisOutput.pad(name, 10) + AnalysisOutput.lpad("\(o.first)", 7) + AnalysisOutput.lpad("\(o.second)", 7)
                              + AnalysisOutput.lpad("\(o.common)", 7) + AnalysisOutput.lpad(String(format: "%.3f", o.ratioOfFirst), 11)
                              + AnalysisOutput.lpad(String(format: "%.3f", o.jaccard), 9))
                    }
                }
            } else {
                let matrix = first.languageOverlapMatrix
                doc.append(("languages", .array(first.languages.map { .string($0) })))
                doc.append(("matrix", .array(matrix.map { .ints($0) })))
                if !json {
                    print(AnalysisOutput.pad("", 6) + first.languages.map { AnalysisOutput.lpad($0, 7) }.joined())
                    for (k, row) in matrix.enumerated() {
                        print(AnalysisOutput.pad(first.languages[k], 6) + row.map { AnalysisOutput.lpad("\($0)", 7) }.joined())
                    }
                }
            }
            if json { print(JSONDocument.object(doc).serialized(pretty: true)) }
        }
    }
}
