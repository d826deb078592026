/// The outcome of one item (a line of eval.json's `items`).
///
/// ```swift
/// record.correct        // nil for translation, which has chrF instead
/// ```
public struct EvalRecord: Codable, Sendable, Equatable {
    /// The item's prompt id (`EvalItem.id`).
    public var id: String
    /// The chosen label, the extracted answer ("" when none was found) or the translation.
    public var prediction: String
    public var gold: String
    /// acc / exact match; nil for translation.
    public var correct: Bool?
    /// Log-likelihood tasks: acc_norm and the log-likelihood of every choice.
    public var correctNormalized: Bool?
    public var logLikelihoods: [Double]?
    /// Generative tasks: the raw output (cut at the stop strings), how it stopped, and the extraction rule.
    public var output: String?
    public var stoppedBy: String?
    public var extraction: String?
    /// Translation: sentence chrF and chrF++, their sacreBLEU statistics (for corpus scores), the output's language.
    public var chrF: Double?
    public var chrFPlusPlus: Double?
    public var chrFStatistics: [Int]?
    public var chrFPlusPlusStatistics: [Int]?
    public var outputLanguage: String?
    public var outputLanguageMatches: Bool?
    /// Token positions the model evaluated for this item (prompt and generated or continuation tokens).
    public var tokens: Int

    public init(id: String, prediction: String, gold: String, correct: Bool?, tokens: Int) {
        self.id = id
        self.prediction = prediction
        self.gold = gold
        self.correct = correct
        self.tokens = tokens
    }
}
