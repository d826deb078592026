import Foundation
import LNAAnalysis
import LNAData
import LNAFormats
import LNATokenizers

/// Runs one `FuzzReader` on one input. Readers that take a path get the input as a file in `scratch` (the same
/// file name every run, so a long fuzzing session leaves one file per reader behind, not millions).
///
/// ```swift
/// let harness = try FuzzHarness(scratch: URL(fileURLWithPath: "/tmp/lna-fuzz"))
/// if case .error(let message) = harness.run(.masks, Array(#"{"width": -1}"#.utf8)) { print(message) }
/// ```
public struct FuzzHarness: Sendable {
    public let scratch: URL

    /// Tensors larger than this are not read back: reading is linear in the file, and a mutant that keeps a valid
    /// 100 MB tensor only slows the fuzzer. The readers' own limits are what is under test.
    static let maxTensorBytesRead = 1 << 20

    public init(scratch: URL) throws {
        self.scratch = scratch
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    public func run(_ reader: FuzzReader, _ bytes: [UInt8]) -> FuzzOutcome {
        do {
            switch reader {
            case .gguf: try readGGUF(bytes)
            case .safetensors: try readSafeTensors(bytes)
            case .config: try readConfig(bytes)
            case .tokenizer: try readTokenizer(bytes)
            case .torch: try readTorch(bytes)
            case .statistics: try readStatistics(bytes)
            case .masks: try readMasks(bytes)
            case .dataset: try readDataset(bytes)
            }
            return .value
        } catch {
            return .error(String(describing: error))
        }
    }

    // MARK: Model files

    private func readGGUF(_ bytes: [UInt8]) throws {
        let gguf = try GGUFFile(mapped: MappedFile(copying: bytes, path: "fuzz.gguf"))
        for key in gguf.metadataKeys { _ = try gguf.value(key) }
        for tensor in gguf.tensors where tensor.byteCount <= Self.maxTensorBytesRead {
            _ = try gguf.floats(tensor.name)
            let rows = tensor.shape.dropLast().reduce(1, *)   // shape is outermost first; the last axis is a row
            if rows > 0 { _ = try gguf.dequantizeRows(tensor.name, rows: [rows - 1]) }
        }
    }

    private func readSafeTensors(_ bytes: [UInt8]) throws {
        if bytes.first == UInt8(ascii: "{") { return try readSafeTensorsIndex(bytes) }
        let file = try SafeTensorsFile(mapped: MappedFile(copying: bytes, path: "fuzz.safetensors"))
        try readAll(file)
    }

    private func readAll(_ file: SafeTensorsFile) throws {
        for tensor in file.tensors where tensor.byteCount <= Self.maxTensorBytesRead {
            switch tensor.dtype {
            case .f32, .f16, .bf16, .f64: _ = try file.floats(tensor.name)
            case .f8e4m3, .f8e5m2: continue
            default: _ = try file.int64s(tensor.name)
            }
            _ = try file.doubles(tensor.name)
        }
    }

    /// The index beside one valid shard holding the tensors `FuzzSeeds.safeTensorsIndex` names.
    private func readSafeTensorsIndex(_ bytes: [UInt8]) throws {
        let folder = scratch.appendingPathComponent("sharded")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shard = folder.appendingPathComponent(FuzzSeeds.shardName)
        if !FileManager.default.fileExists(atPath: shard.path) {
            try Data(FuzzSeeds.safeTensors()).write(to: shard)
        }
        try Data(bytes).write(to: folder.appendingPathComponent(ShardedSafeTensors.indexFileName))
        let sharded = try ShardedSafeTensors(directory: folder)
        for name in sharded.tensorNames { _ = try sharded.floats(name) }
    }

    private func readConfig(_ bytes: [UInt8]) throws {
        let config = try HFConfig(json: try JSONValue.parse(bytes), path: "config.json")
        for key in config.keys {
            switch config[key] {
            case .int?: _ = try config.int(key)
            case .double?: _ = try config.optionalDouble(key)
            case .object?: _ = try config.optionalNested(key)?.keys
            default: _ = config[key]?.description
            }
        }
    }

    private func readTokenizer(_ bytes: [UInt8]) throws {
        let tokenizer = try Tokenizer(huggingFaceJSON: Data(bytes))
        let ids = tokenizer.encode("Hello wörld, 123 日本語 \u{1F600}!")
        _ = tokenizer.decode(ids)
    }

    // MARK: Files passed between machines

    private func readTorch(_ bytes: [UInt8]) throws {
        let file = try TorchFile(archive: ZipArchive(data: Data(bytes), fileName: "fuzz.pt"))
        for tensor in file.tensors where tensor.storage.elementCount <= Self.maxTensorBytesRead {
            switch tensor.dtype {
            case .float64, .float32, .float16, .bfloat16: _ = try file.doubleValues(tensor)
            default: _ = try file.int64Values(tensor)
            }
        }
        let url = try write(bytes, "fuzz.pt")
        switch try OriginalFiles.kind(of: file) {
        case .masks: _ = try OriginalFiles.readMasks(url, languages: nil, width: nil)
        default: _ = try OriginalFiles.readCounts(url)
        }
    }

    private func readStatistics(_ bytes: [UInt8]) throws {
        let statistics = try StatisticsFile.read(try write(bytes, "en.safetensors"))
        let merged = try ActivationStatistics.merge([statistics, statistics])
        _ = merged.meanActivation
    }

    private func readMasks(_ bytes: [UInt8]) throws {
        let name = bytes.first == UInt8(ascii: "{") ? "masks.json"
            : bytes.starts(with: [0x50, 0x4B]) ? "masks.pth" : "masks.safetensors"
        let masks = try MaskSet.read(try write(bytes, name), languages: nil, width: nil)
        _ = masks.appear
        _ = NeuronClasses(masks: masks)
    }

    private func readDataset(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes.prefix(256), as: UTF8.self)
        let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        let (relative, format, path, split): (String, DatasetFormat, String, DatasetSplit?)
        if text.hasPrefix("[") {
            (relative, format, path, split) = ("njunlp.json", .njunlp, "njunlp.json", nil)
        } else if text.hasPrefix("{") {
            (relative, format, path, split) = ("test_English.json", .msvamp, "test_English.json", nil)
        } else if text.hasPrefix("index_id") {
            (relative, format, path, split) = ("eng_Latn/dev.tsv", .sib200, "eng_Latn", .dev)
        } else if firstLine.contains("\t") {
            (relative, format, path, split) = ("mgsm_en.tsv", .mgsm, "mgsm_en.tsv", nil)
        } else {
            (relative, format, path, split) = ("en.txt", .text, "en.txt", nil)
        }
        // One folder per format, so each holds exactly the one file of its layout (and nothing is deleted per run).
        let folder = scratch.appendingPathComponent("dataset-\(format)")
        let file = folder.appendingPathComponent(relative)
        if !FileManager.default.fileExists(atPath: file.deletingLastPathComponent().path) {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        try Data(bytes).write(to: file)
        let sets = try Dataset.load(path: folder.appendingPathComponent(path).path, format: format, split: split,
                                    skipBadRows: bytes.count % 2 == 0)
        _ = sets.map(\.texts.count)
    }

    private func write(_ bytes: [UInt8], _ name: String) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}
