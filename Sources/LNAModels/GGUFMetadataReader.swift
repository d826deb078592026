import LNAFormats

/// Strict reads of a GGUF file's model metadata, mirroring `ConfigKeyReader` for config.json: typed, bounded,
/// one-line errors naming the file, key and value, and at the end every `<arch>.*` key must have been read
/// or be known not to change the forward (`rejectUnread`).
///
/// ```swift
/// let keys = GGUFMetadataReader(file: gguf, source: path, prefix: "llama.")
/// let layers = try keys.int("block_count", in: ConfigLimits.layers)
/// ```
final class GGUFMetadataReader {
    let file: GGUFFile
    let source: String
    /// `<general.architecture>.`
    let prefix: String
    private(set) var read: Set<String> = []

    init(file: GGUFFile, source: String, prefix: String) {
        self.file = file
        self.source = source
        self.prefix = prefix
    }

    func value(_ key: String) -> GGUFValue? {
        read.insert(prefix + key)
        return file.metadata[prefix + key]
    }

    func fail(_ key: String, _ value: GGUFValue?, _ expected: String) -> ModelError {
        let shown = value.map { text in
            let s = text.description
            return s.count > 60 ? String(s.prefix(57)) + "…" : s
        } ?? "absent"
        return ModelError.configValue(file: source, key: prefix + key, value: shown, expected: expected)
    }

    /// An integer within `range`; `fallback` when absent (llama.cpp's own default for the key), else an error.
    func int(_ key: String, in range: ClosedRange<Int>, default fallback: Int? = nil) throws -> Int {
        guard let value = value(key) else {
            if let fallback { return fallback }
            throw fail(key, nil, "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        guard let int = value.intValue, range.contains(int) else {
            throw fail(key, value, "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return int
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        file.metadata[prefix + key] == nil ? { _ = value(key); return nil }() : try int(key, in: range)
    }

    func double(_ key: String, in range: ClosedRange<Double>, default fallback: Double? = nil) throws -> Double {
        guard let value = value(key) else {
            if let fallback { return fallback }
            throw fail(key, nil, "a number in \(range.lowerBound)...\(range.upperBound)")
        }
        guard let double = value.doubleValue, double.isFinite, range.contains(double) else {
            throw fail(key, value, "a finite number in \(range.lowerBound)...\(range.upperBound)")
        }
        return double
    }

    func optionalDouble(_ key: String, in range: ClosedRange<Double> = -1e300...1e300) throws -> Double? {
        file.metadata[prefix + key] == nil ? { _ = value(key); return nil }() : try double(key, in: range)
    }

    /// A boolean; `fallback` when absent (llama.cpp's own default for the key).
    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = value(key) else { return fallback }
        guard case let .bool(flag) = value else { throw fail(key, value, "true or false") }
        return flag
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.stringValue else { throw fail(key, value, "a string") }
        return string
    }

    /// Marks `<arch>.<key>` as read without using it (a value known not to change the forward).
    func accept(_ keys: [String]) { for key in keys { read.insert(prefix + key) } }

    /// Throws for the first model key nobody read. `general.*` (provenance), `tokenizer.*` (read by the
    /// tokenizer), `quantize.*` (imatrix provenance) and `split.*` absent-or-single are not model keys.
    func rejectUnread() throws {
        for key in file.metadata.keys.sorted() where !read.contains(key) {
            if key.hasPrefix("general.") || key.hasPrefix("tokenizer.") || key.hasPrefix("quantize.") { continue }
            if key == "split.count", file.metadata[key]?.intValue == 1 { continue }
            if key == "split.no" || key == "split.tensors.count" { continue }
            throw ModelError.configValue(
                file: source, key: key, value: file.metadata[key].map { String($0.description.prefix(60)) } ?? "",
                expected: "a metadata key lna understands for \(prefix.dropLast()) (it may change the forward, so lna refuses to guess)")
        }
    }
}
