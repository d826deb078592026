import Foundation
import LNAAnalysis
import LNAFiles

/// The settings of a forcing grid; a checkpoint is resumed only when they are equal.
///
/// ```swift
/// let config = SteeringGridConfig(model: "gemma3-270m", sources: ["en"], targets: ["en", "fr", "zh"],
///                                 promptsPerLanguage: 6)
/// ```
public struct SteeringGridConfig: Codable, Sendable, Equatable {
    public var model: String
    /// Row languages: their prompts are used and their neurons deactivated.
    public var sources: [String]
    /// Column languages: their neurons are activated.
    public var targets: [String]
    public var promptsPerLanguage: Int
    public var deactivation: DeactivationKind
    public var method: ActivationMethod
    public var alpha: Float
    public var positions: SteeringPositions
    /// Also deactivate the source language (false: activation only, Gurgurov's `activate` mode).
    public var deactivateSource: Bool
    public var generation: GenerationSettings
    /// Where the prompts came from (for the record).
    public var prompts: String

    public init(model: String, sources: [String], targets: [String], promptsPerLanguage: Int = 6,
                deactivation: DeactivationKind = .value(-1), method: ActivationMethod = .additive, alpha: Float = 1,
                positions: SteeringPositions = .all, deactivateSource: Bool = true,
                generation: GenerationSettings = GenerationSettings(), prompts: String = "") {
        self.model = model
        self.sources = sources
        self.targets = targets
        self.promptsPerLanguage = promptsPerLanguage
        self.deactivation = deactivation
        self.method = method
        self.alpha = alpha
        self.positions = positions
        self.deactivateSource = deactivateSource
        self.generation = generation
        self.prompts = prompts
    }

    /// The request of one cell.
    public func request(source: String, target: String) -> SteeringRequest {
        SteeringRequest(deactivate: deactivateSource ? [source] : [], deactivation: deactivation, activate: target,
                        method: method, alpha: alpha, positions: positions)
    }
}

/// One (source, target) cell: the outputs and the share identified as the target language.
///
/// ```swift
/// cell.successRate   // 0.83: 5 of 6 outputs in the target language
/// ```
public struct SteeringGridCell: Codable, Sendable, Equatable {
    public var source: String
    /// nil for the no-intervention baseline of `source`.
    public var target: String?
    public var outputs: [LabelledOutput]

    public init(source: String, target: String?, outputs: [LabelledOutput]) {
        self.source = source
        self.target = target
        self.outputs = outputs
    }

    /// Share of outputs in the target language (0 for the baseline cell, which has no target).
    public var successRate: Double { target.map { outputs.share(of: $0) } ?? 0 }
}

/// A forcing grid: the baseline outputs of every source, and the cells done so far.
///
/// ```swift
/// let grid = try SteeringGridResult.read(from: URL(fileURLWithPath: "runs/x/steering/grid.json"))
/// grid.successMatrix()   // rows sources, columns targets, nil where not run
/// grid.baselineRow()     // share of unsteered outputs in each target language
/// ```
public struct SteeringGridResult: Codable, Sendable, Equatable {
    public var config: SteeringGridConfig
    public var baselines: [SteeringGridCell]
    public var cells: [SteeringGridCell]
    public var complete: Bool
    /// For the file of one task of a sharded grid (`lna steer-grid --shard i/n`): which shard it is, and
    /// `complete` means that shard's cells are done. Absent (nil) for a whole grid, so its grid.json is unchanged.
    public var shardIndex: Int?
    public var shardCount: Int?

    public init(config: SteeringGridConfig, baselines: [SteeringGridCell] = [], cells: [SteeringGridCell] = [],
                complete: Bool = false, shard: Shard = .whole) {
        self.config = config
        self.baselines = baselines
        self.cells = cells
        self.complete = complete
        if shard.count > 1 { shardIndex = shard.index; shardCount = shard.count }
    }

    public func cell(source: String, target: String) -> SteeringGridCell? {
        cells.first { $0.source == source && $0.target == target }
    }

    public func baseline(source: String) -> SteeringGridCell? { baselines.first { $0.source == source } }

    /// Success rates, rows `config.sources`, columns `config.targets`; nil where the cell has not run.
    public func successMatrix() -> [[Double?]] {
        config.sources.map { s in config.targets.map { t in cell(source: s, target: t)?.successRate } }
    }

    /// For each target, the share of all no-intervention outputs (every source) already in that language.
    public func baselineRow() -> [Double?] {
        let outputs = baselines.flatMap(\.outputs)
        return config.targets.map { outputs.isEmpty ? nil : outputs.share(of: $0) }
    }

    /// Mean success over the cells run, and mean baseline share over the targets (for a one-line summary).
    public var summary: (meanSuccess: Double, meanBaseline: Double, targetsAboveBaseline: Int) {
        let matrix = successMatrix()
        let base = baselineRow()
        let done = matrix.flatMap { $0.compactMap { $0 } }
        var above = 0
        for (j, _) in config.targets.enumerated() {
            let column = matrix.compactMap { $0[j] }
            guard !column.isEmpty else { continue }
            if column.reduce(0, +) / Double(column.count) > (base[j] ?? 0) { above += 1 }
        }
        let baseValues = base.compactMap { $0 }
        return (done.isEmpty ? 0 : done.reduce(0, +) / Double(done.count),
                baseValues.isEmpty ? 0 : baseValues.reduce(0, +) / Double(baseValues.count), above)
    }

