extension Tokenizer {
    /// Token ids of `text`, as llama.cpp's `llama_tokenize(text, add_special: addSpecial, parse_special: false)`:
    /// BOS/EOS only when the vocabulary asks for them, user-defined tokens cut out of the text, control-token text
    /// (`<bos>`, `<|im_start|>`) tokenized as ordinary text.
    ///
    /// ```swift
    /// tokenizer.encode("Hello")                      // [2, 9259] for Gemma 3
    /// tokenizer.encode("Hello", addSpecial: false)   // [9259]
    /// ```
    public func encode(_ text: String, addSpecial: Bool = true) -> [Int] {
        var output: [Int] = []
        if addSpecial && vocabulary.addBOS, let bos = vocabulary.bosID { output.append(bos) }
        let bytes = Array(text.utf8)
        for fragment in splitter.split(bytes) {
            switch fragment {
            case .token(let id):
                output.append(id)
            case .text(let range):
                if let pipeline = vocabulary.huggingFace {
                    encodeHuggingFace(bytes[range], startsText: range.lowerBound == 0, pipeline, into: &output)
                } else {
                    encodeFragment(bytes[range], into: &output)
                }
            }
        }
        if addSpecial && vocabulary.addEOS, let eos = vocabulary.eosID { output.append(eos) }
        return output
    }

    /// Hugging Face `tokenizers`: normalizers and pre-tokenizers, then the model on each word.
    private func encodeHuggingFace(_ fragment: ArraySlice<UInt8>, startsText: Bool, _ pipeline: HuggingFacePipeline,
                                   into output: inout [Int]) {
        for word in pipeline.words(fragment, startsText: startsText) {
            switch algorithm {
            case .merges(let model):
                word.bytes.withUnsafeBufferPointer { model.encodeWord($0, into: &output) }
            case .unigram(let model):
                model.encodeWord(word.bytes, into: &output)
            case .scores(let model):
                model.encode(word.bytes, into: &output)
            }
        }
    }

    private func encodeFragment(_ fragment: ArraySlice<UInt8>, into output: inout [Int]) {
        switch algorithm {
        case .scores(let model):
            model.encode(escapedSpaces(fragment), into: &output)
        case .unigram(let model):
            model.encodeWord(Array(fragment), into: &output)
        case .merges(let model):
            guard let preTokenizer else {
                let escaped = escapedSpaces(fragment)
                escaped.withUnsafeBufferPointer { model.encodeWord($0, into: &output) }
                return
            }
            encodeWords(fragment, preTokenizer: preTokenizer, model: model, into: &output)
        }
    }

    /// SentencePiece normalisation: optional leading space, then every space as `▁` (U+2581).
    private func escapedSpaces(_ fragment: ArraySlice<UInt8>) -> [UInt8] {
        var escaped: [UInt8] = []
        escaped.reserveCapacity(fragment.count + 8)
        if vocabulary.addSpacePrefix { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for byte in fragment {
            if byte == 0x20 { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) } else { escaped.append(byte) }
        }
        return escaped
    }

    private func encodeWords(_ fragment: ArraySlice<UInt8>, preTokenizer: PreTokenizer, model: MergeModel,
                             into output: inout [Int]) {
        // Code points and the byte offset where each starts (the fragment is valid UTF-8: it came from a String
        // and was cut at token boundaries, which are whole characters).
        var scalars: [UInt32] = []
        var byteOffsets: [Int] = []
        scalars.reserveCapacity(fragment.count)
        byteOffsets.reserveCapacity(fragment.count + 1)
        let bytes = Array(fragment)
        var offset = 0
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            scalars.append(scalar.value)
            byteOffsets.append(offset)
            offset += UTF8.width(scalar)
        }
        byteOffsets.append(offset)
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            for end in preTokenizer.wordEnds(scalars) {
                let word = UnsafeBufferPointer(rebasing: buffer[byteOffsets[start]..<byteOffsets[end]])
                model.encodeWord(word, into: &output)
                start = end
            }
        }
    }
}
