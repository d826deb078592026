/// A Unicode script (the `Script` property of UAX #24), limited to the scripts of the languages lna knows.
///
/// `Script.of(_:)` classifies one scalar; characters of the `Common`/`Inherited` scripts (digits, punctuation,
/// spaces, combining marks shared by several scripts) give `nil`, so they never vote for a language.
///
/// ```swift
/// Script.of("ก")            // .thai
/// Script.histogram("東京へ行く")  // [.han: 3, .hiragana: 2]
/// ```
public enum Script: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case latin = "Latin", cyrillic = "Cyrillic", greek = "Greek", armenian = "Armenian", georgian = "Georgian"
    case hebrew = "Hebrew", arabic = "Arabic", devanagari = "Devanagari", bengali = "Bengali"
    case gurmukhi = "Gurmukhi", gujarati = "Gujarati", tamil = "Tamil", telugu = "Telugu", kannada = "Kannada"
    case malayalam = "Malayalam", sinhala = "Sinhala", thai = "Thai", lao = "Lao", tibetan = "Tibetan"
    case myanmar = "Myanmar", khmer = "Khmer", ethiopic = "Ethiopic", hangul = "Hangul"
    case hiragana = "Hiragana", katakana = "Katakana", han = "Han"
    case oriya = "Oriya", olChiki = "Ol_Chiki", tifinagh = "Tifinagh", nko = "Nko"

    public static func < (a: Script, b: Script) -> Bool { a.rawValue < b.rawValue }

    /// The script of one Unicode scalar, or nil for Common/Inherited characters (digits, punctuation, spaces).
    ///
    /// ```swift
    /// Script.of("ж")  // .cyrillic
    /// Script.of("7")  // nil
    /// ```
    public static func of(_ scalar: Unicode.Scalar) -> Script? {
        let v = scalar.value
        if v < 0x80 {
            return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) ? .latin : nil
        }
        for (range, script) in ranges where range.contains(v) { return script }
        return nil
    }

    /// Counts of the script of every scalar of `text` (Common characters are not counted).
    ///
    /// ```swift
    /// Script.histogram("Hello, мир")  // [.latin: 5, .cyrillic: 3]
    /// ```
    public static func histogram(_ text: String) -> [Script: Int] {
        var counts: [Script: Int] = [:]
        for scalar in text.unicodeScalars {
            if let script = of(scalar) { counts[script, default: 0] += 1 }
        }
        return counts
    }

    /// The most frequent script of `text`, or nil when it has no letters of a known script.
    ///
    /// ```swift
    /// Script.dominant(in: "Привет, world!")  // .cyrillic (6 letters against 5)
    /// ```
    public static func dominant(in text: String) -> Script? {
        histogram(text).max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
    }

    /// The scripts of text written in an ISO 15924 script (the suffix of a FLORES-200 code), or nil for a
    /// script lna does not know. Japanese and Korean name the scripts they mix.
    ///
    /// ```swift
    /// Script.ofISO15924("Cyrl")  // [.cyrillic]
    /// Script.ofISO15924("Jpan")  // [.hiragana, .katakana, .han]
    /// ```
    public static func ofISO15924(_ code: String) -> [Script]? {
        switch code {
        case "Latn": return [.latin]
        case "Cyrl": return [.cyrillic]
        case "Grek": return [.greek]
        case "Armn": return [.armenian]
        case "Geor": return [.georgian]
        case "Hebr": return [.hebrew]
        case "Arab": return [.arabic]
        case "Deva": return [.devanagari]
        case "Beng": return [.bengali]
        case "Guru": return [.gurmukhi]
        case "Gujr": return [.gujarati]
        case "Orya": return [.oriya]
        case "Taml": return [.tamil]
        case "Telu": return [.telugu]
        case "Knda": return [.kannada]
        case "Mlym": return [.malayalam]
        case "Sinh": return [.sinhala]
        case "Thai": return [.thai]
        case "Laoo": return [.lao]
        case "Tibt": return [.tibetan]
        case "Mymr": return [.myanmar]
        case "Khmr": return [.khmer]
        case "Ethi": return [.ethiopic]
        case "Olck": return [.olChiki]
        case "Tfng": return [.tifinagh]
        case "Nkoo": return [.nko]
        case "Hang": return [.hangul, .han]
        case "Hans", "Hant", "Hani": return [.han]
        case "Jpan": return [.hiragana, .katakana, .han]
        default: return nil
        }
    }

    // Block ranges (Unicode 15). Letters of the Latin-1 Supplement exclude × and ÷; the CJK ranges keep the
    // Katakana middle dot U+30FB and the prolonged sound mark U+30FC out, as they are Common (used by Chinese too).
    private static let ranges: [(ClosedRange<UInt32>, Script)] = [
        (0x00C0...0x00D6, .latin), (0x00D8...0x00F6, .latin), (0x00F8...0x024F, .latin), (0x0250...0x02AF, .latin), (0x1E00...0x1EFF, .latin),
        (0x2184...0x2184, .latin),
        (0x2C60...0x2C7F, .latin), (0xA720...0xA7FF, .latin), (0xFF21...0xFF3A, .latin), (0xFF41...0xFF5A, .latin),
        (0x0370...0x03FF, .greek), (0x1F00...0x1FFF, .greek),
        (0x0400...0x052F, .cyrillic), (0x1C80...0x1C8F, .cyrillic), (0x2DE0...0x2DFF, .cyrillic),
        (0xA640...0xA69F, .cyrillic),
        (0x0530...0x058F, .armenian), (0x0591...0x05F4, .hebrew), (0xFB1D...0xFB4F, .hebrew),
        (0x0600...0x060B, .arabic), (0x060D...0x061A, .arabic), (0x061C...0x061E, .arabic),
        (0x0620...0x063F, .arabic), (0x0641...0x064A, .arabic), (0x0656...0x066F, .arabic),
        (0x0671...0x06DC, .arabic), (0x06DE...0x06FF, .arabic),
        (0x0750...0x077F, .arabic), (0x08A0...0x08FF, .arabic), (0xFB50...0xFDFF, .arabic), (0xFE70...0xFEFF, .arabic),
        (0x0900...0x0950, .devanagari), (0x0955...0x0963, .devanagari), (0x0966...0x097F, .devanagari),
        (0xA8E0...0xA8FF, .devanagari),
        (0x0980...0x09FF, .bengali), (0x0A00...0x0A7F, .gurmukhi), (0x0A80...0x0AFF, .gujarati),
        (0x0B80...0x0BFF, .tamil), (0x0C00...0x0C7F, .telugu), (0x0C80...0x0CFF, .kannada),
        (0x0D00...0x0D7F, .malayalam), (0x0D80...0x0DFF, .sinhala),
        (0x0E01...0x0E3A, .thai), (0x0E40...0x0E5B, .thai), (0x0E80...0x0EFF, .lao), (0x0F00...0x0FFF, .tibetan),
        (0x1000...0x109F, .myanmar), (0x10A0...0x10FF, .georgian), (0x1200...0x139F, .ethiopic),
        (0x1780...0x17FF, .khmer), (0x19E0...0x19FF, .khmer), (0xA9E0...0xA9FF, .myanmar), (0xAA60...0xAA7F, .myanmar),
        (0x1C90...0x1CBF, .georgian), (0x2D00...0x2D2F, .georgian), (0x2D80...0x2DDF, .ethiopic),
        (0xAB00...0xAB2F, .ethiopic), (0x0B00...0x0B7F, .oriya), (0x1C50...0x1C7F, .olChiki),
        (0x2D30...0x2D7F, .tifinagh), (0x07C0...0x07FF, .nko),
        (0x1100...0x11FF, .hangul), (0x3131...0x318E, .hangul), (0xA960...0xA97F, .hangul),
        (0xAC00...0xD7AF, .hangul), (0xD7B0...0xD7FF, .hangul),
        (0x3041...0x309F, .hiragana), (0x30A0...0x30FA, .katakana), (0x30FD...0x30FF, .katakana),
        (0x31F0...0x31FF, .katakana), (0xFF66...0xFF9D, .katakana),
        (0x2E80...0x2FDF, .han), (0x3005...0x3007, .han), (0x3021...0x3029, .han), (0x3038...0x303B, .han),
        (0x3400...0x4DBF, .han), (0x4E00...0x9FFF, .han), (0xF900...0xFAFF, .han), (0x20000...0x3134F, .han),
    ]
}
