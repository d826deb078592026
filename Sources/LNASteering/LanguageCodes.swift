import LNAData

/// Turns any language name the data table knows (`zh`, `zho_Hans`, `Chinese`) into its ISO 639-1 code.
///
/// ```swift
/// LanguageCodes.code("French")   // "fr"
/// ```
public enum LanguageCodes {
    /// The code, or nil when the table does not know the name.
    public static func code(_ name: String) -> String? {
        try? Language.resolve(name).code
    }
}
