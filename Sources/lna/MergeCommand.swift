import ArgumentParser
import Foundation
import LNAAnalysis
import LNAPerplexity
import LNAPipeline
import LNAReport
import LNASteering

/// `lna merge`: joins the shards of one job: activation statistics (summed), or the cells of a sharded
/// perplexity grid or steering grid (`--shard i/n`), into the file one unsharded run writes.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join shards: sum activation statistics (same model, site, language), or join the cells of a sharded ppl or steering grid.",
        discussion: """
        Statistics: lna merge en.shard-0-of-2.safetensors en.shard-1-of-2.safetensors --out en.safetensors \
        (top-context sidecars <name>.top-contexts.safetensors beside the inputs, from `lna activation --top-contexts K`, \
        are merged too, into the sidecar of --out, byte for byte the single run's).
        Perplexity grid (lna ppl --shard i/n): lna merge ppl/ppl.shard-*-of-4.json --out ppl/ppl.json (also writes \
        ppl_delta.png/.svg next to it). Steering grid (lna steer-grid --shard i/n): lna merge \
        run/steering/grid.shard-*-of-3.json --out run/steering/grid.json (also grid.png/.svg). Grids need every \
        shard exactly once and give files byte-identical to an unsharded run; shards of other settings are refused.
        """)

    @Argument(help: "Shard files to join: statistics (.safetensors) or grid shards (.json).") var inputs: [String]
    @Option(name: .customLong("out"), help: "The merged file (statistics file, ppl.json or grid.json).") var out: String

    func run() throws {
        guard inputs.count >= 2 else { throw ValidationError("give at least two shard files to merge") }
        let urls = inputs.map { URL(fileURLWithPath: $0) }
        let names = urls.map(\.lastPathComponent)
        switch try Self.kind(of: urls[0]) {
        case .statistics: try mergeStatistics(urls, names: names)
        case .perplexityGrid:
            let document = try PerplexityGridShard.merge(try urls.map(PerplexityGridShard.read), names: names)
            try writeGrid(cells: document.cells.count, table: PplCommand.table(document)) { file, folder in
                try document.write(to: file)
                try PerplexityFigures.write(document, to: folder)
            }
        case .steeringGrid:
            let grid = try SteeringGridResult.merge(try urls.map(SteeringGridResult.read), names: names)
            try writeGrid(cells: grid.baselines.count + grid.cells.count, table: SteerGridCommand.table(grid)) { file, folder in
                try grid.write(to: file)
                try SteerGridCommand.writeFigure(grid, in: folder)
            }
        }
    }

    /// Writes a merged grid to --out and its figures beside it (`write(file, folder)`), then prints its table
    /// and what was merged.
    func writeGrid(cells: Int, table: String, _ write: (URL, URL) throws -> Void) throws {
        let file = URL(fileURLWithPath: out)
        try write(file, file.deletingLastPathComponent())
        print(table)
        print("\(inputs.count) shards, \(cells) cells → \(out)")
    }

    func mergeStatistics(_ urls: [URL], names: [String]) throws {
        let shards = try urls.map { try StatisticsFile.read($0) }
        let merged = try ActivationStatistics.merge(shards, sources: names)
        try mergeTopContexts(of: urls)
        try StatisticsFile.write(merged, to: URL(fileURLWithPath: out))
        print("\(merged.language): \(inputs.count) shards, \(merged.full.totalTokens) tokens\(merged.prefix.map { ", prefix \($0.totalTokens)" } ?? "") → \(out)")
    }

    /// Merges the top-context sidecars beside the inputs, if any; all or none must have one. Written before the
    /// statistics file, which is what marks the merge as done.
    func mergeTopContexts(of urls: [URL]) throws {
        let sidecars = urls.map { TopContextsFile.sidecar(of: $0) }
        let present = sidecars.filter { FileManager.default.fileExists(atPath: $0.path) }
        guard present.isEmpty || present.count == sidecars.count else {
            let missing = sidecars.filter { !FileManager.default.fileExists(atPath: $0.path) }.map(\.path)
            throw CLIError("\(present.count) of \(inputs.count) inputs have top contexts; missing: \(missing.joined(separator: ", ")) (record every shard with the same --top-contexts K)")
        }
        guard !present.isEmpty else { return }
        let top = try TopContexts.merge(try present.map(TopContextsFile.read), sources: present.map(\.lastPathComponent))
        let target = TopContextsFile.sidecar(of: URL(fileURLWithPath: out))
        try TopContextsFile.write(top, to: target)
        print("\(top.language): top \(top.k) contexts of \(present.count) shards → \(target.path)")
    }

    enum Kind { case statistics, perplexityGrid, steeringGrid }

    /// What the shards are, from the first file: .safetensors are statistics; a JSON file says its format.
    static func kind(of url: URL) throws -> Kind {
        if url.pathExtension == "safetensors" { return .statistics }
        guard url.pathExtension == "json" else {
            throw CLIError("\(url.path): expected statistics (.safetensors) or grid shards (.json) to merge")
        }
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CLIError("\(url.path): cannot read it as a JSON object")
        }
        if object["format"] as? String == PerplexityGridShard.formatName { return .perplexityGrid }
        if object["config"] != nil, object["baselines"] != nil { return .steeringGrid }
        throw CLIError("\(url.path): neither a ppl grid shard (lna ppl --shard) nor a steering grid shard (lna steer-grid --shard)")
    }
}
