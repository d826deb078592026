import ArgumentParser
import Foundation
import LNAAnalysis
import LNAFormats
import LNAFiles

/// `lna import`: converts the original pipelines' `.pt` files into lna statistics and mask files.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert original .pt files (NJUNLP, Tang, Gurgurov counts; list[K][L] mask files) to lna files.",
        discussion: """
        Counts files become <lang>.safetensors statistics (a prefix.activation.<lang>.* file is stored as the prefix \
        counts of <lang>); mask files become <name>.masks.json and <name>.masks.safetensors. Example:
          lna import ../shared/interop/njunlp-mgsm-mistral7b/activations --dataset mgsm --out acts/mgsm
        """)

    @Argument(help: "Folders (activation.<lang>.* layout) or single .pt/.pth files.")
    var paths: [String]

    @Option(name: .customLong("out"), help: "Output folder (default: activations/TAG with -s TAG).") var out: String?
    @OptionGroup var saveTagOption: SaveTagOption
    @Option(name: [.customShort("l"), .customLong("languages")], help: "Mask files only: comma-separated language order (default: the original's order for that K).")
    var languages: String?

    var dataset: String { saveTagOption.saveTag ?? "" }

    func validate() throws {
        if out == nil && saveTagOption.saveTag == nil { throw ValidationError("give --out DIR (or -s TAG to write activations/TAG)") }
        if let languages, try CLI.languageList(languages, flag: "-l/--languages") == nil {
            throw ValidationError("-l/--languages: give the mask files' language order (such as en,zh,fr), not `all`")
        }
    }

    func run() throws {
        let out = out ?? saveTagOption.path("activations", else: nil)!
        var languageFiles: [OriginalFiles.LanguageFiles] = []
        var maskFiles: [URL] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw AnalysisError.missing("\(path) does not exist")
            }
            if isDirectory.boolValue {
                languageFiles += try OriginalFiles.scanDirectory(url)
                continue
            }
            let file = try TorchFile(contentsOf: url)
            switch try OriginalFiles.kind(of: file) {
            case .masks: maskFiles.append(url)
            default:
                let files = try OriginalFiles.scanDirectory(url.deletingLastPathComponent())
                    .filter { $0.full.standardizedFileURL == url.standardizedFileURL || $0.prefix?.standardizedFileURL == url.standardizedFileURL }
                guard let match = files.first else {
                    throw AnalysisError.invalidParameter("\(path): counts files must be named activation.<lang>.<tag>[.pt] (or prefix.activation.…) so the language is known")
                }
                languageFiles.append(match)
            }
        }
        // Build everything in memory first: a bad input leaves no output files.
        var outputs: [(URL, ActivationStatistics)] = []
        for files in languageFiles {
            guard !outputs.contains(where: { $0.1.language == files.language }) else {
                throw AnalysisError.invalidParameter("language \(files.language) is given twice (\(files.full.path)); import one model per --out folder")
            }
            let stats = try OriginalFiles.statistics(files, dataset: dataset)
            outputs.append((URL(fileURLWithPath: out).appendingPathComponent("\(files.language).safetensors"), stats))
        }
        if let first = outputs.first?.1, let odd = outputs.first(where: { $0.1.layers != first.layers || $0.1.width != first.width }) {
            throw AnalysisError.shapeMismatch("\(odd.1.language) has \(odd.1.layers) × \(odd.1.width) neurons but \(first.language) has \(first.layers) × \(first.width)")
        }
        let order = try languages.flatMap { try CLI.languageList($0, flag: "-l/--languages") }
        let masks = try maskFiles.map { ($0, try OriginalFiles.readMasks($0, languages: order)) }
        for (url, stats) in outputs {
            try StatisticsFile.write(stats, to: url)
            let mode = stats.prefix == nil ? "counts" : "counts + prefix counts"
            print("\(stats.language): \(stats.layers) × \(stats.width), \(stats.full.totalTokens) tokens\(stats.prefix.map { ", prefix \($0.totalTokens)" } ?? "") (\(mode)) → \(url.path)")
        }
        for (source, set) in masks {
            let stem = source.lastPathComponent.replacingOccurrences(of: ".neuron.pth", with: "").replacingOccurrences(of: ".pth", with: "")
            let base = URL(fileURLWithPath: out).appendingPathComponent(stem)
            try AtomicFile.write(Data((set.json(source: source.lastPathComponent).serialized(pretty: true) + "\n").utf8),
                                to: base.appendingPathExtension("masks.json"))
            try set.writeSafeTensors(to: base.appendingPathExtension("masks.safetensors"), extra: ["source": source.lastPathComponent])
            print("\(source.lastPathComponent): masks of \(set.languages.joined(separator: ",")), \(set.layers) layers, sizes \(AnalysisOutput.list(set.sizes)) → \(base.path).masks.{json,safetensors}")
        }
        if outputs.isEmpty && masks.isEmpty { throw AnalysisError.missing("nothing to import in \(paths.joined(separator: " "))") }
    }
}
