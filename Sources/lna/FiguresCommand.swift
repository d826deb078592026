import ArgumentParser
import Foundation
import LNAPipeline

/// `lna figures RUN_DIR|masks.json`: the identification's figures as PNG and SVG.
struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Figures of language neurons from masks: classes per layer, shared-by-N histogram, overlap, per-language layers.")

    @Argument(help: "A run directory (uses its masks.json) or a masks file.") var source: String
    @Option(help: "Output folder (default: RUN_DIR/figures, or ./figures for a masks file).") var out: String?

    func run() throws {
        let url = URL(fileURLWithPath: source)
        let masks = try RunDirectory.loadMasks(url)
        let isRun = CLI.isDirectory(url.path)
        let target = out.map { URL(fileURLWithPath: $0) } ?? (isRun ? RunDirectory(url).figures : URL(fileURLWithPath: "figures"))
        let shared = MaskFigures.allLanguagePerLayer(masksJSON: try RunDirectory.masksFile(for: url))
        let files = try MaskFigures.write(masks, to: target, order: isRun ? RunDirectory(url).languageOrder() : nil,
                                          allLanguagePerLayer: shared)
        print(files.map(\.path).joined(separator: "\n"))
    }
}
