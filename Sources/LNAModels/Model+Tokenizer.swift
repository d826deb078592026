import Foundation
import LNAFormats
import LNATokenizers

/// The tokenizer of a MODEL argument, loaded without the weights.
public enum ModelTokenizer {
    /// ```swift
    /// let tok = try ModelTokenizer.load("gemma3-270m")
    /// ```
    public static func load(_ argument: String) throws -> Tokenizer {
        try load(file: ModelFile.open(ModelLocator.resolve(argument)))
    }

    static func load(file: ModelFile) throws -> Tokenizer {
        if let gguf = file.gguf { return try Tokenizer.fromGGUF(gguf) }
        return try Tokenizer.fromHuggingFace(directory: file.directory)
    }
}

extension Tokenizer {
    /// A short human description: algorithm, pre-tokenizer, vocabulary size, BOS policy.
    public var kindDescription: String {
        let v = vocabulary
        return "\(v.model.rawValue) (\(v.model == .llama ? "SentencePiece-style BPE with scores" : "byte-level BPE"), pre \(v.preTokenizer), \(vocabularySize) tokens, \(addsBOS ? "adds BOS \(bosID ?? -1)" : "no BOS"))"
    }
    static func fromGGUF(_ gguf: GGUFFile) throws -> Tokenizer { try Tokenizer(gguf: gguf) }
    static func fromHuggingFace(directory: URL) throws -> Tokenizer {
        throw ModelError.invalidConfig(directory.path, "tokenizer.json loading is not built yet")
    }
}

extension Tokenizer {
    /// TEMPORARY until the tokenizer.json exporter lands.
    func huggingFaceJSON() throws -> String { "{}" }
}
