import Foundation
import LNAData
import LNAFiles

extension LanguageIdentifier {
    /// The JSON document of a saved model.
    struct Document: Codable {
        var format: String
        var version: Int
        var options: Options
        var profiles: [Profile]
    }

    static let formatName = "lna-langid"
    static let formatVersion = 2

    /// The model as JSON (sorted keys, so the same model always gives the same bytes).
    public func jsonData() throws(LanguageIDError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(Document(format: Self.formatName, version: Self.formatVersion, options: options,
                                               profiles: profiles))
        } catch { throw .write("cannot encode the model: \(error)") }
    }

    /// Saves the model as JSON, atomically (a temporary file renamed over `url`).
    ///
    /// ```swift
    /// try identifier.save(to: URL(fileURLWithPath: "/tmp/langid.json"))
    /// let again = try LanguageIdentifier.load(from: URL(fileURLWithPath: "/tmp/langid.json"))
    /// ```
    public func save(to url: URL) throws(LanguageIDError) {
        let data = try jsonData()
        do throws(FileWriteError) { try AtomicFile.write(data, to: url) } catch { throw .write("\(error)") }
    }

    /// Loads a model written by `save(to:)`.
    public static func load(from url: URL) throws(LanguageIDError) -> LanguageIdentifier {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .badModel(path: url.path, reason: "no such file or not readable")
        }
        return try decode(data, path: url.path)
    }

    /// A model from the bytes of a saved file; `path` names it in errors.
    static func decode(_ data: Data, path: String) throws(LanguageIDError) -> LanguageIdentifier {
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: data) } catch {
            throw .badModel(path: path, reason: "\(error)".replacingOccurrences(of: "\n", with: " "))
        }
        guard document.format == formatName, document.version == formatVersion else {
            throw .badModel(path: path, reason: "format \(document.format) v\(document.version), expected \(formatName) v\(formatVersion) (retrain with `lna langid train`)")
        }
        return try LanguageIdentifier(profiles: document.profiles, options: document.options)
    }
}
