import Foundation

extension Tokenizer {
    /// The bytes llama.cpp's `llama_token_to_piece(id, special: false)` renders: control, unknown and unused
    /// tokens (BOS, EOS, chat markers) are empty, user-defined tokens are their text, `<0xNN>` is the byte, and
    /// ordinary pieces are their text with `▁` as space (SentencePiece) or decoded from the GPT-2 byte alphabet.
    /// An id outside the vocabulary renders empty.
    ///
    /// ```swift
    /// tokenizer.tokenBytes(2)      // [] (<bos>)
    /// tokenizer.tokenBytes(9259)   // Array("Hello".utf8)
    /// ```
    public func tokenBytes(_ id: Int) -> [UInt8] {
        guard vocabulary.tokens.indices.contains(id) else { return [] }
        let text = vocabulary.tokens[id]
        switch effectiveTypes[id] {
        case .control, .unknown, .unused, .undefined:
            return []
        case .userDefined:
            return Array(text.utf8)
        case .byte:
            let utf8 = Array(text.utf8)
            guard utf8.count == 6, let value = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16) else {
                return Array(text.utf8)
            }
            return [value]
        case .normal:
            if vocabulary.model == .gpt2 { return Self.byteLevelDecode(text) }
            return Array(text.replacingOccurrences(of: "\u{2581}", with: " ").utf8)
        }
    }

    /// llama.cpp's `llama_decode_text`: each character of the GPT-2 alphabet becomes its byte; any other character
    /// becomes `[UNK_BYTE_0x…]` followed by the whole piece (a marker that should never appear for real models).
    static func byteLevelDecode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let byte = ByteLevelAlphabet.byte(for: scalar.value) {
                bytes.append(byte)
            } else {
                let hex = String(scalar).utf8.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
                bytes.append(contentsOf: Array("[UNK_BYTE_0x\(hex)\(text)]".utf8))
            }
        }
        return bytes
    }

    /// The concatenated `tokenBytes` of `ids` as text (invalid UTF-8 is replaced by U+FFFD). With a space prefix
    /// vocabulary the one leading space that encoding added is removed, as llama.cpp's detokenizer does.
    /// A vocabulary read from a tokenizer.json decodes as Hugging Face's `decode(ids, skip_special_tokens=True)`
    /// instead: its `decoder` steps over the vocabulary strings, special added tokens left out.
    ///
    /// ```swift
    /// tokenizer.decode(tokenizer.encode("Hello world"))   // "Hello world"
    /// ```
    public func decode(_ ids: [Int]) -> String {
        if let pipeline = vocabulary.huggingFace { return pipeline.decode(ids, tokens: vocabulary.tokens) }
        var bytes: [UInt8] = []
        for id in ids {
            var piece = tokenBytes(id)
            if vocabulary.addSpacePrefix && bytes.isEmpty && piece.first == 0x20 { piece.removeFirst() }
            bytes.append(contentsOf: piece)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Vocabulary strings of `ids` exactly as stored (`▁` / `Ġ` spellings, `<0xNN>`); "" for an unknown id.
    ///
    /// ```swift
    /// tokenizer.pieces([2, 9259])   // ["<bos>", "Hello"]
    /// ```
    public func pieces(_ ids: [Int]) -> [String] {
        ids.map { vocabulary.tokens.indices.contains($0) ? vocabulary.tokens[$0] : "" }
    }

    /// The id of a vocabulary string, if present (first occurrence).
    public func id(of piece: String) -> Int? { vocabulary.tokens.firstIndex { $0.utf8.elementsEqual(piece.utf8) } }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
