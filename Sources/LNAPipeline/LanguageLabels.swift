import LNAData

/// Axis labels for languages: the code and the native name ("zh 中文"), so every script appears in figures.
///
/// ```swift
/// LanguageLabels.label("bn")   // "bn বাংলা"
/// ```
public enum LanguageLabels {
    public static func label(_ code: String) -> String {
        guard let language = try? Language.resolve(code) else { return code }
        return language.nativeName == language.code ? code : "\(code) \(language.nativeName)"
    }

    public static func labels(_ codes: [String]) -> [String] { codes.map(label) }
}
