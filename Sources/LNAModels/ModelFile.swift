import Foundation
import LNAFormats

/// An opened model file or directory: its architecture, validated configuration and a loader for its weights.
///
/// Opening reads only metadata: the configuration is decoded strictly (`TransformersConfig`,
/// `GGUFMetadataReader`), validated with bounded, checked arithmetic, and compared with the tensor table
/// (every expected tensor present with its shape, no tensor left unread) before anything is sized by it.
struct ModelFile {
    let config: ModelConfig
    let loader: WeightLoader
    let tensorTypes: [String: Int]
    let format: WeightLoader.Format
    /// The GGUF file when the model came from one (its metadata carries the tokenizer).
    let gguf: GGUFFile?
    /// The file or directory opened.
    let directory: URL
    /// Tensors deliberately left unread, by group (a multimodal checkpoint's vision tower and projector).
    var ignoredTensors: [String: Int] = [:]

    static func open(_ url: URL) throws -> ModelFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ModelError.unknownModel(url.path, known: ModelLocator.known.map(\.name))
        }
        let file = isDirectory.boolValue ? try openHuggingFace(url) : try openGGUF(url)
        try file.loader.verifyTensors()
        return file
    }

    static func openGGUF(_ url: URL) throws -> ModelFile {
        let file = try GGUFFile(contentsOf: url)
        guard let archName = file.metadata["general.architecture"]?.stringValue else {
            throw ModelError.configValue(file: url.path, key: "general.architecture",
                                         value: file.metadata["general.architecture"]?.description ?? "absent",
                                         expected: "a string naming the architecture")
        }
        let arch = try Architecture.ggufNamed(archName, source: url.path)
        let embeddingName = arch.ggufName(.tokenEmbedding, nil)
        guard let embedding = file.descriptor(embeddingName) else {
            throw ModelError.missingTensor(embeddingName, source: url.path)
        }
        guard embedding.shape.count == 2, ConfigLimits.vocabulary.contains(embedding.shape[0]) else {
            throw ModelError.tensorShape(embeddingName, source: url.path, expected: [-1, -1], got: embedding.shape)
        }
        let facts = GGUFShapeFacts(vocabularySize: embedding.shape[0],
                                   hasOutputWeight: file.descriptor(arch.ggufName(.output, nil)) != nil,
                                   tensorNames: Set(file.tensorNames))
        let metadata = GGUFMetadataReader(file: file, source: url.path, prefix: archName + ".")
        let config = try arch.configFromGGUF(metadata, facts)
        try metadata.rejectUnread()
        try config.validate(source: url.path)
        let loader = WeightLoader(source: file, sourceName: url.path, format: .gguf, architecture: arch, config: config)
        return ModelFile(config: config, loader: loader, tensorTypes: typeCounts(file), format: .gguf, gguf: file, directory: url)
    }

    static func openHuggingFace(_ directory: URL) throws -> ModelFile {
        let configURL = directory.appendingPathComponent("config.json")
        let transformers = try TransformersConfig(contentsOf: configURL)
        let arch = try Architecture.named(transformers.modelType, source: configURL.path)
        let config = try arch.configFromHF(transformers, configURL.path)
        try config.validate(source: configURL.path)
        let source = try ShardedSafeTensors(directory: directory)
        var layout = try HFTensorLayout.detect(in: source, multimodal: transformers.multimodalWrapper != nil,
                                               source: directory.path)
            .omittingPrefixIfAbsent(embedding: arch.hfName(.tokenEmbedding, nil), in: source)
        // Some tied checkpoints still ship lm_head.weight: transformers ties it to the embedding after loading,
        // so the file's copy is never used; lna ignores it by name as well.
        if config.tiedEmbeddings && source.descriptor(layout.name(arch.hfName(.output, nil))) != nil {
            layout.ignoredNames.insert(layout.name(arch.hfName(.output, nil)))
        }
        let loader = WeightLoader(source: source, sourceName: directory.path, format: .huggingFace,
                                  architecture: arch, config: config, layout: layout)
        return ModelFile(config: config, loader: loader, tensorTypes: typeCounts(source), format: .huggingFace,
                         gguf: nil, directory: directory, ignoredTensors: layout.ignoredGroups(in: source))
    }

    static func typeCounts(_ source: TensorSource) -> [String: Int] {
        var counts: [String: Int] = [:]
        for name in source.tensorNames { if let d = source.descriptor(name) { counts[d.typeName, default: 0] += 1 } }
        return counts
    }
}
