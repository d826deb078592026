import Foundation
import LNAFormats
import LNATensor

/// How a model keeps its layer weights (the q/k/v/o and gate/up/down projections) between forward calls.
///
/// - `resident`: float32, packed once at load for the own AVX-512 kernel: the fastest, 4 bytes per weight
///   (a 7B model needs ~28 GB).
/// - `bf16`: bfloat16 panels packed once at load, widened to float32 inside the kernel: 2 bytes per weight,
///   bit-identical results, for bf16 checkpoints only (other storage types would be rounded).
/// - `streamed`: nothing kept; each forward call packs one layer at a time from the memory-mapped file (bf16
///   panels straight from a bf16 checkpoint's bytes, else float32) and drops it and the file pages after the
///   layer ran: well under 1 GB for a 7B model, exact for any source, but one repack of the whole model per
///   forward call (a few % of a 2,048-row recording batch, ruinous for token-by-token generation).
/// - `auto`: `resident` when the float32 layers take ≤ 40 % of physical memory, else `bf16` for a bf16
///   checkpoint whose layers take ≤ 40 % in bf16, else `streamed`. On a 24 GiB machine a 7B model is streamed:
///   its 14 GB of bf16 panels fit alone but were OOM-killed next to other jobs (docs/performance.md); give
///   `bf16` explicitly for token-by-token generation on a machine of your own.
///
/// ```swift
/// let model = try Model.load("/tmp/mistral-7b-synthetic", weights: .auto)
/// print(model.weightStorage)   // streamed on 24 GiB, bf16 on 64 GiB
/// ```
public enum WeightStorage: String, Sendable, CaseIterable, Codable {
    case auto, resident, bf16, streamed

    /// Fractions of physical memory `auto` allows for float32 and bf16 layer weights.
    static let residentFraction = 0.4, bf16Fraction = 0.4

    /// Parses a CLI value (`auto`, `resident`/`f32`, `bf16`, `streamed`/`stream`).
    ///
    /// ```swift
    /// let storage = try WeightStorage(parsing: "bf16")
    /// ```
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "auto": self = .auto
        case "resident", "f32", "float32": self = .resident
        case "bf16", "bfloat16": self = .bf16
        case "streamed", "stream": self = .streamed
        default:
            throw ModelError.invalidConfig("weights", "'\(text)' is not a weight storage; use auto, resident, bf16 or streamed")
        }
    }

    /// Number of weights in the packed projections of all layers.
    static func projectionWeights(_ c: ModelConfig) -> Int {
        let d = c.hiddenSize
        return c.layerCount * (2 * d * c.queryWidth + 2 * d * c.kvWidth + 3 * d * c.intermediateSize)
    }

    /// The concrete storage for `requested` on `file` (never `.auto`); throws for `bf16` on a checkpoint whose
    /// projections are not all BF16.
    static func resolve(_ requested: WeightStorage, file: ModelFile,
                        physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws -> WeightStorage {
        let allBF16 = projectionsAreBF16(file)
        switch requested {
        case .resident, .streamed: return requested
        case .bf16:
            guard allBF16 else {
                throw ModelError.invalidConfig(file.directory.path,
                    "--weights bf16 keeps exact values only for BF16 checkpoints and this one stores \(file.tensorTypes.keys.sorted().joined(separator: ", ")); use --weights streamed")
            }
            return .bf16
        case .auto:
            let weights = Double(projectionWeights(file.config)), memory = Double(physicalMemory)
            if 4 * weights <= residentFraction * memory { return .resident }
            if allBF16 && 2 * weights <= bf16Fraction * memory { return .bf16 }
            return .streamed
        }
    }

    static func projectionsAreBF16(_ file: ModelFile) -> Bool {
        let roles: [WeightRole] = [.query, .key, .value, .attentionOutput, .gate, .up, .down]
        for layer in 0..<file.config.layerCount {
            for role in roles {
                guard file.loader.source.descriptor(file.loader.fileName(role, layer: layer))?.typeName == "BF16"
                else { return false }
            }
        }
        return true
    }
}

/// The layer weights of a model: packed once (resident float32 or bf16) or rebuilt from the file on every use
/// (streamed).
final class LayerStore: @unchecked Sendable {
    // @unchecked: immutable after init; streamed layers are built per call and not shared.
    let storage: WeightStorage
    let precision: ArithmeticPrecision
    private let resident: [FastLayer]
    let loader: WeightLoader

