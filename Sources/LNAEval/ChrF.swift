/// chrF (Popović 2015) and chrF++ (Popović 2017) exactly as sacreBLEU 2.x computes them (`sacrebleu.metrics.CHRF`).
///
/// Character n-grams are taken over Unicode scalars (Python `str` code points) of the text with every whitespace
/// character removed (unless `whitespace`); word n-grams over whitespace-split words with one leading or
/// trailing ASCII punctuation character split off. Per order the statistics are [hypothesis n-grams,
/// reference n-grams, matches]; the score is the F-β of the precision and recall averaged over the orders that
/// have n-grams on both sides (sacreBLEU's default, "effective order"), or with `epsSmoothing` the mean of the
/// per-order F-scores with 1e-16 for an empty order (chrF++.py, NLTK, Moses). Corpus scores sum the statistics
/// of all sentences first. With several references a sentence takes the statistics of the reference with the
/// best sentence F-score (the first on ties).
///
/// ```swift
/// let chrF = ChrF()                       // chrF2, char order 6
/// let chrFpp = ChrF(wordOrder: 2)         // chrF2++
/// chrF.sentenceScore("The cat sat.", references: ["The cat sat on the mat."])
/// chrFpp.corpusScore(["a b", "c"], references: [["a b c", "c"]])
/// ```
public struct ChrF: Sendable, Equatable {
    public var charOrder: Int
    public var wordOrder: Int
    public var beta: Int
    /// Keep whitespace inside character n-grams (sacreBLEU `whitespace=True`).
    public var whitespace: Bool
    public var epsSmoothing: Bool

    public init(charOrder: Int = 6, wordOrder: Int = 0, beta: Int = 2, whitespace: Bool = false, epsSmoothing: Bool = false) {
        self.charOrder = max(0, charOrder)
        self.wordOrder = max(0, wordOrder)
        self.beta = beta
        self.whitespace = whitespace
        self.epsSmoothing = epsSmoothing
    }

    /// sacreBLEU's name for these settings: "chrF2", "chrF2++".
    public var name: String { "chrF\(beta)" + String(repeating: "+", count: wordOrder) }

    /// 3 × (charOrder + wordOrder) counts: per order [hypothesis n-grams, reference n-grams, matches].
    public func statistics(hypothesis: String, references: [String]) -> [Int] {
        let hyp = ngrams(hypothesis)
        var best: [Int] = Array(repeating: 0, count: 3 * (charOrder + wordOrder))
        var bestScore = -1.0
        for reference in references {
            let ref = ngrams(reference)
            let stats = zip(hyp, ref).flatMap { Self.matchStatistics(hypothesis: $0, reference: $1) }
            let score = fScore(stats)
            if score > bestScore { bestScore = score; best = stats }
        }
        return best
    }

    /// The sentence score in [0, 100].
    public func sentenceScore(_ hypothesis: String, references: [String]) -> Double {
        fScore(statistics(hypothesis: hypothesis, references: references))
    }

    /// The corpus score: statistics summed over sentences. `references[r][i]` is reference r of sentence i
    /// (sacreBLEU's layout: one stream per reference). As in sacreBLEU an empty string is a reference too.
    public func corpusScore(_ hypotheses: [String], references: [[String]]) -> Double {
        var total = Array(repeating: 0, count: 3 * (charOrder + wordOrder))
        for (i, hypothesis) in hypotheses.enumerated() {
            let refs = references.compactMap { i < $0.count ? $0[i] : nil }
            for (k, v) in statistics(hypothesis: hypothesis, references: refs).enumerated() { total[k] += v }
        }
        return fScore(total)
    }

