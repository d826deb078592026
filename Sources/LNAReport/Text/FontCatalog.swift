import Foundation

/// Where LNAReport looks for font files, in order of preference. The first face that has a glyph for a character
/// draws it, so the order decides the look: Noto Sans for Latin/Cyrillic/Greek, then DejaVu, the per-script Noto
/// faces, and WenQuanYi Micro Hei (or Noto CJK when installed, or Droid Sans Fallback) for Chinese, Japanese and Korean.
///
/// ```swift
/// let catalog = FontCatalog.standard()   // honours LNA_FONTS=/path/a.ttf:/path/b.otf (tried first)
/// ```
public struct FontCatalog: Sendable, Equatable {
    /// Regular faces, most preferred first. Missing files are skipped at load time.
    public var regular: [String]
    /// Bold faces; characters they lack fall back to `regular`.
    public var bold: [String]
    /// Folders scanned (lazily, only for characters no listed face has) for further `*-Regular.ttf` faces.
    public var fallbackFolders: [String]

    /// `FontCatalog(regular: ["/path/Font.ttf"])`: only the listed files, no fallback scan.
    public init(regular: [String], bold: [String] = [], fallbackFolders: [String] = []) {
        self.regular = regular; self.bold = bold; self.fallbackFolders = fallbackFolders
    }

    /// The Debian font locations used by `scripts/setup.sh` (fonts-noto-core, fonts-dejavu-core,
    /// fonts-wqy-microhei; fonts-noto-cjk is used when present), plus `LNA_FONTS` entries first.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> FontCatalog {
        let noto = "/usr/share/fonts/truetype/noto/"
        let dejavu = "/usr/share/fonts/truetype/dejavu/"
        let scripts = ["Arabic", "Hebrew", "Devanagari", "Bengali", "Thai", "Telugu", "Tamil", "Gujarati", "Gurmukhi",
                       "Kannada", "Malayalam", "Oriya", "Sinhala", "Myanmar", "Khmer", "Lao", "Georgian", "Armenian",
                       "Ethiopic", "Tibetan", "Syriac", "Thaana"]
        let cjk = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                   "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"]
        let user = (environment["LNA_FONTS"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        let regular = user + [noto + "NotoSans-Regular.ttf", dejavu + "DejaVuSans.ttf"]
            + scripts.map { noto + "NotoSans\($0)-Regular.ttf" } + cjk
            + [noto + "NotoSansSymbols-Regular.ttf", noto + "NotoSansSymbols2-Regular.ttf", noto + "NotoSansMath-Regular.ttf"]
        let bold = user + [noto + "NotoSans-Bold.ttf", dejavu + "DejaVuSans-Bold.ttf"]
            + scripts.map { noto + "NotoSans\($0)-Bold.ttf" }
        return FontCatalog(regular: regular, bold: bold, fallbackFolders: [noto])
    }

    /// A catalog with no fonts: text is drawn with the built-in ASCII bitmap font (tests use this).
    public static let builtinOnly = FontCatalog(regular: [], bold: [], fallbackFolders: [])

    /// The CSS `font-family` list written into SVG so a browser picks the same kind of faces.
    public static let cssFontFamily =
        "'Noto Sans', 'DejaVu Sans', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Droid Sans Fallback', 'Noto Sans Bengali', "
        + "'Noto Sans Devanagari', 'Noto Sans Thai', 'Noto Sans Arabic', 'Segoe UI', Arial, sans-serif"
}