    /// The panels a streamed layer is packed into: bf16 straight from a bf16 checkpoint's mapped bytes (half the
    /// traffic of a float32 copy plus a float32 packing), else float32; bf16 pair panels in bf16 arithmetic.
    private let streamedPacking: ProjectionPacking

    init(loader: WeightLoader, storage: WeightStorage, sourceIsBF16: Bool,
         precision: ArithmeticPrecision = .float32) throws {
        self.storage = storage
        self.precision = precision
        self.loader = loader
        streamedPacking = ProjectionPacking(
            storage: sourceIsBF16 && loader.format == .huggingFace ? .bf16 : .resident, precision: precision)
        let packing = ProjectionPacking(storage: storage, precision: precision)
        resident = storage == .streamed ? [] : try (0..<loader.config.layerCount).map { l in
            try FastLayer(loader: loader, layer: l, packing: packing)
        }
    }

    /// The weights of layer `l`: the packed copy, or (streamed) a fresh packing whose file pages are already
    /// released; it is freed when the caller drops it.
    func layer(_ l: Int) throws -> FastLayer {
        storage == .streamed ? try FastLayer(loader: loader, layer: l, packing: streamedPacking) : resident[l]
    }

    /// Bytes held by the packed projections kept between calls (0 when streamed).
    var residentBytes: Int { resident.reduce(0) { $0 + $1.byteCount } }
}

/// How a projection is packed: float32 panels; bf16 panels widened to float32 (bf16 storage, float32 arithmetic,
/// bit-identical to float32 for a bf16 checkpoint); bf16 pair panels multiplied in bf16 arithmetic; or int8 blocks
/// for GGUF-quantised weights (VNNI), float32 panels for the others.
enum ProjectionPacking: Sendable {
    case float32, bf16Storage, bf16Arithmetic, int8

    /// The packing of a resolved storage (`resident` or `bf16`; a streamed layer passes the panels it streams into)
    /// at `precision`. bf16 arithmetic keeps bf16 panels whatever the storage.
    init(storage: WeightStorage, precision: ArithmeticPrecision) {
        switch precision {
        case .float32: self = storage == .bf16 ? .bf16Storage : .float32
        case .bf16: self = .bf16Arithmetic
        case .int8: self = .int8
        }
    }
}

/// One packed projection: float32 panels, bf16 panels (float32 arithmetic), bf16 pair panels (bf16 arithmetic) or
/// int8 blocks (int8 arithmetic).
enum Projection: @unchecked Sendable {
    case f32(PackedLinear)
    case bf16(BF16PackedLinear)
    case bf16Arithmetic(BF16ArithmeticLinear)
    case int8(Int8PackedLinear)

    /// Loads `role` of `layer` (and its bias), packs it as `packing` says and releases the tensor's file pages.
    init(_ loader: WeightLoader, _ role: WeightRole, layer: Int, outputs: Int, inputs: Int, bias: WeightRole? = nil,
         packing: ProjectionPacking) throws {
        let c = loader.config
        let biasValues = try bias.flatMap { $0.isPresent(in: c) ? try loader.load($0, layer: layer) : nil }
        if packing == .int8,
           let int8 = try loader.int8Linear(role, layer: layer, outputs: outputs, inputs: inputs, bias: biasValues) {
            self = .int8(int8)
        } else if packing == .bf16Storage || packing == .bf16Arithmetic, let bytes = try loader.rawBF16(role, layer: layer) {
            // Straight from the mapped bf16 bytes: no float32 copy of the tensor.
            switch packing {
            case .bf16Arithmetic:
                self = .bf16Arithmetic(try BF16ArithmeticLinear(bf16Bytes: bytes, outputs: outputs, inputs: inputs, bias: biasValues))
            default:
                self = .bf16(try BF16PackedLinear(bf16Bytes: bytes, outputs: outputs, inputs: inputs, bias: biasValues))
            }
        } else {
            self = try Projection(weight: try loader.load(role, layer: layer), outputs: outputs, inputs: inputs,
                                  bias: biasValues, packing: packing)
        }
        loader.releasePages(role, layer: layer)
    }

