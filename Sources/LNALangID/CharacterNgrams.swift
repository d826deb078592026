/// Character n-grams of text as a language identifier sees it: lower-cased, with everything that is not a
/// letter or combining mark (digits, punctuation, symbols) turned into a space and runs of spaces collapsed, and
/// a space added at both ends so word beginnings and endings become features.
///
/// ```swift
/// CharacterNgrams.normalize("Hi, 2 you!")          // " hi you "
/// CharacterNgrams.extract("ab", orders: 1...2)      // ["a", "b", " a", "ab", "b "] (no lone spaces)
/// ```
public enum CharacterNgrams {
    /// The normalised scalars of `text` (see the type's description).
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(" ")
        for scalar in text.lowercased().unicodeScalars {
            if isTextScalar(scalar) {
                scalars.append(scalar)
            } else if scalars.last != " " {
                scalars.append(" ")
            }
        }
        if scalars.last != " " { scalars.append(" ") }
        return String(scalars)
    }

    /// All n-grams of the normalised text for each order in `orders`, order by order. A text with no letters
    /// gives no n-grams.
    public static func extract(_ text: String, orders: ClosedRange<Int>) -> [String] {
        var grams: [String] = []
        forEachGram(text, orders: orders, reserve: { grams.reserveCapacity($0) }) { gram in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: gram)
            grams.append(String(view))
        }
        return grams
    }

    /// The n-grams of `extract(text, orders:)` as 64-bit keys (`key(_:)`), without building strings: what
    /// prediction looks up.
    public static func keys(_ text: String, orders: ClosedRange<Int>) -> [UInt64] {
        var keys: [UInt64] = []
        forEachGram(text, orders: orders, reserve: { keys.reserveCapacity($0) }) { keys.append(key($0)) }
        return keys
    }

    /// Calls `body` with each n-gram of the normalised text, order by order (`reserve` first, with a bound on
    /// their count); none for a text with no letters.
    @inline(__always)
    static func forEachGram(_ text: String, orders: ClosedRange<Int>, reserve: (Int) -> Void,
                            _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        let scalars = Array(normalize(text).unicodeScalars)
        guard scalars.count > 2 else { return }
        reserve(scalars.count * orders.count)
        for n in orders where n >= 1 && n <= scalars.count {
            for start in 0...(scalars.count - n) {
                if n == 1 && scalars[start] == " " { continue }  // a lone space says nothing about the language
                body(scalars[start..<(start + n)])
            }
        }
    }

    /// A 64-bit key of an n-gram's scalars (FNV-1a over the scalar values). Keys compare scalars, not
    /// Characters: Swift's `String ==` treats canonically equivalent texts as equal (precomposed `é` and
    /// `e` + U+0301), which would merge n-grams of different orders in a `[String: …]` dictionary.
    ///
    /// ```swift
    /// CharacterNgrams.key("é".unicodeScalars) != CharacterNgrams.key("e\u{301}".unicodeScalars)  // true
    /// ```
    public static func key<S: Sequence>(_ scalars: S) -> UInt64 where S.Element == Unicode.Scalar {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for scalar in scalars {
            var value = scalar.value
            for _ in 0..<3 {
                hash = (hash ^ UInt64(value & 0xFF)) &* 0x0000_0100_0000_01B3
                value >>= 8
            }
        }
        return hash
    }

    /// Letters and combining marks (Thai vowels, Bengali signs, Devanagari virama …) belong to words.
    static func isTextScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }
}