    /// The F-score of (summed) statistics, as sacreBLEU's `_compute_f_score`.
    public func fScore(_ statistics: [Int]) -> Double {
        let eps = 1e-16
        let factor = Double(beta * beta)
        var score = 0.0, averagePrecision = 0.0, averageRecall = 0.0
        var effectiveOrder = 0
        let orders = statistics.count / 3
        for i in 0..<orders {
            let nHyp = statistics[3 * i], nRef = statistics[3 * i + 1], nMatch = statistics[3 * i + 2]
            let precision = nHyp > 0 ? Double(nMatch) / Double(nHyp) : eps
            let recall = nRef > 0 ? Double(nMatch) / Double(nRef) : eps
            let denominator = factor * precision + recall
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : eps
            if nHyp > 0 && nRef > 0 {
                averagePrecision += precision
                averageRecall += recall
                effectiveOrder += 1
            }
        }
        if epsSmoothing { return orders == 0 ? 0 : 100 * score / Double(orders) }
        if effectiveOrder == 0 { return 0 }
        averagePrecision /= Double(effectiveOrder)
        averageRecall /= Double(effectiveOrder)
        guard averagePrecision + averageRecall > 0 else { return 0 }
        return 100 * (1 + factor) * averagePrecision * averageRecall / (factor * averagePrecision + averageRecall)
    }

    // MARK: n-grams

    /// An n-gram as its code points. Swift's `String` equality is canonical equivalence (precomposed "é" equals
    /// "e" + U+0301), Python's is code point equality; keys of scalars keep sacreBLEU's distinctions.
    typealias Gram = [Unicode.Scalar]

    /// Counters of character orders 1…charOrder, then word orders 1…wordOrder.
    func ngrams(_ text: String) -> [[Gram: Int]] {
        var scalars = Array(text.unicodeScalars)
        if !whitespace { scalars.removeAll(where: Self.isPythonWhitespace) }
        var result: [[Gram: Int]] = []
        for n in stride(from: 1, through: charOrder, by: 1) {
            var counts: [Gram: Int] = [:]
            if scalars.count >= n {
                for start in 0...(scalars.count - n) { counts[Array(scalars[start..<(start + n)]), default: 0] += 1 }
            }
            result.append(counts)
        }
        if wordOrder > 0 {
            let words = Self.separatePunctuation(Self.pythonSplit(text))
            for n in 1...wordOrder {
                var counts: [Gram: Int] = [:]
                if words.count >= n {
                    for start in 0...(words.count - n) {
                        counts[Array(words[start..<(start + n)].joined(separator: [" "])), default: 0] += 1
                    }
                }
                result.append(counts)
            }
        }
        return result
    }

    /// [hypothesis count (0 when the reference has none of this order), reference count, clipped matches].
    static func matchStatistics(hypothesis: [Gram: Int], reference: [Gram: Int]) -> [Int] {
        var matches = 0, hypothesisCount = 0
        for (gram, count) in hypothesis {
            hypothesisCount += count
            if let r = reference[gram] { matches += min(count, r) }
        }
        return [reference.isEmpty ? 0 : hypothesisCount, reference.values.reduce(0, +), matches]
    }

    static let asciiPunctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// sacreBLEU's `_remove_punctuation`: a word of two or more characters loses one trailing ASCII
    /// punctuation character, else one leading one, which become words of their own.
    static func separatePunctuation(_ words: [[Unicode.Scalar]]) -> [Gram] {
        var result: [Gram] = []
        for word in words {
            guard word.count > 1 else { result.append(word); continue }
            if asciiPunctuation.contains(word[word.count - 1]) {
                result.append(Array(word.dropLast()))
                result.append([word[word.count - 1]])
            } else if asciiPunctuation.contains(word[0]) {
                result.append([word[0]])
                result.append(Array(word.dropFirst()))
            } else {
                result.append(word)
            }
        }
        return result
    }

    /// Python's `str.split()`: runs of whitespace separate words, none are empty.
    static func pythonSplit(_ text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = [], current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if isPythonWhitespace(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Python's `str.isspace()` for one character: Unicode White_Space plus the information separators
    /// U+001C…U+001F, which Python also splits on.
    static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
