import ArgumentParser
import Foundation
import LNAAnalysis

/// `lna merge`: sums statistics shards of one model, hook site and language.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Sum activation statistics shards (same model, site, language); refuses mismatched metadata.",
        discussion: "Example: lna merge en.part1.safetensors en.part2.safetensors --out en.safetensors")

    @Argument(help: "Statistics files (.safetensors) to sum.") var inputs: [String]
    @Option(name: .customLong("out"), help: "The merged statistics file.") var out: String

    func run() throws {
        guard inputs.count >= 2 else { throw ValidationError("give at least two statistics files to merge") }
        let shards = try inputs.map { try StatisticsFile.read(URL(fileURLWithPath: $0)) }
        let merged = try ActivationStatistics.merge(shards, sources: inputs.map { URL(fileURLWithPath: $0).lastPathComponent })
        try StatisticsFile.write(merged, to: URL(fileURLWithPath: out))
        print("\(merged.language): \(inputs.count) shards, \(merged.full.totalTokens) tokens\(merged.prefix.map { ", prefix \($0.totalTokens)" } ?? "") → \(out)")
    }
}
