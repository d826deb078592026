/// Minimal shaping for glyph-by-glyph rendering: Arabic letters are replaced by their contextual presentation forms
/// (isolated/final/initial/medial, Unicode block FE70–FEFF) and right-to-left runs (Arabic, Hebrew) are reversed
/// into visual order. Indic and Thai clusters are left as they are (no reordering, no ligatures): readable, not
/// typographically perfect. Zero-width joiners and variation selectors are dropped.
///
/// ```swift
/// let visual = TextShaper.visualScalars("العربية")   // presentation forms, left-to-right drawing order
/// ```
public enum TextShaper {
    /// The scalars of `text` in drawing order, after Arabic contextual forms.
    public static func visualScalars(_ text: String) -> [Unicode.Scalar] {
        let logical = shapeArabic(text.unicodeScalars.filter { !isIgnorable($0) })
        var out = [Unicode.Scalar]()
        out.reserveCapacity(logical.count)
        var i = 0
        while i < logical.count {
            if isRightToLeft(logical[i]) {
                var j = i
                // A run continues through spaces and marks that sit between right-to-left letters.
                while j < logical.count, isRightToLeft(logical[j]) || (isNeutral(logical[j]) && nextIsRTL(logical, after: j)) {
                    j += 1
                }
                out += logical[i..<j].reversed()
                i = j
            } else {
                out.append(logical[i]); i += 1
            }
        }
        return out
    }

    static func isIgnorable(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v == 0x200C || v == 0x200D || v == 0x200E || v == 0x200F || (0xFE00...0xFE0F).contains(v) || v == 0xFEFF
    }

    static func isRightToLeft(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x0590...0x08FF).contains(v) || (0xFB1D...0xFDFF).contains(v) || (0xFE70...0xFEFE).contains(v)
    }

    private static func isNeutral(_ s: Unicode.Scalar) -> Bool { s == " " || s == "-" || s == "." }

    private static func nextIsRTL(_ s: [Unicode.Scalar], after j: Int) -> Bool {
        var k = j + 1
        while k < s.count, isNeutral(s[k]) { k += 1 }
        return k < s.count && isRightToLeft(s[k])
    }

    /// Number of presentation forms for U+0621…U+064A (1 = non-joining, 2 = right-joining, 4 = dual-joining),
    /// laid out consecutively from U+FE80; 0 marks code points without forms.
    private static let formCounts: [UInt32: (start: UInt32, count: UInt32)] = {
        let letters: [(UInt32, UInt32)] = [
            (0x621, 1), (0x622, 2), (0x623, 2), (0x624, 2), (0x625, 2), (0x626, 4), (0x627, 2), (0x628, 4),
            (0x629, 2), (0x62A, 4), (0x62B, 4), (0x62C, 4), (0x62D, 4), (0x62E, 4), (0x62F, 2), (0x630, 2),
            (0x631, 2), (0x632, 2), (0x633, 4), (0x634, 4), (0x635, 4), (0x636, 4), (0x637, 4), (0x638, 4),
            (0x639, 4), (0x63A, 4), (0x641, 4), (0x642, 4), (0x643, 4), (0x644, 4), (0x645, 4), (0x646, 4),
            (0x647, 4), (0x648, 2), (0x649, 2), (0x64A, 4),
        ]
        var table = [UInt32: (start: UInt32, count: UInt32)]()
        var next: UInt32 = 0xFE80
        for (letter, count) in letters { table[letter] = (next, count); next += count }
        return table
    }()

    private static func isTransparent(_ s: Unicode.Scalar) -> Bool {
        (0x064B...0x065F).contains(s.value) || s.value == 0x0670
    }

    private static func joiningCount(_ s: Unicode.Scalar) -> UInt32 {
        if s.value == 0x0640 { return 4 }   // tatweel joins both sides
        return formCounts[s.value]?.count ?? 0
    }

    static func shapeArabic(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out = scalars
        for (i, s) in scalars.enumerated() {
            guard let forms = formCounts[s.value], forms.count > 1 else { continue }
            var p = i - 1
            while p >= 0, isTransparent(scalars[p]) { p -= 1 }
            var n = i + 1
            while n < scalars.count, isTransparent(scalars[n]) { n += 1 }
            let joinsPrevious = p >= 0 && joiningCount(scalars[p]) == 4
            let joinsNext = forms.count == 4 && n < scalars.count && joiningCount(scalars[n]) >= 2
            let form: UInt32 = joinsPrevious && joinsNext ? 3 : joinsPrevious ? 1 : joinsNext ? 2 : 0
            if let shaped = Unicode.Scalar(forms.start + form) { out[i] = shaped }
        }
        return out
    }
}
