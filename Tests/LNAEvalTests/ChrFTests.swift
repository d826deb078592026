import Foundation
import Testing
import LNAEval
import LNATestSupport

/// chrF and chrF++ against sacreBLEU 2.6.0 on SIB-200 sentences in 16 scripts and their perturbations
/// (Fixtures/chrf-sacrebleu.json, made by scripts/dev/chrf-fixture.py).
@Suite struct ChrFTests {
    struct Fixture: Decodable {
        struct Pair: Decodable {
            let language: String, kind: String, hypothesis: String, references: [String]
            let chrf: Double, chrfpp: Double, chrf_eps: Double, chrfpp_eps: Double
        }
        struct Corpus: Decodable { let language: String; let pairs: [Int]; let chrf: Double, chrfpp: Double, chrf_eps: Double, chrfpp_eps: Double }
        let sacrebleu: String
        let pairs: [Pair]
        let corpora: [Corpus]
    }

    static func fixture() throws -> Fixture {
        let url = TestResources.repositoryRoot.appendingPathComponent("Tests/LNAEvalTests/Fixtures/chrf-sacrebleu.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    let metrics: [(String, ChrF, KeyPath<Fixture.Pair, Double>, KeyPath<Fixture.Corpus, Double>)] = [
        ("chrF", ChrF(), \.chrf, \.chrf), ("chrF++", ChrF(wordOrder: 2), \.chrfpp, \.chrfpp),
        ("chrF eps", ChrF(epsSmoothing: true), \.chrf_eps, \.chrf_eps),
        ("chrF++ eps", ChrF(wordOrder: 2, epsSmoothing: true), \.chrfpp_eps, \.chrfpp_eps),
    ]

    @Test func sentenceScoresEqualSacreBLEU() throws {
        let fixture = try Self.fixture()
        #expect(fixture.pairs.count >= 400)
        #expect(Set(fixture.pairs.map(\.kind)).count == 10)
        for pair in fixture.pairs {
            for (name, metric, expected, _) in metrics {
                let score = metric.sentenceScore(pair.hypothesis, references: pair.references)
                #expect(abs(score - pair[keyPath: expected]) < 1e-6, "\(name) \(pair.language) \(pair.kind): \(score) vs \(pair[keyPath: expected])")
            }
        }
    }

    @Test func corpusScoresEqualSacreBLEU() throws {
        let fixture = try Self.fixture()
        for corpus in fixture.corpora {
            let hypotheses = corpus.pairs.map { fixture.pairs[$0].hypothesis }
            let references = [corpus.pairs.map { fixture.pairs[$0].references[0] }]
            for (name, metric, _, expected) in metrics {
                let score = metric.corpusScore(hypotheses, references: references)
                #expect(abs(score - corpus[keyPath: expected]) < 1e-6, "\(name) corpus \(corpus.language): \(score) vs \(corpus[keyPath: expected])")
            }
        }
    }

    @Test func namesAndEdgeCases() {
        #expect(ChrF().name == "chrF2" && ChrF(wordOrder: 2).name == "chrF2++")
        #expect(ChrF().sentenceScore("abc", references: ["abc"]) == 100)
        #expect(ChrF().sentenceScore("", references: ["abc"]) == 0)
        #expect(ChrF().sentenceScore("abc", references: [""]) == 0)
        // Whitespace is not part of character n-grams: spacing differences do not matter to chrF.
        #expect(ChrF().sentenceScore("a b\u{3000}c", references: ["abc"]) == 100)
    }
}
