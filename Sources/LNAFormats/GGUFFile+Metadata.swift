/// Typed metadata accessors. The throwing forms fail with `missingKey` (with near matches) or `wrongType`;
/// the `optional…` forms return nil when the key is absent but still throw on a wrong type.
///
/// ```swift
/// let arch = try gguf.string("general.architecture")
/// let heads = try gguf.int("\(arch).attention.head_count")
/// let eps = try gguf.float("\(arch).attention.layer_norm_rms_epsilon")
/// let window = try gguf.optionalInt("\(arch).attention.sliding_window")   // nil when absent
/// ```
extension GGUFFile {
    /// The value of `key`; throws `missingKey` when absent.
    public func value(_ key: String) throws -> GGUFValue {
        guard let value = metadata[key] else {
            throw FormatError.missingKey(file: path, key: key, nearMatches: nearMatches(for: key, in: metadataKeys))
        }
        return value
    }

    /// A string value.
    public func string(_ key: String) throws -> String { try typed(key, "string") { $0.stringValue } }
    /// An integer of any width as Int (a u64 above Int.max is a type error).
    public func int(_ key: String) throws -> Int { try typed(key, "an integer") { $0.intValue } }
    /// An f32 or f64 (or an integer) as Double.
    public func float(_ key: String) throws -> Double { try typed(key, "a number") { $0.doubleValue } }
    /// A bool.
    public func bool(_ key: String) throws -> Bool { try typed(key, "bool") { $0.boolValue } }
    /// An array of strings.
    public func stringArray(_ key: String) throws -> [String] {
        try typed(key, "array<string>") { Self.elements($0) { $0.stringValue } }
    }
    /// An array of integers of any width as [Int].
    public func intArray(_ key: String) throws -> [Int] {
        try typed(key, "array of integers") { Self.elements($0) { $0.intValue } }
    }
    /// An array of f32/f64 (or integers) as [Double].
    public func floatArray(_ key: String) throws -> [Double] {
        try typed(key, "array of numbers") { Self.elements($0) { $0.doubleValue } }
    }

    /// `string(key)`, or nil when the key is absent (a value of another type still throws).
    public func optionalString(_ key: String) throws -> String? { try optional(key, string) }
    /// `int(key)`, or nil when absent: `try gguf.optionalInt("gemma3.attention.sliding_window") ?? 0`.
    public func optionalInt(_ key: String) throws -> Int? { try optional(key, int) }
    /// `float(key)`, or nil when absent.
    public func optionalFloat(_ key: String) throws -> Double? { try optional(key, float) }
    /// `bool(key)`, or nil when absent.
    public func optionalBool(_ key: String) throws -> Bool? { try optional(key, bool) }
    /// `stringArray(key)`, or nil when absent: `try gguf.optionalStringArray("tokenizer.ggml.merges") ?? []`.
    public func optionalStringArray(_ key: String) throws -> [String]? { try optional(key, stringArray) }
    /// `intArray(key)`, or nil when absent.
    public func optionalIntArray(_ key: String) throws -> [Int]? { try optional(key, intArray) }
    /// `floatArray(key)`, or nil when absent.
    public func optionalFloatArray(_ key: String) throws -> [Double]? { try optional(key, floatArray) }

    private func typed<T>(_ key: String, _ expected: String, _ convert: (GGUFValue) -> T?) throws -> T {
        let value = try value(key)
        guard let converted = convert(value) else {
            throw FormatError.wrongType(file: path, key: key, expected: expected, found: value.typeDescription)
        }
        return converted
    }

    private func optional<T>(_ key: String, _ read: (String) throws -> T) throws -> T? {
        metadata[key] == nil ? nil : try read(key)
    }

    private static func elements<T>(_ value: GGUFValue, _ convert: (GGUFValue) -> T?) -> [T]? {
        guard case let .array(_, values) = value else { return nil }
        var result: [T] = []
        result.reserveCapacity(values.count)
        for element in values {
            guard let converted = convert(element) else { return nil }
            result.append(converted)
        }
        return result
    }
}
