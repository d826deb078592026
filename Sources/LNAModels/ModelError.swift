/// Errors of model loading, configuration and running. Each message is one line that names the file or
/// key at fault and what was expected.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case unknownModel(String, known: [String])
    case unsupportedArchitecture(String, source: String, supported: [String])
    case missingTensor(String, source: String)
    case unexpectedTensors([String], source: String)
    case tensorShape(String, source: String, expected: [Int], got: [Int])
    case invalidConfig(String, String)
    case missingMetadata(String, source: String)
    /// A configuration value (config.json key or GGUF metadata key) that is missing, malformed, out of
    /// bounds, or asks for something lna does not run.
    case configValue(file: String, key: String, value: String, expected: String)
    case tokenOutOfRange(Int, vocabularySize: Int)
    case emptyInput(String)
    case contextOverflow(needed: Int, capacity: Int)

    public var description: String {
        switch self {
        case let .unknownModel(name, known):
            return "no model '\(name)': give a .gguf file, a Hugging Face directory, or one of \(known.joined(separator: ", ")) (fetch with `lna models fetch`)"
        case let .unsupportedArchitecture(arch, source, supported):
            return "\(source): architecture '\(arch)' is not supported (supported: \(supported.joined(separator: ", ")))"
        case let .missingTensor(name, source):
            return "\(source): tensor '\(name)' is missing"
        case let .unexpectedTensors(names, source):
            let shown = names.prefix(5).joined(separator: ", ")
            return "\(source): \(names.count) unexpected tensor(s) not used by the architecture: \(shown)\(names.count > 5 ? ", …" : "")"
        case let .tensorShape(name, source, expected, got):
            return "\(source): tensor '\(name)' has shape \(got), expected \(expected)"
        case let .invalidConfig(source, what):
            return "\(source): invalid model configuration: \(what)"
        case let .configValue(file, key, value, expected):
            return "\(file): \(key) = \(value): expected \(expected)"
        case let .missingMetadata(key, source):
            return "\(source): metadata key '\(key)' is missing"
        case let .tokenOutOfRange(id, size):
            return "token id \(id) is outside the vocabulary 0..<\(size)"
        case let .emptyInput(what):
            return "empty input: \(what)"
        case let .contextOverflow(needed, capacity):
            return "sequence of \(needed) tokens exceeds the KV cache capacity \(capacity); raise --max-len or shorten the text"
        }
    }
}
