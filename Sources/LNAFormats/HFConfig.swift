import Foundation

/// A Hugging Face `config.json`: a thin typed view over the JSON with clear errors naming the file and key.
/// JSON `null` counts as absent for the `optional…` accessors.
///
/// ```swift
/// let config = try HFConfig(contentsOf: dir.appendingPathComponent("config.json"))
/// let layers = try config.int("num_hidden_layers")
/// let theta = try config.optionalDouble("rope_theta") ?? 10_000
/// let factor = try config.optionalNested("rope_scaling")?.double("factor")
/// ```
public struct HFConfig: Sendable {
    /// File path (and key path for nested configs), for messages.
    public let path: String
    /// The JSON object.
    public let object: JSONObject

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FormatError.cannotOpen(file: url.path, reason: "\(error.localizedDescription)")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch let error as JSONParseError {
            throw FormatError.invalidHeader(file: url.path, offset: error.offset, reason: "bad JSON: \(error.reason)")
        }
        try self.init(json: json, path: url.path)
    }

    public init(json: JSONValue, path: String) throws {
        guard case let .object(object) = json else {
            throw FormatError.invalidHeader(file: path, offset: 0, reason: "the top level is \(json.typeName), not an object")
        }
        self.path = path
        self.object = object
    }

    /// Top-level keys in file order.
    public var keys: [String] { object.keys }
    /// The raw JSON value of `key` (for shapes the typed accessors do not cover).
    public subscript(key: String) -> JSONValue? { object[key] }
    /// True when `key` is present and not null.
    public func contains(_ key: String) -> Bool { object[key].map { !$0.isNull } ?? false }

    /// An integer (a float with an integral value is accepted): `try config.int("hidden_size")`.
    /// An integer (a float with an integral value is accepted): `try config.int("hidden_size")`.
    public func int(_ key: String) throws -> Int { try typed(key, "an integer") { $0.intValue } }
    public func double(_ key: String) throws -> Double { try typed(key, "a number") { $0.doubleValue } }
    public func string(_ key: String) throws -> String { try typed(key, "a string") { $0.stringValue } }
    public func bool(_ key: String) throws -> Bool { try typed(key, "a bool") { $0.boolValue } }
    public func intArray(_ key: String) throws -> [Int] { try typed(key, "an array of integers") { Self.all($0, \.intValue) } }
    public func doubleArray(_ key: String) throws -> [Double] { try typed(key, "an array of numbers") { Self.all($0, \.doubleValue) } }
    public func stringArray(_ key: String) throws -> [String] { try typed(key, "an array of strings") { Self.all($0, \.stringValue) } }
    /// A nested object as its own config (messages name `file:key`).
    public func nested(_ key: String) throws -> HFConfig {
        try typed(key, "an object") { value in value.objectValue.map { HFConfig(object: $0, path: "\(path):\(key)") } }
    }

    /// The `optional…` forms return nil when the key is absent or null, and throw on any other wrong type.
    /// The `optional…` forms return nil when the key is absent or null, and throw on any other wrong type.
    public func optionalInt(_ key: String) throws -> Int? { try optional(key, int) }
    public func optionalDouble(_ key: String) throws -> Double? { try optional(key, double) }
    public func optionalString(_ key: String) throws -> String? { try optional(key, string) }
    public func optionalBool(_ key: String) throws -> Bool? { try optional(key, bool) }
    public func optionalIntArray(_ key: String) throws -> [Int]? { try optional(key, intArray) }
    public func optionalDoubleArray(_ key: String) throws -> [Double]? { try optional(key, doubleArray) }
    public func optionalStringArray(_ key: String) throws -> [String]? { try optional(key, stringArray) }
    public func optionalNested(_ key: String) throws -> HFConfig? { try optional(key, nested) }

    private init(object: JSONObject, path: String) {
        self.object = object
        self.path = path
    }

    private func typed<T>(_ key: String, _ expected: String, _ convert: (JSONValue) -> T?) throws -> T {
        guard let value = object[key] else {
            throw FormatError.missingKey(file: path, key: key, nearMatches: nearMatches(for: key, in: object.keys))
        }
        guard let converted = convert(value) else {
            throw FormatError.wrongType(file: path, key: key, expected: expected, found: value.typeName)
        }
        return converted
    }

    private func optional<T>(_ key: String, _ read: (String) throws -> T) throws -> T? {
        contains(key) ? try read(key) : nil
    }

    private static func all<T>(_ value: JSONValue, _ convert: KeyPath<JSONValue, T?>) -> [T]? {
        guard let array = value.arrayValue else { return nil }
        var result: [T] = []
        for element in array {
            guard let converted = element[keyPath: convert] else { return nil }
            result.append(converted)
        }
        return result
    }
}
