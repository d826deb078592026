/// What can go wrong building a tokenizer. Every message is one line naming the source, the key or offset, and
/// what was expected.
///
/// ```swift
/// do { _ = try Tokenizer(vocabulary: vocabulary) } catch let error as TokenizerError { print(error) }
/// ```
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// A field is missing or has the wrong shape.
    case invalidVocabulary(source: String, key: String, expected: String)
    /// `tokenizer.ggml.model` (or the tokenizer.json model type) is not one this module implements.
    case unsupportedModel(source: String, name: String, supported: [String])
    /// `tokenizer.ggml.pre` names a pre-tokenizer this module does not implement.
    case unsupportedPreTokenizer(source: String, name: String, supported: [String])
    /// A tokenizer.json component (normalizer, pre-tokenizer, decoder, post-processor…) that is not implemented.
    case unsupportedComponent(source: String, path: String, type: String, supported: [String])
    /// A tokenizer.json document that is not valid JSON or lacks a required field.
    case invalidJSON(source: String, path: String, expected: String)

    public var description: String {
        switch self {
        case let .invalidVocabulary(source, key, expected):
            return "\(source): tokenizer key \(key): expected \(expected)"
        case let .unsupportedModel(source, name, supported):
            return "\(source): tokenizer model '\(name)' is not supported (supported: \(supported.joined(separator: ", ")))"
        case let .unsupportedPreTokenizer(source, name, supported):
            return "\(source): pre-tokenizer '\(name)' is not supported (supported: \(supported.joined(separator: ", ")))"
        case let .unsupportedComponent(source, path, type, supported):
            return "\(source): \(path) has type '\(type)', which is not supported "
                + "(supported: \(supported.joined(separator: ", ")))"
        case let .invalidJSON(source, path, expected):
            return "\(source): \(path): expected \(expected)"
        }
    }
}
