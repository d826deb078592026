import ArgumentParser
import Foundation
import LNAPipeline

/// `lna report RUN_DIR`: one self-contained HTML page of a run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write RUN_DIR/report.html: settings, AutoSweep trace, class tables, figures, PPL grid, file list.")

    @Argument(help: "A run directory (run.json, masks.json, ppl/ppl.json, … — every part is optional).") var runDirectory: String
    @Option(help: "Output file (default: RUN_DIR/report.html).") var out: String?

    func run() throws {
        let url = URL(fileURLWithPath: runDirectory)
        guard CLI.isDirectory(url.path) else {
            throw CLIError("\(runDirectory) is not a directory; give a run directory (see docs/report-command.md)")
        }
        let written = try RunReport(run: RunDirectory(url)).write(to: out.map { URL(fileURLWithPath: $0) })
        print(written.path)
    }
}
