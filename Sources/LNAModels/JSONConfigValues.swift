import Foundation
import LNAFormats

/// `ConfigValues` over a Hugging Face `config.json`, read with LNAFormats' `HFConfig`. Dotted keys reach into
/// nested objects (`rope_scaling.factor`); multimodal Gemma 3 configs are read from their `text_config` first.
struct JSONConfigValues: ConfigValues {
    let sourceName: String
    /// Where keys are looked up, in order: `text_config` (when present), then the top level.
    private let scopes: [HFConfig]

    init(url: URL) throws {
        let root = try HFConfig(contentsOf: url)
        sourceName = url.path
        scopes = (try? root.optionalNested("text_config")).flatMap { $0 }.map { [$0, root] } ?? [root]
    }

    /// The first scope where the dotted key exists with the right type; nil otherwise.
    private func lookup<T>(_ key: String, _ read: (HFConfig, String) throws -> T?) -> T? {
        let parts = key.split(separator: ".").map(String.init)
        guard let last = parts.last else { return nil }
        for scope in scopes {
            var config: HFConfig? = scope
            for part in parts.dropLast() { config = config.flatMap { try? $0.optionalNested(part) } ?? nil }
            if let config, let value = try? read(config, last) { return value }
        }
        return nil
    }

    func optionalInt(_ key: String) -> Int? { lookup(key) { try $0.optionalInt($1) } }
    func optionalDouble(_ key: String) -> Double? { lookup(key) { try $0.optionalDouble($1) } }
    func optionalString(_ key: String) -> String? { lookup(key) { try $0.optionalString($1) } }
    func optionalBool(_ key: String) -> Bool? { lookup(key) { try $0.optionalBool($1) } }
    func optionalStringArray(_ key: String) -> [String]? { lookup(key) { try $0.optionalStringArray($1) } }
    func isPresent(_ key: String) -> Bool { scopes.contains { $0[key] != nil } }
}
