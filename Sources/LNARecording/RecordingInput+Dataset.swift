import LNAData

extension RecordingInput {
    /// The sequences of one language of a loaded dataset.
    ///
    /// With `instructionData` (NJUNLP files: instruction + model answers) every instruction/response pair
    /// gives full and prefix statistics; otherwise every text is recorded as it is (SIB-200 sentences, MGSM
    /// questions, plain text).
    ///
    /// ```swift
    /// let en = try Dataset.load(path: "answers.json", languages: ["en"])[0]
    /// let input = RecordingInput.prepare(en, instructionData: true, maxLength: 4096) { tok.encode($0) }
    /// ```
    public static func prepare(_ entry: LanguageTexts, instructionData: Bool, maxLength: Int, twoPass: Bool = false,
                               encode: (String) -> [Int]) -> RecordingInput {
        guard instructionData else { return texts(entry.texts, maxLength: maxLength, encode: encode) }
        let pairs = entry.examples.flatMap { example in example.responses.map { (example.instruction, $0) } }
        return instructionPairs(pairs, maxLength: maxLength, twoPass: twoPass, encode: encode)
    }
}
