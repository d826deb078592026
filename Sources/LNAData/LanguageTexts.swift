/// One instruction and the responses to it (NJUNLP, MGSM question + answer, MSVAMP query + response).
///
/// ```swift
/// let example = InstructionExample(instruction: "2+2=", responses: ["4"])
/// example.fullTexts   // ["2+24"]  (plain concatenation, as NJUNLP does)
/// ```
public struct InstructionExample: Sendable, Hashable, Codable {
    public var instruction: String
    public var responses: [String]

    public init(instruction: String, responses: [String]) {
        self.instruction = instruction
        self.responses = responses
    }

    /// `instruction + response` for each response, no separator (NJUNLP §1.4).
    public var fullTexts: [String] { responses.map { instruction + $0 } }
    /// The instruction once per response, so it stays aligned with `fullTexts`.
    public var prefixTexts: [String] { responses.map { _ in instruction } }
}

/// The texts of one language from one dataset (one split).
///
/// `texts` is what you feed a model or an identifier: sentences for SIB-200 and plain text, questions for MGSM
/// and MSVAMP, and NJUNLP's full texts (instruction + response). `examples` is filled for instruction data.
///
/// ```swift
/// let en = try Dataset.load(path: "sib200", languages: ["en"], split: .train)[0]
/// en.language.flores  // "eng_Latn"
/// en.texts.count      // 701
/// ```
public struct LanguageTexts: Sendable, Hashable, Codable {
    public var language: Language
    public var texts: [String]
    public var examples: [InstructionExample]
    /// Rows that were malformed and skipped (only with `skipBadRows: true`).
    public var skippedRows: Int

    public init(language: Language, texts: [String], examples: [InstructionExample] = [], skippedRows: Int = 0) {
        self.language = language
        self.texts = texts
        self.examples = examples
        self.skippedRows = skippedRows
    }

    /// NJUNLP full texts: `instruction + generated` per response, empty strings dropped (as the original's
    /// `[p for p in prompts if p]`).
    public var fullTexts: [String] { examples.flatMap(\.fullTexts).filter { !$0.isEmpty } }

    /// NJUNLP prefix texts: the instruction once per response, empty strings dropped. The original filters the
    /// two lists independently, so they differ in length only when an instruction is empty.
    public var prefixTexts: [String] { examples.flatMap(\.prefixTexts).filter { !$0.isEmpty } }
}
