import ArgumentParser
import Foundation
import LNAPipeline

/// `lna compare RUN_A RUN_B`: two identifications of the same shape, before/after.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare the language neurons of two runs (Δ per layer and class, Δ N-histogram, overlap, per-language Δ).")

    @Argument(help: "Run directory or masks file A (before).") var runA: String
    @Argument(help: "Run directory or masks file B (after).") var runB: String
    @Option(help: "Also write compare.json, the Δ figures (PNG + SVG) and compare.html here.") var out: String?
    @Flag(help: "Print compare.json instead of the tables.") var json = false

    func run() throws {
        let a = try RunDirectory.loadMasks(URL(fileURLWithPath: runA))
        let b = try RunDirectory.loadMasks(URL(fileURLWithPath: runB))
        let comparison = try MaskComparison(a: a, b: b, nameA: name(runA), nameB: name(runB))
        print(json ? comparison.json().serialized(pretty: true) : comparison.text())
        if let out {
            let files = try comparison.write(to: URL(fileURLWithPath: out))
            CLI.printError("wrote " + files.map(\.lastPathComponent).joined(separator: ", ") + " to \(out)")
        }
    }

    func name(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let last = url.lastPathComponent
        return last.hasPrefix("masks.") ? url.deletingLastPathComponent().lastPathComponent : last
    }
}
