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
    /// Faces made for a script (ISO 15924 tag → regular faces), tried before `regular` for a run in that script:
    /// DejaVu Sans has Arabic letters, but Noto Sans Arabic is the face drawn for Arabic.
    public var scriptFaces: [String: [String]]
    /// Bold faces per script, tried before `scriptFaces` for bold text.
    public var boldScriptFaces: [String: [String]]

    /// `FontCatalog(regular: ["/path/Font.ttf"])`: only the listed files, no fallback scan.
    public init(regular: [String], bold: [String] = [], fallbackFolders: [String] = [],
                scriptFaces: [String: [String]] = [:], boldScriptFaces: [String: [String]] = [:]) {
        self.regular = regular; self.bold = bold; self.fallbackFolders = fallbackFolders
        self.scriptFaces = scriptFaces; self.boldScriptFaces = boldScriptFaces
    }

    /// ISO 15924 script tags and the fonts-noto-core family names that cover them.
    static let notoScripts: [(tag: String, family: String)] = [
        ("Arab", "Arabic"), ("Hebr", "Hebrew"), ("Deva", "Devanagari"), ("Beng", "Bengali"), ("Thai", "Thai"),
        ("Telu", "Telugu"), ("Taml", "Tamil"), ("Gujr", "Gujarati"), ("Guru", "Gurmukhi"), ("Knda", "Kannada"),
        ("Mlym", "Malayalam"), ("Orya", "Oriya"), ("Sinh", "Sinhala"), ("Mymr", "Myanmar"), ("Khmr", "Khmer"),
        ("Laoo", "Lao"), ("Geor", "Georgian"), ("Armn", "Armenian"), ("Ethi", "Ethiopic"), ("Tibt", "Tibetan"),
        ("Syrc", "Syriac"), ("Thaa", "Thaana"),
    ]

    /// The Debian font locations used by `scripts/setup.sh` (fonts-noto-core, fonts-dejavu-core,
    /// fonts-wqy-microhei; fonts-noto-cjk is used when present), plus `LNA_FONTS` entries first.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> FontCatalog {
        let noto = "/usr/share/fonts/truetype/noto/"
        let dejavu = "/usr/share/fonts/truetype/dejavu/"
        let scripts = notoScripts.map(\.family)
        let cjk = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                   "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"]
        let user = (environment["LNA_FONTS"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        let regular = user + [noto + "NotoSans-Regular.ttf", dejavu + "DejaVuSans.ttf"]
            + scripts.map { noto + "NotoSans\($0)-Regular.ttf" } + cjk
            + [noto + "NotoSansSymbols-Regular.ttf", noto + "NotoSansSymbols2-Regular.ttf", noto + "NotoSansMath-Regular.ttf"]
        let bold = user + [noto + "NotoSans-Bold.ttf", dejavu + "DejaVuSans-Bold.ttf"]
            + scripts.map { noto + "NotoSans\($0)-Bold.ttf" }
        var scriptFaces = Dictionary(uniqueKeysWithValues: notoScripts.map { ($0.tag, [noto + "NotoSans\($0.family)-Regular.ttf"]) })
        scriptFaces["Hani"] = cjk; scriptFaces["Hang"] = cjk
        let boldScriptFaces = Dictionary(uniqueKeysWithValues: notoScripts.map { ($0.tag, [noto + "NotoSans\($0.family)-Bold.ttf"]) })
        return FontCatalog(regular: regular, bold: bold, fallbackFolders: [noto], scriptFaces: scriptFaces, boldScriptFaces: boldScriptFaces)
    }

    /// A catalog with no fonts: text is drawn with the built-in ASCII bitmap font (tests use this).
    public static let builtinOnly = FontCatalog(regular: [], bold: [], fallbackFolders: [])

    /// The CSS `font-family` list written into SVG so a browser picks the same kind of faces.
    public static let cssFontFamily =
        "'Noto Sans', 'DejaVu Sans', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Droid Sans Fallback', 'Noto Sans Bengali', "
        + "'Noto Sans Devanagari', 'Noto Sans Thai', 'Noto Sans Arabic', 'Segoe UI', Arial, sans-serif"
}
