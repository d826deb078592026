import ArgumentParser
import Foundation
import LNAFiles
import LNAReport
import LNASteering

/// `lna steer-grid`: the forcing experiment over every (source, target) pair, with a no-intervention baseline.
struct SteerGridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steer-grid",
        abstract: "Forcing grid: deactivate each source, activate each target, report the share of outputs in the target.",
        discussion: """
        Rows are source languages (their prompts; their neurons deactivated unless --activate-only), columns target \
        languages (activated). Each cell is the share of outputs the language identifier labels as the target; the \
        "no intervention" row is the share of unsteered outputs already in each target. A checkpoint is saved \
        after every cell (OUT/steering/grid.checkpoint.json); run the same command again to resume.
        Writes OUT/steering/grid.json, grid.png and grid.svg.
        Example: lna steer-grid --model gemma3-270m --masks runs/g/masks.json --stats runs/g/activations \\
                 --languages en,zh,es,fr,de,ja --sources en --out runs/g
        """)

    @OptionGroup var inputs: SteeringInputOptions
    @Option(help: "Languages (targets, and sources unless --sources), comma-separated.") var languages: String
    @Option(help: "Source languages (rows), comma-separated (default: --languages).") var sources: String?
    @Option(help: "Prompts: a dataset path (MGSM folder or file, SIB-200, builtin, …) or a .txt file of questions (default: six fixed English questions).")
    var prompts: String?
    @Option(help: "Use this language's prompts for every source (e.g. en with the MGSM folder).") var promptLanguage: String?
    @Option(help: "Prompts per source language.") var promptsPerLanguage = 6
    @Option(help: "zero | value:S | scale:F | invert.") var deactivation: DeactivationKind = .value(-1)
    @Option(help: "additive | replacement | diffmean.") var method: ActivationMethod = .additive
    @Option(help: "Activation strength α.") var alpha: Float = 1
    @Option(help: "all | prompt | generated.") var positions: SteeringPositions = .all
    @Flag(help: "Do not deactivate the source (activation only).") var activateOnly = false
    @OptionGroup var generation: SteeringGenerationOptions
    @Option(help: "Run directory; results go to OUT/steering/.") var out: String
    @Flag(help: "Discard an existing checkpoint or result made with other settings.") var restart = false
    @Option(help: "Run slice i of n of the grid's cells (0-based: --shard $SLURM_ARRAY_TASK_ID/N); writes OUT/steering/grid.shard-i-of-n.json for `lna merge`.")
    var shard: String?
    @Flag(help: "Print the grid result as JSON.") var json = false

    func validate() throws {
        if let shard { _ = try Shard(parsing: shard) }
    }

    func run() throws {
        let shard = try self.shard.map { try Shard(parsing: $0) } ?? .whole
        let targets = SteeringInputOptions.list(languages)
        let rows = sources.map { SteeringInputOptions.list($0) } ?? targets
        guard !targets.isEmpty, !rows.isEmpty else { throw ValidationError("--languages needs at least one language") }
        let (questions, promptSource) = try SteeringInputOptions.questions(path: prompts, promptLanguage: promptLanguage, for: rows)
        let model = try CLI.loadModel(inputs.model, quiet: json, precision: inputs.modelOption.precision)
        let config = SteeringGridConfig(model: model.name, sources: rows, targets: targets,
                                        promptsPerLanguage: promptsPerLanguage, deactivation: deactivation, method: method,
                                        alpha: alpha, positions: positions, deactivateSource: !activateOnly,
                                        generation: try generation.settings(), prompts: promptSource)
        let runner = SteeringGridRunner(config: config, prompts: questions, masks: try inputs.loadMasks(),
                                        means: try inputs.loadMeans())
        let backend = SteeringBackend.model(model, settings: config.generation, identify: try inputs.identifier())
        let directory = URL(fileURLWithPath: out).appendingPathComponent("steering")
        // Generation lengths are not known in advance, so the ETA counts cells (each generates the same prompts).
        var clock: ProgressClock?
        var lastDone = 0
        let grid = try runner.run(backend: backend, directory: directory, restart: restart, shard: shard) { done, total, cell in
            if clock == nil { clock = ProgressClock(total: total, unit: "cells") }
            clock!.advance(by: done - lastDone)
            lastDone = done
            let label = cell.target.map { "\(cell.source)→\($0): \(Int((cell.successRate * 100).rounded())) %" }
                ?? "\(cell.source) baseline: \(cell.outputs.languageCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
            CLI.printError(String(format: "[%d/%d, %.0f s, ETA %@] ", done, total, clock!.seconds, clock!.eta.map(ProgressClock.clock) ?? "?") + label)
        }
        if shard.count > 1 {
            let file = SteeringGridRunner.files(in: directory, shard: shard).result
            print("shard \(shard): \(grid.baselines.count + grid.cells.count) of \(SteeringGridResult.unitCount(of: config)) cells → \(file.path); join the shards with `lna merge \(directory.path)/grid.shard-*-of-\(shard.count).json --out \(directory.path)/grid.json`")
            return
        }
        try Self.writeFigure(grid, in: directory)
        if json {
            print(try CLI.json(grid, pretty: true))
        } else {
            print(Self.table(grid))
            let summary = grid.summary
            print(String(format: "mean success %.1f %%, mean baseline %.1f %%, %d of %d targets above baseline",
                         summary.meanSuccess * 100, summary.meanBaseline * 100, summary.targetsAboveBaseline, targets.count))
            print("wrote \(directory.appendingPathComponent("grid.json").path), grid.png, grid.svg")
        }
    }

    /// grid.png and grid.svg next to grid.json.
    static func writeFigure(_ grid: SteeringGridResult, in directory: URL) throws {
        try Figure(SteeringFigures.grid(grid)).write(to: directory, name: "grid")
    }

    /// The success matrix as text (percent), baseline row first.
    static func table(_ grid: SteeringGridResult) -> String {
        let cell = { (v: Double?) in v.map { String(format: "%5.0f", $0 * 100) } ?? "    –" }
        var lines = ["source\\target " + grid.config.targets.map { $0.padding(toLength: 5, withPad: " ", startingAt: 0) }.joined(separator: " ")]
        lines.append("none          " + grid.baselineRow().map(cell).joined(separator: " "))
        for (source, row) in zip(grid.config.sources, grid.successMatrix()) {
            lines.append(source.padding(toLength: 14, withPad: " ", startingAt: 0) + row.map(cell).joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
