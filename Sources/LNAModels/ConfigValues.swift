/// Read access to the key/value configuration of a model file: GGUF metadata or a Hugging Face `config.json`.
///
/// Architecture files read their sizes and flags through this, so one decoder serves both formats.
protocol ConfigValues {
    /// The file the values come from, for error messages.
    var sourceName: String { get }
    func optionalInt(_ key: String) -> Int?
    func optionalDouble(_ key: String) -> Double?
    func optionalString(_ key: String) -> String?
    func optionalBool(_ key: String) -> Bool?
    func optionalStringArray(_ key: String) -> [String]?
    /// Whether the key is there at all, JSON `null` included (`final_logit_softcapping: null` turns it off).
    func isPresent(_ key: String) -> Bool
}

extension ConfigValues {
    func int(_ key: String) throws -> Int {
        guard let value = optionalInt(key) else { throw ModelError.missingMetadata(key, source: sourceName) }
        return value
    }

    func double(_ key: String) throws -> Double {
        guard let value = optionalDouble(key) else { throw ModelError.missingMetadata(key, source: sourceName) }
        return value
    }

    /// A number that is on by default: transformers' `fallback` when the key is absent, nil when it is null.
    func optionalDouble(_ key: String, absentMeans fallback: Double?) -> Double? {
        isPresent(key) ? optionalDouble(key) : fallback
    }

    func string(_ key: String) throws -> String {
        guard let value = optionalString(key) else { throw ModelError.missingMetadata(key, source: sourceName) }
        return value
    }
}
