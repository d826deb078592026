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
        return "\(v.model.rawValue) (\(Self.algorithmName(v.model)), pre \(v.preTokenizer), \(vocabularySize) tokens, \(addsBOS ? "adds BOS \(bosID ?? -1)" : "no BOS"))"
    }

    /// What each vocabulary model is, in words (`lna inspect` prints it).
    static func algorithmName(_ model: TokenizerVocabulary.Model) -> String {
        switch model {
        case .llama: "SentencePiece-style BPE with scores"
        case .gpt2: "byte-level BPE"
        case .bpeByteFallback: "BPE over UTF-8 with byte fallback"
        case .unigram: "SentencePiece Unigram"
        }
    }
    static func fromGGUF(_ gguf: GGUFFile) throws -> Tokenizer { try Tokenizer(gguf: gguf) }
    static func fromHuggingFace(directory: URL) throws -> Tokenizer {
        let url = directory.appendingPathComponent("tokenizer.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ModelError.missingMetadata("tokenizer.json", source: directory.path)
        }
        return try Tokenizer(huggingFaceJSON: data, source: url.path)
    }
}
