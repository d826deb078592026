import Testing
import LNAEval

/// The harness' MGSM filters on hand-written outputs, and the comparison with gold answers.
@Suite struct AnswerExtractionTests {
    @Test func strictMatchTakesTheFirstAnswerSentence() {
        #expect(AnswerExtraction.strict("3 + 4 = 7. The answer is 7.") == "7.")
        #expect(AnswerExtraction.strict("The answer is 1,250. No, the answer is 3.") == "1,250.")
        #expect(AnswerExtraction.strict("The answer is -12") == "-12")
        #expect(AnswerExtraction.strict("The answer is seven.") == nil)
        #expect(AnswerExtraction.strict("the answer is 7") == nil)          // case-sensitive, as the regex
        #expect(AnswerExtraction.strict("The answer is -x, The answer is 5") == "5")
        #expect(AnswerExtraction.strict("Die Antwort lautet 42.", phrase: "Die Antwort lautet") == "42.")
    }

    @Test func flexibleExtractTakesTheLastNumber() {
        #expect(AnswerExtraction.flexible("She buys 3 apples for $1,250.50 in total") == "$1,250.50")
        #expect(AnswerExtraction.flexible("18 then 20 then 7") == "7")
        #expect(AnswerExtraction.flexible("answer: -5 degrees") == "-5")
        #expect(AnswerExtraction.flexible("It is 12.") == "12.")
        #expect(AnswerExtraction.flexible("No digits here.") == nil)
        #expect(AnswerExtraction.flexible("x, y.") == nil)                   // ", " is not two class characters
        #expect(AnswerExtraction.flexible("..") == "..")                    // as the regex: [$0-9.,]{2,}
        #expect(AnswerExtraction.flexible("--12") == "-12")
        #expect(AnswerExtraction.flexible("１２ apples") == nil)             // [0-9] is ASCII only
    }

    @Test func extractPrefersStrictWithChainOfThought() {
        let text = "She has 5 + 3 = 8 apples. The answer is 8. Then 10 more."
        #expect(AnswerExtraction.extract(text, chainOfThought: true) == ("8.", "strict"))
        #expect(AnswerExtraction.extract(text, chainOfThought: false) == ("10", "flexible"))   // "10 more.": the run stops at the space
        #expect(AnswerExtraction.extract("none", chainOfThought: true) == (nil, "none"))
    }

    @Test func correctnessComparesNumbers() {
        #expect(AnswerExtraction.isCorrect(prediction: "$1,250.", gold: "1250"))
        #expect(AnswerExtraction.isCorrect(prediction: "8", gold: "8.0"))          // MSVAMP's gold answers
        #expect(AnswerExtraction.isCorrect(prediction: "2,125", gold: "2,125"))    // MGSM's thousands separators
        #expect(AnswerExtraction.isCorrect(prediction: "-3", gold: "-3"))
        #expect(!AnswerExtraction.isCorrect(prediction: "3.5", gold: "35"))        // values, not digit strings
        #expect(!AnswerExtraction.isCorrect(prediction: "7", gold: "8"))
        #expect(!AnswerExtraction.isCorrect(prediction: nil, gold: "8"))
        #expect(AnswerExtraction.value("$1,234.50") == 1234.5)
        #expect(AnswerExtraction.value("..") == nil)
        #expect(AnswerExtraction.normalized("Ten!") == "ten")
    }
}