    /// Packs a weight already in memory (one expert's matrix) as `packing` says.
    init(weight: [Float], outputs: Int, inputs: Int, bias: [Float]? = nil, packing: ProjectionPacking) throws {
        switch packing {
        // int8 keeps only GGUF-quantised blocks; a weight already in float32 (an expert's) stays float32.
        case .float32, .int8: self = .f32(try PackedLinear(weight: weight, outputs: outputs, inputs: inputs, bias: bias))
        case .bf16Storage: self = .bf16(try BF16PackedLinear(weight: weight, outputs: outputs, inputs: inputs, bias: bias))
        case .bf16Arithmetic:
            self = .bf16Arithmetic(try BF16ArithmeticLinear(weight: weight, outputs: outputs, inputs: inputs, bias: bias))
        }
    }

    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        switch self {
        case let .f32(p): p.apply(x, rows: rows, into: y)
        case let .bf16(p): p.apply(x, rows: rows, into: y)
        case let .bf16Arithmetic(p): p.apply(x, rows: rows, into: y)
        case let .int8(p): p.apply(x, rows: rows, into: y)
        }
    }

    /// Several projections of one input in one pass (x packed once), like `PackedLinear.apply(_:to:rows:into:)`.
    static func apply(_ projections: [Projection], to x: UnsafePointer<Float>, rows: Int,
                      into outputs: [UnsafeMutablePointer<Float>]) throws {
        let f32 = projections.compactMap { if case let .f32(p) = $0 { p } else { nil } }
        let bf16 = projections.compactMap { if case let .bf16(p) = $0 { p } else { nil } }
        let arithmetic = projections.compactMap { if case let .bf16Arithmetic(p) = $0 { p } else { nil } }
        let int8 = projections.compactMap { if case let .int8(p) = $0 { p } else { nil } }
        if f32.count == projections.count {
            try PackedLinear.apply(f32, to: x, rows: rows, into: outputs)
        } else if bf16.count == projections.count {
            try BF16PackedLinear.apply(bf16, to: x, rows: rows, into: outputs)
        } else if arithmetic.count == projections.count {
            try BF16ArithmeticLinear.apply(arithmetic, to: x, rows: rows, into: outputs)
        } else if int8.count == projections.count {
            try Int8PackedLinear.apply(int8, to: x, rows: rows, into: outputs)
        } else {
            for (p, y) in zip(projections, outputs) { p.apply(x, rows: rows, into: y) }
        }
    }

    var byteCount: Int {
        switch self {
        case let .f32(p): return p.byteCount
        case let .bf16(p): return p.byteCount
        case let .bf16Arithmetic(p): return p.byteCount
        case let .int8(p): return p.byteCount
        }
    }
}

extension WeightLoader {
    /// The mapped bytes of a BF16 safetensors tensor that needs no transformation on load (not a norm with a
    /// gain offset), shape-checked; nil for other sources and types.
    func rawBF16(_ role: WeightRole, layer: Int?) throws -> UnsafeRawBufferPointer? {
        guard format == .huggingFace, !role.isNorm, let sharded = source as? ShardedSafeTensors else { return nil }
        let name = fileName(role, layer: layer)
        guard let shard = sharded.shard(of: name), let info = shard.tensorInfo(name), info.dtype == .bf16
        else { return nil }
        let shape = role.shape(in: config)
        guard !isTransposed(role) else { return nil }
        guard let fused = fusedRows(role) else { return info.shape == shape ? try shard.rawBytes(name) : nil }
        // A role's rows of a fused tensor are contiguous bytes in it (when they are one range).
        guard info.shape == [fused.totalRows, shape[1]], fused.ranges.count == 1, let rows = fused.ranges.first else { return nil }
        let bytes = try shard.rawBytes(name), rowBytes = 2 * shape[1]
        return UnsafeRawBufferPointer(rebasing: bytes[(rows.lowerBound * rowBytes)..<(rows.upperBound * rowBytes)])
    }

    /// Drops the mapped file pages of a tensor once it has been converted (safetensors and GGUF sources alike; a
    /// later read, e.g. of a streamed layer, faults them back in from the page cache).
    func releasePages(_ role: WeightRole, layer: Int?) {
        let name = fileName(role, layer: layer)
        if let sharded = source as? ShardedSafeTensors { sharded.releasePages(of: name) }
        else if let single = source as? SafeTensorsFile { single.releasePages(of: name) }
        else if let gguf = source as? GGUFFile { gguf.releasePages(of: name) }
    }
}
