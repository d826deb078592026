import CHarfBuzz

/// A stretch of text in one script, as scalar indices into the text, with its writing direction.
///
/// ```swift
/// let runs = ScriptItemizer.runs(Array("bn বাংলা".unicodeScalars))
/// runs.map(\.scriptTag)   // ["Latn", "Beng"]; runs[0].range == 0..<3 (the space stays with "bn")
/// ```
public struct ScriptRun: Sendable, Equatable {
    /// Scalar indices (not UTF-16 or bytes) of the run inside the whole text.
    public var range: Range<Int>
    /// The ISO 15924 tag of the script ("Latn", "Beng", "Thai", "Arab", "Hani", "Zyyy" for text with no letters).
    public var scriptTag: String
    public var isRightToLeft: Bool
    let script: hb_script_t
}

/// Splits a label into runs of one script, the unit HarfBuzz shapes. The script of each character comes from
/// HarfBuzz's Unicode data; characters of no particular script (Common: spaces, digits, punctuation; Inherited:
/// combining marks, ZWJ/ZWNJ) join the run before them, or the first run after them at the start of the text, so
/// "zh 中文" is "zh " (Latin) + "中文" (Han) and a virama never leaves its consonant. Han, Hiragana and Katakana
/// count as one script (one CJK face draws them all). Brackets are not paired (labels are short).
public enum ScriptItemizer {
    public static func runs(_ scalars: [Unicode.Scalar]) -> [ScriptRun] {
        guard !scalars.isEmpty else { return [] }
        let funcs = hb_unicode_funcs_get_default()
        let scripts = scalars.map { unify(hb_unicode_script(funcs, hb_codepoint_t($0.value))) }
        // The script the leading neutral characters take: the first real script in the text.
        let firstReal = scripts.first(where: { !isNeutral($0) }) ?? HB_SCRIPT_COMMON
        var runs: [(start: Int, script: hb_script_t)] = []
        for (i, script) in scripts.enumerated() {
            let current = runs.last?.script ?? firstReal
            let effective = isNeutral(script) ? current : script
            if runs.isEmpty || effective != current { runs.append((i, effective)) }
        }
        return runs.enumerated().map { k, run in
            let end = k + 1 < runs.count ? runs[k + 1].start : scalars.count
            return ScriptRun(range: run.start..<end, scriptTag: tag(run.script),
                             isRightToLeft: hb_script_get_horizontal_direction(run.script) == HB_DIRECTION_RTL,
                             script: run.script)
        }
    }

    /// Runs in the order they are drawn, left to right: a simplified bidi with two levels. The base direction is
    /// the direction of the first run with letters; a group of consecutive runs against it keeps its inner order
    /// (HarfBuzz already returns the glyphs of a right-to-left run in visual order).
    public static func visualOrder(_ runs: [ScriptRun]) -> [ScriptRun] {
        let baseIsRTL = runs.first(where: { !isNeutral($0.script) })?.isRightToLeft ?? false
        // Runs against the base direction keep their order inside a group; the rest follows the base direction.
        let ordered = baseIsRTL ? Array(runs.reversed()) : runs
        var out: [ScriptRun] = []
        var i = 0
        while i < ordered.count {
            var j = i
            while j < ordered.count, ordered[j].isRightToLeft == ordered[i].isRightToLeft { j += 1 }
            let reverseGroup = ordered[i].isRightToLeft != baseIsRTL
            out += reverseGroup ? Array(ordered[i..<j].reversed()) : Array(ordered[i..<j])
            i = j
        }
        return out
    }

    static func isNeutral(_ s: hb_script_t) -> Bool {
        s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN
    }

    /// Japanese mixes kana and kanji inside one word; shaping them as one run keeps one face for the word.
    static func unify(_ s: hb_script_t) -> hb_script_t {
        s == HB_SCRIPT_HIRAGANA || s == HB_SCRIPT_KATAKANA ? HB_SCRIPT_HAN : s
    }

    static func tag(_ s: hb_script_t) -> String {
        let v = s.rawValue
        let bytes = [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        return String(decoding: bytes, as: UTF8.self)
    }
}
