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
