import Foundation

/// `ConfigValues` over a Hugging Face `config.json`. Dotted keys reach into nested objects
/// (`rope_scaling.factor`); multimodal Gemma 3 configs are read from their `text_config`.
struct JSONConfigValues: ConfigValues {
    let sourceName: String
    let root: [String: Any]

    init(url: URL) throws {
        sourceName = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.invalidConfig(url.path, "cannot read: \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelError.invalidConfig(url.path, "not a JSON object")
        }
        if let text = object["text_config"] as? [String: Any] {
            root = object.merging(text) { _, inner in inner }
        } else {
            root = object
        }
    }

    func value(_ key: String) -> Any? {
        var current: Any? = root
        for part in key.split(separator: ".") {
            current = (current as? [String: Any])?[String(part)]
        }
        return current is NSNull ? nil : current
    }

    func optionalInt(_ key: String) -> Int? {
        if let i = value(key) as? Int { return i }
        guard let d = optionalDouble(key) else { return nil }
        return Int(exactly: d)
    }

    func optionalDouble(_ key: String) -> Double? {
        let v = value(key)
        if v is Bool || v is String { return nil }
        if let d = v as? Double { return d }
        if let i = v as? Int { return Double(i) }
        return (v as? NSNumber)?.doubleValue
    }
    func optionalString(_ key: String) -> String? { value(key) as? String }
    func optionalBool(_ key: String) -> Bool? {
        if let b = value(key) as? Bool { return b }
        return nil
    }
}
