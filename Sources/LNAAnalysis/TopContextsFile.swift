import Foundation
import LNAFormats

/// The on-disk format of `TopContexts`: a safetensors sidecar next to a statistics file
/// (`<lang>.top-contexts.safetensors` beside `<lang>.safetensors`) with
///
/// | tensor | dtype, shape | meaning |
/// |---|---|---|
/// | `top_value` | F32 [L, H, K] | the K largest activations per neuron, largest first (−∞: empty slot) |
/// | `top_sequence` | I64 [L, H, K] | index of the sequence in the whole recording (−1: empty slot) |
/// | `top_position` | I64 [L, H, K] | token position in that sequence |
/// | `sequence_index` | I64 [S] | the sequences entries point into, ascending |
/// | `sequence_offset` | I64 [S + 1] | where each one starts in `sequence_tokens` |
/// | `sequence_tokens` | I64 [T] | their token ids, concatenated |
///
/// and `__metadata__`: `format` (`lna.top-contexts/1`), `language`, `dataset`, `model`, `model_sha256`,
/// `hook_site`, `shard`, `layers`, `width`, `k`, `tool_version`. No timestamps: the same recording gives the same
/// bytes, and `lna merge` of shards gives the bytes of the single run.
///
/// ```swift
/// try TopContextsFile.write(top, to: TopContextsFile.sidecar(of: URL(fileURLWithPath: "acts/en.safetensors")))
/// ```
public enum TopContextsFile {
    public static let formatTag = "lna.top-contexts/1"
    public static let suffix = ".top-contexts.safetensors"

    /// The sidecar of a statistics file: `x.safetensors` → `x.top-contexts.safetensors`.
    public static func sidecar(of statistics: URL) -> URL {
        let name = statistics.lastPathComponent
        let stem = name.hasSuffix(".safetensors") ? String(name.dropLast(".safetensors".count)) : name
        return statistics.deletingLastPathComponent().appendingPathComponent(stem + suffix)
    }

    public static func write(_ top: TopContexts, to url: URL) throws {
        var metadata = top.metadata
        metadata.merge(["format": formatTag, "layers": String(top.layers), "width": String(top.width),
                        "k": String(top.k), "tool_version": LNAAnalysisInfo.version]) { $1 }
        var writer = SafeTensorsWriter(metadata: metadata)
        let shape = [top.layers, top.width, top.k]
        try writer.add("top_value", top.values, shape: shape)
        try writer.add("top_sequence", top.sequences.map(Int64.init), shape: shape)
        try writer.add("top_position", top.positions.map(Int64.init), shape: shape)
        let indices = top.sequenceTokens.keys.sorted()
        var offsets: [Int64] = [0], tokens: [Int64] = []
        for index in indices {
            tokens.append(contentsOf: top.sequenceTokens[index]!.map(Int64.init))
            offsets.append(Int64(tokens.count))
        }
        try writer.add("sequence_index", indices.map(Int64.init), shape: [indices.count])
        try writer.add("sequence_offset", offsets, shape: [offsets.count])
        try writer.add("sequence_tokens", tokens, shape: [tokens.count])
        try createParent(of: url)
        try writer.write(to: url)
    }

    /// Reads and validates a sidecar; every index and offset is checked against the file's own shapes.
    public static func read(_ url: URL) throws -> TopContexts {
        let file = try SafeTensorsFile(contentsOf: url)
        let meta = file.metadata
        guard meta["format"] == formatTag else {
            throw AnalysisError.format("\(url.path): __metadata__.format is \(meta["format"] ?? "missing"), expected \(formatTag)")
        }
        let info = try file.requireTensor("top_value")
        guard info.shape.count == 3 else {
            throw AnalysisError.shapeMismatch("\(url.path): top_value has shape \(info.shape), expected [layers, width, k]")
        }
        let shape = info.shape
        for name in ["top_sequence", "top_position"] where try file.requireTensor(name).shape != shape {
            throw AnalysisError.shapeMismatch("\(url.path): \(name) has shape \(try file.requireTensor(name).shape), expected \(shape)")
        }
        let indices = try file.int64s("sequence_index"), offsets = try file.int64s("sequence_offset")
        let tokens = try file.int64s("sequence_tokens")
        guard offsets.count == indices.count + 1, offsets.first == 0, offsets.last == Int64(tokens.count),
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw AnalysisError.format("\(url.path): sequence_offset must hold \(indices.count + 1) ascending offsets from 0 to \(tokens.count)")
        }
        var table: [Int: [Int]] = [:]
        for (i, index) in indices.enumerated() {
            guard index >= 0, index <= Int64(Int32.max), table[Int(index)] == nil else {
                throw AnalysisError.format("\(url.path): sequence_index[\(i)] = \(index) is negative, too large or repeated")
            }
            table[Int(index)] = tokens[Int(offsets[i])..<Int(offsets[i + 1])].map { Int(truncatingIfNeeded: $0) }
        }
        func ints(_ name: String) throws -> [Int] {
            try file.int64s(name).map { v in
                guard v >= -1, v <= Int64(Int32.max) else {
                    throw AnalysisError.format("\(url.path): \(name) holds \(v), expected −1 or a non-negative index")
                }
                return Int(v)
            }
        }
        return try TopContexts(metadata: meta.filter { !["format", "layers", "width", "k", "tool_version"].contains($0.key) },
                               layers: shape[0], width: shape[1], k: shape[2], values: try file.floats("top_value"),
                               sequences: try ints("top_sequence"), positions: try ints("top_position"),
                               sequenceTokens: table, source: url.path)
    }
}
