import Testing
import LNALangID

@Suite struct CharacterNgramsTests {
    @Test func normalizeKeepsLettersAndMarksOnly() {
        #expect(CharacterNgrams.normalize("Hi, 2 You!") == " hi you ")
        #expect(CharacterNgrams.normalize("...") == " ")
        // Thai vowel marks and Bengali signs are marks, not separators.
        #expect(CharacterNgrams.normalize("ที่นี่") == " ที่นี่ ")
        #expect(CharacterNgrams.normalize("বাংলা।") == " বাংলা ")
    }

    @Test func extractGivesEveryOrderWithWordBoundaries() {
        #expect(CharacterNgrams.extract("ab", orders: 1...2) == ["a", "b", " a", "ab", "b "])
        #expect(CharacterNgrams.extract("ab", orders: 3...3) == [" ab", "ab "])
        #expect(CharacterNgrams.extract("42 !", orders: 1...4).isEmpty)
    }
}

@Suite struct ScriptProfileTests {
    @Test func kanaAmongHanMeansJapanese() {
        #expect(ScriptProfile("東京へ行きます").decisiveScript == .hiragana)
        #expect(ScriptProfile("我们今晚吃米饭和鱼").decisiveScript == .han)
        #expect(ScriptProfile("コーヒー").decisiveScript == .hiragana)
    }

    @Test func cjkCharactersWeighThreeLetters() {
        let profile = ScriptProfile("我喜欢Python")
        #expect(profile.weights[.han] == 9 && profile.weights[.latin] == 6)
        #expect(profile.decisiveScript == .han)
        #expect(ScriptProfile("Hello мир").decisiveScript == .latin)
        #expect(ScriptProfile("12 + 3").decision == nil)
    }
}

@Suite struct NgramKeyTests {
    /// Canonically equivalent n-grams are different n-grams (the key reads scalars, not Characters).
    @Test func keysTellCanonicallyEquivalentScalarsApart() {
        let precomposed = "\u{E9}", decomposed = "e\u{301}"
        #expect(precomposed == decomposed)   // Swift String equality: canonical equivalence
        #expect(CharacterNgrams.key(precomposed.unicodeScalars) != CharacterNgrams.key(decomposed.unicodeScalars))
        let text = "café"
        #expect(CharacterNgrams.keys(text, orders: 1...3)
                == CharacterNgrams.extract(text, orders: 1...3).map { CharacterNgrams.key($0.unicodeScalars) })
    }
}