    public static func read(from url: URL) throws -> SteeringGridResult { try ResultFile.read(Self.self, from: url) }

    public func write(to url: URL) throws { try ResultFile.write(self, to: url) }
}

/// Runs the forcing experiment cell by cell, saving a checkpoint after every cell so that an interrupted run
/// resumes where it stopped.
///
/// ```swift
/// let runner = SteeringGridRunner(config: config, prompts: ["en": questions], masks: masks, means: means)
/// let grid = try runner.run(backend: backend, directory: URL(fileURLWithPath: "runs/x/steering"))
/// ```
public struct SteeringGridRunner {
    public var config: SteeringGridConfig
    /// Questions per source language (the first `promptsPerLanguage` are used).
    public var prompts: [String: [String]]
    public var masks: MaskSet
    public var means: MeanActivations?

    public init(config: SteeringGridConfig, prompts: [String: [String]], masks: MaskSet, means: MeanActivations?) {
        self.config = config
        self.prompts = prompts
        self.masks = masks
        self.means = means
    }

    /// `grid.json` (final) and `grid.checkpoint.json` (while running) in `directory`; for shard i of n
    /// `grid.shard-i-of-n.json` and `grid.shard-i-of-n.checkpoint.json`.
    public static func files(in directory: URL, shard: Shard = .whole) -> (result: URL, checkpoint: URL) {
        (directory.appendingPathComponent(shard.fileName("grid", extension: "json")),
         directory.appendingPathComponent(shard.fileName("grid", extension: "checkpoint.json")))
    }

    /// Runs the missing cells (all of them unless a checkpoint with the same settings exists).
    ///
    /// - Parameters:
    ///   - restart: ignore an existing checkpoint or result.
    ///   - shard: run only slice `shard.slice(of: units)` of the grid's units (each source's baseline, then its
    ///     targets, source by source) and write `grid.shard-i-of-n.json`; `SteeringGridResult.merge` joins them.
    ///   - progress: called after each cell with (cells done, cells in all, the cell).
    public func run(backend: SteeringBackend, directory: URL, restart: Bool = false, shard: Shard = .whole,
                    progress: (Int, Int, SteeringGridCell) -> Void = { _, _, _ in }) throws -> SteeringGridResult {
        guard config.promptsPerLanguage > 0 else {
            throw SteeringError.invalidOption("--prompts-per-language \(config.promptsPerLanguage): expected ≥ 1")
        }
        guard !config.sources.isEmpty, !config.targets.isEmpty else {
            throw SteeringError.invalidOption("the grid needs at least one source and one target language")
        }
        let questions = try config.sources.map { source -> [String] in
            guard let list = prompts[source], !list.isEmpty else {
                throw SteeringError.invalidOption("no prompts for source language \(source) (have: \(prompts.keys.sorted().joined(separator: ",")))")
            }
            return Array(list.prefix(config.promptsPerLanguage))
        }
        // Resolve every plan first: a bad language fails before any generation.
        var plans: [String: SteeringPlan] = [:]
        for s in config.sources {
            for t in config.targets {
                plans[s + "→" + t] = try SteeringPlan.build(masks: masks, means: means, request: config.request(source: s, target: t))
            }
        }
        let (resultURL, checkpointURL) = Self.files(in: directory, shard: shard)
        var grid = SteeringGridResult(config: config, shard: shard)
        if !restart {
            for url in [resultURL, checkpointURL] where FileManager.default.fileExists(atPath: url.path) {
                let saved = try SteeringGridResult.read(from: url)
                guard saved.config == config, saved.shardIndex == grid.shardIndex, saved.shardCount == grid.shardCount else {
                    throw SteeringError.invalidOption("\(url.path) was made with other settings; pass --restart to discard it, or use another --out")
                }
                grid = saved
                break
            }
        }
        if grid.complete { return grid }
        let none = SteeringPlan.none(layers: masks.layers, width: masks.width)
        let mine = SteeringGridResult.units(of: config)[shard.slice(of: SteeringGridResult.unitCount(of: config))]
        var done = grid.baselines.count + grid.cells.count
        for unit in mine {
            let i = config.sources.firstIndex(of: unit.source)!
            let cell: SteeringGridCell
            if let target = unit.target {
                guard grid.cell(source: unit.source, target: target) == nil else { continue }
                let plan = plans[unit.source + "→" + target]!
                cell = SteeringGridCell(source: unit.source, target: target, outputs: try backend.outputs(questions[i], plan: plan))
                grid.cells.append(cell)
            } else {
                guard grid.baseline(source: unit.source) == nil else { continue }
                cell = SteeringGridCell(source: unit.source, target: nil, outputs: try backend.outputs(questions[i], plan: none))
                grid.baselines.append(cell)
            }
            try grid.write(to: checkpointURL)
            done += 1
            progress(done, mine.count, cell)
        }
        grid.complete = true
        try grid.write(to: resultURL)
        try? FileManager.default.removeItem(at: checkpointURL)
        return grid
    }
}
