/// Numeric answers of generated MGSM/MSVAMP outputs, by lm-evaluation-harness' filters (`lm_eval/filters/extraction.py`,
/// `tasks/mgsm`), and the comparison with the gold answer. docs/eval.md writes the rules down.
///
/// - strict-match (chain of thought): the first match of `The answer is (\-?[0-9\.\,]+)`, its group, stripped;
/// - flexible-extract: the last match of `(-?[$0-9.,]{2,})|(-?[0-9]+)`, its non-empty group, stripped.
///
/// ```swift
/// AnswerExtraction.strict("… so 3 + 4 = 7. The answer is 7.")   // "7."
/// AnswerExtraction.flexible("She pays $1,250.50 in total.")     // "$1,250.50"
/// AnswerExtraction.isCorrect(prediction: "$1,250.", gold: "1250")  // true
/// ```
public enum AnswerExtraction {
    /// The harness' strict-match: the first `The answer is <number>` (`phrase` for the native chain-of-thought
    /// variants, e.g. "Die Antwort lautet").
    public static func strict(_ text: String, phrase: String = "The answer is") -> String? {
        let scalars = Array(text.unicodeScalars), key = Array(phrase.unicodeScalars) + [" "]
        guard scalars.count >= key.count else { return nil }
        for start in 0...(scalars.count - key.count) where Array(scalars[start..<(start + key.count)]) == key {
            var end = start + key.count
            if end < scalars.count, scalars[end] == "-" { end += 1 }
            let digitsStart = end
            while end < scalars.count, isDigit(scalars[end]) || scalars[end] == "." || scalars[end] == "," { end += 1 }
            // `\-?[0-9.,]+` needs at least one character of the class after the optional minus.
            if end > digitsStart { return string(scalars[(start + key.count)..<end]).trimmingWhitespace }
        }
        return nil
    }

    /// The harness' flexible-extract: the last match of `(-?[$0-9.,]{2,})|(-?[0-9]+)`. Matches are found left to
    /// right without overlap, the first alternative preferred at each position (Python `re.findall`).
    public static func flexible(_ text: String) -> String? {
        let s = Array(text.unicodeScalars)
        var position = 0, last: String? = nil
        while position < s.count {
            if let end = firstAlternative(s, at: position) ?? secondAlternative(s, at: position) {
                last = string(s[position..<end]).trimmingWhitespace
                position = end
            } else {
                position += 1
            }
        }
        return last
    }

    /// The prediction of an output: strict-match when it finds an answer (chain of thought), else flexible-extract.
    public static func extract(_ text: String, chainOfThought: Bool) -> (answer: String?, rule: String) {
        if chainOfThought, let answer = strict(text) { return (answer, "strict") }
        if let answer = flexible(text) { return (answer, "flexible") }
        return (nil, "none")
    }

    /// True when the extracted answer equals the gold answer: as numbers when both read as numbers (commas are
    /// thousands separators and `$` and a final `.` are ignored, as the harness' `exact_match` with
    /// `ignore_punctuation` does for MGSM's integer answers; MSVAMP's gold answers are written "8.0"), else by
    /// the harness' normalisation (lower case, ASCII punctuation removed).
    public static func isCorrect(prediction: String?, gold: String) -> Bool {
        guard let prediction else { return false }
        if let p = value(prediction), let g = value(gold) { return abs(p - g) <= 1e-9 * max(1, abs(g)) }
        return normalized(prediction) == normalized(gold)
    }

    /// The number a string writes: "$1,234.50" → 1234.5, "7." → 7, "-3" → −3; nil when it is not one.
    public static func value(_ text: String) -> Double? {
        var t = text.trimmingWhitespace.unicodeScalars.filter { $0 != "," && $0 != "$" }
        while t.last == "." { t.removeLast() }
        let cleaned = String(String.UnicodeScalarView(t))
        guard !cleaned.isEmpty, cleaned.unicodeScalars.allSatisfy({ isDigit($0) || $0 == "." || $0 == "-" }),
              let v = Double(cleaned), v.isFinite else { return nil }
        return v
    }

    /// The harness' exact-match normalisation with ignore_case and ignore_punctuation.
    public static func normalized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { !ChrF.asciiPunctuation.contains($0) }))
    }

    // MARK: regex pieces

    /// `-?[$0-9.,]{2,}` at `i`: the end of the longest match (greedy), or nil.
    static func firstAlternative(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        var j = i
        if j < s.count, s[j] == "-" { j += 1 }
        let start = j
        while j < s.count, isDigit(s[j]) || s[j] == "$" || s[j] == "." || s[j] == "," { j += 1 }
        if j - start >= 2 { return j }
        // Backtracking over the optional minus: "-" itself belongs to no class, so no other split exists.
        return nil
    }

    /// `-?[0-9]+` at `i`.
    static func secondAlternative(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        var j = i
        if j < s.count, s[j] == "-" { j += 1 }
        let start = j
        while j < s.count, isDigit(s[j]) { j += 1 }
        return j > start ? j : nil
    }

    /// Python's `[0-9]`: ASCII digits only.
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView(); view.append(contentsOf: scalars); return String(view)
    }
}

extension String {
    /// Python's `str.strip()`: whitespace (as `str.isspace`) removed at both ends.
    var trimmingWhitespace: String {
        var scalars = Array(unicodeScalars)
        while let first = scalars.first, ChrF.isPythonWhitespace(first) { scalars.removeFirst() }
        while let last = scalars.last, ChrF.isPythonWhitespace(last) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
