/// The parts of a tokenizer.json that run before the model, plus the model settings `TokenizerVocabulary` has no
/// field for: when a vocabulary carries one, `Tokenizer.encode` follows Hugging Face `tokenizers` —
/// added tokens cut out, then each text fragment normalised, pre-tokenized into words, and each word run through
/// the model (BPE by merge rank, or Unigram).
///
/// ```swift
/// let vocabulary = try TokenizerVocabulary(huggingFaceJSON: data, source: "tokenizer.json")
/// vocabulary.huggingFace?.componentSummary   // "normalizer Precompiled+Strip+Replace, pre-tokenizer Metaspace, Unigram"
/// ```
public struct HuggingFacePipeline: Sendable, Equatable {
    let normalizers: [TextNormalizer]
    let preTokenizers: [WordSplitter]
    /// Whether a ByteLevel pre-tokenizer ran: BPE tokens are spelled in the GPT-2 byte alphabet.
    let byteLevel: Bool
    /// Unigram piece scores (the `f64` of the file; empty for BPE).
    let unigramScores: [Double]
    /// `byte_fallback`: characters without a token become `<0xNN>` tokens.
    let byteFallback: Bool
    /// BPE `fuse_unk`: consecutive unknown characters give one unknown token.
    let fuseUnknown: Bool
    /// The `decoder` steps (empty: no decoder, tokens joined with spaces).
    let decoders: [TokenDecoder]
    let hasDecoder: Bool
    /// Ids of the added tokens marked `"special": true` (left out by `decode`, like `skip_special_tokens`).
    let specialAddedIDs: Set<Int>
    /// The component types, in order, for messages and `Tokenizer` descriptions.
    public let componentSummary: String
    /// The tokenizer.json text it was read from; exporting such a vocabulary writes it back unchanged.
    public let document: String

    public static func == (lhs: HuggingFacePipeline, rhs: HuggingFacePipeline) -> Bool {
        lhs.document == rhs.document
    }

    /// Hugging Face's `decode(ids, skip_special_tokens=True)` over the vocabulary strings.
    func decode(_ ids: [Int], tokens: [String]) -> String {
        let strings = ids.compactMap { id in
            tokens.indices.contains(id) && !specialAddedIDs.contains(id) ? tokens[id] : nil
        }
        if !hasDecoder { return strings.joined(separator: " ") }
        return TokenDecoder.decode(strings, with: decoders)
    }

    /// The words of one text fragment: normalizers, then pre-tokenizers. `startsText` says whether the fragment
    /// begins the encoded text (Metaspace `prepend_scheme: first`).
    func words(_ fragment: ArraySlice<UInt8>, startsText: Bool) -> [PreTokenizedWord] {
        var text = String(decoding: fragment, as: UTF8.self)
        for normalizer in normalizers { text = normalizer.apply(text) }
        guard !text.isEmpty else { return [] }
        var words = [PreTokenizedWord(bytes: Array(text.utf8), startsText: startsText)]
        for splitter in preTokenizers { words = splitter.apply(words) }
        return words
    }
}
