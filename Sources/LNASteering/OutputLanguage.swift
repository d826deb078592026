import Foundation
import LNALangID

/// The language of a generated output, as the steering metric counts it: newlines become spaces, and an
/// empty or undecidable output is `unknown` (as `vis_forcing.py` does with fastText).
///
/// ```swift
/// let classify = try OutputLanguage.builtin()
/// classify("  Je suis content.\n")   // "fr"
/// classify("")                        // "unknown"
/// ```
public struct OutputLanguage: Sendable {
    public let identifier: LanguageIdentifier

    public init(identifier: LanguageIdentifier) { self.identifier = identifier }

    /// The built-in identifier (the 205 languages of SIB-200, shipped in the binary).
    public static func builtin() throws -> OutputLanguage {
        do { return OutputLanguage(identifier: try LanguageIdentifier.builtin()) } catch {
            throw SteeringError.io("cannot train the built-in language identifier: \(error)")
        }
    }

    /// The language code of `text`, or `unknown`.
    public func callAsFunction(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        guard !flat.isEmpty else { return LanguageIdentifier.unknown }
        return identifier.predict(flat).language
    }
}
