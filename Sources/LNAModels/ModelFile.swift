import Foundation
import LNAFormats

/// An opened model file or directory: its architecture, configuration and a loader for its weights.
struct ModelFile {
    let config: ModelConfig
    let loader: WeightLoader
    let tensorTypes: [String: Int]
    let format: WeightLoader.Format
    /// The GGUF file when the model came from one (its metadata carries the tokenizer).
    let gguf: GGUFFile?
    /// The file or directory opened.
    let directory: URL

    static func open(_ url: URL) throws -> ModelFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ModelError.unknownModel(url.path, known: ModelLocator.known.map(\.name))
        }
        return isDirectory.boolValue ? try openHuggingFace(url) : try openGGUF(url)
    }

    static func openGGUF(_ url: URL) throws -> ModelFile {
        let file = try GGUFFile(contentsOf: url)
        let values = GGUFConfigValues(file: file, sourceName: url.path)
        let archName = try values.string("general.architecture")
        let arch = try Architecture.named(archName, source: url.path)
        guard let embedding = file.descriptor(arch.ggufName(.tokenEmbedding, nil)) else {
            throw ModelError.missingTensor(arch.ggufName(.tokenEmbedding, nil), source: url.path)
        }
        let facts = GGUFShapeFacts(vocabularySize: embedding.shape[0],
                                   hasOutputWeight: file.descriptor(arch.ggufName(.output, nil)) != nil,
                                   tensorNames: Set(file.tensorNames))
        let config = try arch.configFromGGUF(values, facts)
        try config.validate(source: url.path)
        let loader = WeightLoader(source: file, sourceName: url.path, format: .gguf, architecture: arch, config: config)
        return ModelFile(config: config, loader: loader, tensorTypes: typeCounts(file), format: .gguf, gguf: file, directory: url)
    }

    static func openHuggingFace(_ directory: URL) throws -> ModelFile {
        let values = try JSONConfigValues(url: directory.appendingPathComponent("config.json"))
        let modelType = try values.string("model_type")
        let arch = try Architecture.named(modelType, source: values.sourceName)
        let config = try arch.configFromHF(values)
        try config.validate(source: values.sourceName)
        let source = try ShardedSafeTensors(directory: directory)
        var loader = WeightLoader(source: source, sourceName: directory.path, format: .huggingFace,
                                  architecture: arch, config: config)
        // The language model of a multimodal checkpoint (Gemma 3 4B–27B): its tensors carry a prefix and the
        // vision tower's are left alone.
        if let multimodal = arch.multimodal, source.descriptor(multimodal.prefix + arch.hfName(.tokenEmbedding, nil)) != nil {
            loader.hfPrefix = multimodal.prefix
            loader.ignoredPrefixes = multimodal.otherParts
        }
        // Some tied checkpoints still ship lm_head.weight; use it only when it is there and not tied.
        if config.tiedEmbeddings && source.descriptor(loader.fileName(.output, layer: nil)) != nil {
            var untied = config
            untied.tiedEmbeddings = false
            loader = WeightLoader(source: source, sourceName: directory.path, format: .huggingFace,
                                  architecture: arch, config: untied, hfPrefix: loader.hfPrefix,
                                  ignoredPrefixes: loader.ignoredPrefixes)
            return ModelFile(config: untied, loader: loader, tensorTypes: typeCounts(source), format: .huggingFace,
                             gguf: nil, directory: directory)
        }
        return ModelFile(config: config, loader: loader, tensorTypes: typeCounts(source), format: .huggingFace,
                         gguf: nil, directory: directory)
    }

    static func typeCounts(_ source: TensorSource) -> [String: Int] {
        var counts: [String: Int] = [:]
        for name in source.tensorNames { if let d = source.descriptor(name) { counts[d.typeName, default: 0] += 1 } }
        return counts
    }
}

/// `ConfigValues` over GGUF metadata.
struct GGUFConfigValues: ConfigValues {
    let file: GGUFFile
    let sourceName: String

    func optionalInt(_ key: String) -> Int? { try? file.int(key) }
    func optionalDouble(_ key: String) -> Double? { try? file.float(key) }
    func optionalString(_ key: String) -> String? { try? file.string(key) }
    func optionalBool(_ key: String) -> Bool? { try? file.bool(key) }
    func optionalStringArray(_ key: String) -> [String]? { try? file.stringArray(key) }
    func isPresent(_ key: String) -> Bool { (try? file.value(key)) != nil }
}
