import ArgumentParser
import Foundation
import LNAAnalysis

/// `lna merge`: sums statistics shards of one model, hook site and language.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Sum activation statistics shards (same model, site, language); refuses mismatched metadata.",
        discussion: """
            Top-context sidecars (<name>.top-contexts.safetensors, from `lna activation --top-contexts K`) beside the \
            inputs are merged too, into the sidecar of --out: the result is byte for byte the single run's.
            Example: lna merge en.part1.safetensors en.part2.safetensors --out en.safetensors
            """)

    @Argument(help: "Statistics files (.safetensors) to sum.") var inputs: [String]
    @Option(name: .customLong("out"), help: "The merged statistics file.") var out: String

    func run() throws {
        guard inputs.count >= 2 else { throw ValidationError("give at least two statistics files to merge") }
        let shards = try inputs.map { try StatisticsFile.read(URL(fileURLWithPath: $0)) }
        let merged = try ActivationStatistics.merge(shards, sources: inputs.map { URL(fileURLWithPath: $0).lastPathComponent })
        let sidecars = inputs.map { TopContextsFile.sidecar(of: URL(fileURLWithPath: $0)) }
        let present = sidecars.filter { FileManager.default.fileExists(atPath: $0.path) }
        guard present.isEmpty || present.count == sidecars.count else {
            let missing = sidecars.filter { !FileManager.default.fileExists(atPath: $0.path) }.map(\.path)
            throw CLIError("\(present.count) of \(inputs.count) inputs have top contexts; missing: \(missing.joined(separator: ", ")) (record every shard with the same --top-contexts K)")
        }
        // The sidecar first: the statistics file is what marks the merge as done.
        if !present.isEmpty {
            let top = try TopContexts.merge(try present.map(TopContextsFile.read), sources: present.map(\.lastPathComponent))
            let target = TopContextsFile.sidecar(of: URL(fileURLWithPath: out))
            try TopContextsFile.write(top, to: target)
            print("\(top.language): top \(top.k) contexts of \(present.count) shards → \(target.path)")
        }
        try StatisticsFile.write(merged, to: URL(fileURLWithPath: out))
        print("\(merged.language): \(inputs.count) shards, \(merged.full.totalTokens) tokens\(merged.prefix.map { ", prefix \($0.totalTokens)" } ?? "") → \(out)")
    }
}
