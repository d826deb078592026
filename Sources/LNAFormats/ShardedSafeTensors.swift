import Foundation

/// A Hugging Face model folder: `model.safetensors.index.json` (its `weight_map` names the shard of each tensor)
/// or a single `model.safetensors`. Every shard is memory-mapped and validated on open.
///
/// ```swift
/// let weights = try ShardedSafeTensors(directory: URL(fileURLWithPath: "Qwen2.5-0.5B"))
/// let w = try weights.floats("model.layers.3.mlp.down_proj.weight")
/// ```
public final class ShardedSafeTensors: TensorSource {
    public let directory: URL
    /// The shards, in file-name order.
    public let shards: [SafeTensorsFile]
    /// Tensor names: shards in file-name order, each in data order.
    public let tensorNames: [String]
    private let shardOfTensor: [String: Int]

    public static let indexFileName = "model.safetensors.index.json"
    public static let singleFileName = "model.safetensors"

    public init(directory: URL) throws {
        self.directory = directory
        let indexURL = directory.appendingPathComponent(Self.indexFileName)
        let singleURL = directory.appendingPathComponent(Self.singleFileName)
        let shardNames: [String]
        var weightMap: [(tensor: String, shard: String)] = []
        if FileManager.default.fileExists(atPath: indexURL.path) {
            weightMap = try Self.readWeightMap(indexURL)
            shardNames = Array(Set(weightMap.map(\.shard))).sorted()
        } else if FileManager.default.fileExists(atPath: singleURL.path) {
            shardNames = [Self.singleFileName]
        } else {
            throw FormatError.cannotOpen(file: directory.path,
                                         reason: "neither \(Self.indexFileName) nor \(Self.singleFileName) is there")
        }
        let shards = try shardNames.map { try SafeTensorsFile(contentsOf: directory.appendingPathComponent($0)) }
        var shardOfTensor: [String: Int] = [:]
        var names: [String] = []
        for (index, shard) in shards.enumerated() {
            for name in shard.tensorNames {
                if shardOfTensor[name] != nil {
                    throw FormatError.duplicateTensor(file: shard.path, offset: 8, tensor: name)
                }
                shardOfTensor[name] = index
                names.append(name)
            }
        }
        for (tensor, shard) in weightMap {
            guard let index = shardOfTensor[tensor], shardNames[index] == shard else {
                throw FormatError.missingTensor(file: directory.appendingPathComponent(shard).path, tensor: tensor,
                                                nearMatches: [])
            }
        }
        self.shards = shards
        self.shardOfTensor = shardOfTensor
        tensorNames = names
    }

    private static func readWeightMap(_ url: URL) throws -> [(tensor: String, shard: String)] {
        let data = try Data(contentsOf: url)
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch let error as JSONParseError {
            throw FormatError.invalidHeader(file: url.path, offset: error.offset, reason: "bad JSON: \(error.reason)")
        }
        guard let map = json["weight_map"]?.objectValue else {
            throw FormatError.invalidHeader(file: url.path, offset: 0, reason: "no \"weight_map\" object")
        }
        return try map.keys.map { tensor in
            guard let shard = map[tensor]?.stringValue, !shard.contains("/"), !shard.isEmpty else {
                throw FormatError.invalidHeader(file: url.path, offset: 0,
                                                reason: "weight_map entry '\(tensor)' is not a plain file name")
            }
            return (tensor, shard)
        }
    }

    /// The shard holding `name`, or nil.
    public func shard(of name: String) -> SafeTensorsFile? { shardOfTensor[name].map { shards[$0] } }

    private func requireShard(_ name: String) throws -> SafeTensorsFile {
        guard let shard = shard(of: name) else {
            throw FormatError.missingTensor(file: directory.path, tensor: name,
                                            nearMatches: nearMatches(for: name, in: tensorNames))
        }
        return shard
    }

    public func descriptor(_ name: String) -> TensorDescriptor? { shard(of: name)?.descriptor(name) }
    public func floats(_ name: String) throws -> [Float] { try requireShard(name).floats(name) }
    public func doubles(_ name: String) throws -> [Double] { try requireShard(name).doubles(name) }
    public func dequantizeRows(_ name: String, rows: [Int]) throws -> [Float] {
        try requireShard(name).dequantizeRows(name, rows: rows)
    }
    public func int64s(_ name: String) throws -> [Int64] { try requireShard(name).int64s(name) }
}
