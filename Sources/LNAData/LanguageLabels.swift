/// How languages appear in every figure and table: one label per language (the code and the native name,
/// "zh 中文", so every script appears) and one order (the run's language list), so the masks' NJUNLP order, a
/// perplexity grid's order and a steering grid's order all line up.
///
/// ```swift
/// LanguageLabels.label("bn")                                              // "bn বাংলা"
/// LanguageLabels.ordered(["ru", "en", "xx", "zh"], like: ["en", "zh", "ru"])   // ["en", "zh", "ru", "xx"]
/// LanguageLabels.list("en,zh, ru")                                        // ["en", "zh", "ru"]
/// ```
public enum LanguageLabels {
    public static func label(_ code: String) -> String {
        guard let language = try? Language.resolve(code) else { return code }
        return language.nativeName == language.code ? code : "\(code) \(language.nativeName)"
    }

    public static func labels(_ codes: [String]) -> [String] { codes.map(label) }

    /// `codes` in the order of `reference` (codes it does not list keep their own order, after the listed ones);
    /// nil or an empty reference keeps `codes` as they are.
    public static func ordered(_ codes: [String], like reference: [String]?) -> [String] {
        permutation(codes, like: reference).map { codes[$0] }
    }

    /// Indices into `codes` that put them in the order of `reference` (see `ordered`).
    public static func permutation(_ codes: [String], like reference: [String]?) -> [Int] {
        guard let reference, !reference.isEmpty else { return Array(codes.indices) }
        let rank = Dictionary(reference.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return codes.indices.sorted { a, b in
            let ra = rank[codes[a]] ?? reference.count + a, rb = rank[codes[b]] ?? reference.count + b
            return ra != rb ? ra < rb : a < b
        }
    }

    /// A language list as written in run.json or on a command line: "en,zh,ru" (commas and/or spaces).
    public static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }
}
