import LNAFiles

/// Sharded forcing grids: the units a grid is cut into, and the merge of the shards' files.
extension SteeringGridResult {
    /// One unit of work of a grid: a source's baseline (`target` nil) or one (source, target) cell.
    public struct Unit: Sendable, Hashable {
        public var source: String
        public var target: String?
    }

    /// The grid's units in the order a whole grid runs them: each source's baseline, then its targets.
    public static func units(of config: SteeringGridConfig) -> [Unit] {
        config.sources.flatMap { source in
            [Unit(source: source, target: nil)] + config.targets.map { Unit(source: source, target: $0) }
        }
    }

    public static func unitCount(of config: SteeringGridConfig) -> Int { units(of: config).count }

    /// The whole grid from the complete files of all shards of one grid (any order), byte-identical to an
    /// unsharded run's grid.json: the cells are put in the whole grid's order. Refuses shards of other
    /// settings, a missing, repeated or unfinished shard, and a shard holding cells that are not its own.
    ///
    /// ```swift
    /// let grid = try SteeringGridResult.merge(urls.map(SteeringGridResult.read), names: urls.map(\.lastPathComponent))
    /// ```
    public static func merge(_ shards: [SteeringGridResult], names: [String]) throws -> SteeringGridResult {
        guard let first = shards.first, names.count == shards.count else { throw SteeringError.invalidOption("no grid shards to merge") }
        guard let count = first.shardCount else {
            throw SteeringError.invalidOption("\(names[0]) is a whole grid, not a shard of one (lna steer-grid --shard i/n)")
        }
        let all = units(of: first.config)
        var seen: [Int: String] = [:]
        var baselines: [String: SteeringGridCell] = [:], cells: [Unit: SteeringGridCell] = [:]
        for (shard, name) in zip(shards, names) {
            guard shard.config == first.config, shard.shardCount == count, let index = shard.shardIndex else {
                throw SteeringError.invalidOption("\(name) was made with other settings or another shard count than \(names[0]); only the shards of one grid can be merged")
            }
            let position: Shard
            do { position = try Shard(index: index, count: count) } catch {
                throw SteeringError.invalidOption("\(name): shard_index/shard_count: \(error)")
            }
            if let other = seen[index] { throw SteeringError.invalidOption("\(name) and \(other) are both shard \(position)") }
            seen[index] = name
            guard shard.complete else { throw SteeringError.invalidOption("\(name): shard \(position) has not finished (complete is false)") }
            let held = shard.baselines.map { Unit(source: $0.source, target: nil) } + shard.cells.map { Unit(source: $0.source, target: $0.target) }
            let expected = all[position.slice(of: all.count)]
            guard held.count == expected.count, Set(held) == Set(expected) else {
                throw SteeringError.invalidOption("\(name): shard \(position) should hold \(expected.count) cells of the grid, holds \(held.count) others")
            }
            for cell in shard.baselines { baselines[cell.source] = cell }
            for cell in shard.cells { cells[Unit(source: cell.source, target: cell.target)] = cell }
        }
        let missing = (0..<count).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw SteeringError.invalidOption("missing shard(s) \(missing.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ")) of the grid of \(names[0])")
        }
        // Every unit is present: each shard holds exactly its slice, and the slices partition the units.
        return SteeringGridResult(config: first.config,
                                  baselines: all.filter { $0.target == nil }.map { baselines[$0.source]! },
                                  cells: all.filter { $0.target != nil }.map { cells[$0]! }, complete: true)
    }
}
