import Foundation

/// The naive Bayes n-gram model in sparse form: for each n-gram (by `CharacterNgrams.key`), the languages that
/// kept it and how much more likely it is under each than an unseen n-gram. A language that did not keep an
/// n-gram scores it as unseen, so a text's score is `count × unseen[i] + Σ gains`, summed over the few
/// languages per n-gram instead of all of them (205 languages × 400,000 n-grams would not fit densely).
struct NgramTable: Sendable {
    /// Per n-gram key: the start and end of its entries.
    private let index: [UInt64: (start: Int32, end: Int32)]
    private let entryLanguage: [Int32]
    private let entryGain: [Float]
    /// Per language: the log-probability of an n-gram it did not keep.
    let unseen: [Double]

    /// Lidstone-smoothed log-probabilities over the union vocabulary of `profiles`.
    init(profiles: [LanguageIdentifier.Profile], smoothing alpha: Double) {
        var postings: [UInt64: [(Int32, Int)]] = [:]
        for (i, profile) in profiles.enumerated() {
            for (gram, count) in zip(profile.grams, profile.counts) {
                postings[CharacterNgrams.key(gram.unicodeScalars), default: []].append((Int32(i), count))
            }
        }
        let vocabulary = Double(max(postings.count, 1))
        let denominators = profiles.map { log(Double($0.total) + alpha * vocabulary) }
        unseen = denominators.map { log(alpha) - $0 }
        var index: [UInt64: (start: Int32, end: Int32)] = [:]
        index.reserveCapacity(postings.count)
        var languages: [Int32] = [], gains: [Float] = []
        for key in postings.keys.sorted() {
            let start = Int32(languages.count)
            for (i, count) in postings[key]! {
                languages.append(i)
                gains.append(Float(log((Double(count) + alpha) / alpha)))
            }
            index[key] = (start, Int32(languages.count))
        }
        self.index = index
        entryLanguage = languages
        entryGain = gains
    }

    /// The log-likelihood of the n-gram keys under every language.
    func logLikelihoods(_ keys: [UInt64]) -> [Double] {
        var scores = unseen.map { $0 * Double(keys.count) }
        for key in keys {
            guard let (start, end) = index[key] else { continue }
            for entry in Int(start)..<Int(end) { scores[Int(entryLanguage[entry])] += Double(entryGain[entry]) }
        }
        return scores
    }
}
