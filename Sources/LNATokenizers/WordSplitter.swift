/// One step of a tokenizer.json `pre_tokenizer` (a `Sequence` is flattened), with Hugging Face `tokenizers`
/// semantics: each step cuts every word of the previous step into finer words; empty words disappear.
///
/// ```swift
/// let words = WordSplitter.whitespaceSplit.apply([PreTokenizedWord(bytes: Array("a b".utf8), startsText: true)])
/// words.map { String(decoding: $0.bytes, as: UTF8.self) }   // ["a", "b"]
/// ```
enum WordSplitter: Sendable {
    /// `Metaspace`: spaces become `replacement`, which is put in front per `prepend`; with `split`, each
    /// replacement character starts a new word.
    case metaspace(replacement: Unicode.Scalar, prepend: PrependScheme, split: Bool)
    /// `WhitespaceSplit`: words between `White_Space` code points.
    case whitespaceSplit
    /// `Whitespace`: the matches of `\w+|[^\w\s]+`.
    case whitespace
    /// `Split` with a pattern and a delimiter behaviour.
    case split(TextPattern, SplitBehavior, invert: Bool)
    /// A `Split` whose regex is one of the hand-written scanners' (GPT-2, Qwen2, Llama 3), behaviour Isolated.
    case scanner(PreTokenizer)
    /// `ByteLevel`: an optional leading space, then the GPT-2 regex when `useRegex`. The words stay UTF-8; the
    /// byte-level alphabet is applied by the BPE model.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// `Digits`: every `\p{N}` code point alone (`individual`) or runs of them.
    case digits(individual: Bool)
    /// `Punctuation` (and the punctuation half of `BertPreTokenizer`): ASCII punctuation and `\p{P}`.
    case punctuation(SplitBehavior)

    enum PrependScheme: String, Sendable { case always, first, never }

    /// Hugging Face's `SplitDelimiterBehavior`, spelled as tokenizer.json spells it.
    enum SplitBehavior: String, Sendable {
        case removed = "Removed", isolated = "Isolated", mergedWithPrevious = "MergedWithPrevious"
        case mergedWithNext = "MergedWithNext", contiguous = "Contiguous"
    }

    func apply(_ words: [PreTokenizedWord]) -> [PreTokenizedWord] {
        var result: [PreTokenizedWord] = []
        result.reserveCapacity(words.count * 2)
        for word in words { split(word, into: &result) }
        return result
    }

    private func split(_ word: PreTokenizedWord, into result: inout [PreTokenizedWord]) {
        switch self {
        case let .metaspace(replacement, prepend, split):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(word.bytes.count + 8)
            let replacementBytes = Array(String(replacement).utf8)
            for byte in word.bytes {
                if byte == 0x20 { bytes.append(contentsOf: replacementBytes) } else { bytes.append(byte) }
            }
            let startsWithReplacement = bytes.starts(with: replacementBytes)
            if !bytes.isEmpty && !startsWithReplacement
                && (prepend == .always || (prepend == .first && word.startsText)) {
                bytes.insert(contentsOf: replacementBytes, at: 0)
            }
            let changed = PreTokenizedWord(bytes: bytes, startsText: word.startsText)
            if split {
                Self.cut(changed, Self.scalarMatches(bytes) { $0 == replacement }, .mergedWithNext, into: &result)
            } else if !bytes.isEmpty {
                result.append(changed)
            }
        case .whitespaceSplit:
            Self.cut(word, Self.scalarMatches(word.bytes) { $0.properties.isWhitespace }, .removed, into: &result)
        case .whitespace:
            Self.cutWordRuns(word, into: &result)
        case let .split(pattern, behavior, invert):
            var segments = Self.segments(word.bytes.count, pattern.matches(in: word.bytes))
            if invert { segments = segments.map { ($0.0, !$0.1) } }
            Self.cut(word, segments, behavior, into: &result)
        case .scanner(let scanner):
            Self.cutByScanner(word, scanner, into: &result)
        case let .byteLevel(addPrefixSpace, useRegex):
            var changed = word
            if addPrefixSpace && !changed.bytes.isEmpty && changed.bytes.first != 0x20 {
                changed.bytes.insert(0x20, at: 0)
            }
            if useRegex { Self.cutByScanner(changed, .gpt2, into: &result) } else if !changed.bytes.isEmpty {
                result.append(changed)
            }
        case .digits(let individual):
            let matches = Self.scalarMatches(word.bytes) { CodepointFlags.of($0.value).isNumber }
            Self.cut(word, matches, individual ? .isolated : .contiguous, into: &result)
        case .punctuation(let behavior):
            let matches = Self.scalarMatches(word.bytes) {
                0x21...0x2F ~= $0.value || 0x3A...0x40 ~= $0.value || 0x5B...0x60 ~= $0.value
                    || 0x7B...0x7E ~= $0.value || CodepointFlags.of($0.value).isPunctuation
            }
            Self.cut(word, matches, behavior, into: &result)
        }
    }

    // MARK: Hugging Face's NormalizedString.split

    /// `Pattern::find_matches`: the text cut into alternating non-match / match segments (matches may be empty).
    static func segments(_ count: Int, _ matches: [Range<Int>]) -> [(Range<Int>, Bool)] {
        guard count > 0 else { return [(0..<0, false)] }
        var segments: [(Range<Int>, Bool)] = []
        var previous = 0
        for match in matches {
            if previous != match.lowerBound { segments.append((previous..<match.lowerBound, false)) }
            segments.append((match, true))
            previous = match.upperBound
        }
        if previous != count { segments.append((previous..<count, false)) }
        return segments
    }

    /// The segments of a per-code-point predicate: each matching code point is a match of its own.
    static func scalarMatches(_ bytes: [UInt8], _ predicate: (Unicode.Scalar) -> Bool) -> [(Range<Int>, Bool)] {
        var matches: [Range<Int>] = []
        var offset = 0
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let width = UTF8.width(scalar)
            if predicate(scalar) { matches.append(offset..<offset + width) }
            offset += width
        }
        return segments(bytes.count, matches)
    }

    /// Applies a delimiter behaviour to the segments and appends the non-empty words.
    static func cut(_ word: PreTokenizedWord, _ segments: [(Range<Int>, Bool)], _ behavior: SplitBehavior,
                    into result: inout [PreTokenizedWord]) {
        var pieces: [(Range<Int>, remove: Bool)] = []
        switch behavior {
        case .isolated:
            pieces = segments.map { ($0.0, false) }
        case .removed:
            pieces = segments.map { ($0.0, $0.1) }
        case .contiguous:
            var previousMatch = false
            for (range, isMatch) in segments {
                if isMatch == previousMatch, let last = pieces.last {
                    pieces[pieces.count - 1] = (last.0.lowerBound..<range.upperBound, false)
                } else {
                    pieces.append((range, false))
                }
                previousMatch = isMatch
            }
        case .mergedWithPrevious:
            var previousMatch = false
            for (range, isMatch) in segments {
                if isMatch && !previousMatch, let last = pieces.last {
                    pieces[pieces.count - 1] = (last.0.lowerBound..<range.upperBound, false)
                } else {
                    pieces.append((range, false))
                }
                previousMatch = isMatch
            }
        case .mergedWithNext:
            var previousMatch = false
            for (range, isMatch) in segments.reversed() {
                if isMatch && !previousMatch, let last = pieces.last {
                    pieces[pieces.count - 1] = (range.lowerBound..<last.0.upperBound, false)
                } else {
                    pieces.append((range, false))
                }
                previousMatch = isMatch
            }
            pieces.reverse()
        }
        for (range, remove) in pieces where !remove && !range.isEmpty {
            result.append(PreTokenizedWord(bytes: Array(word.bytes[range]),
                                           startsText: word.startsText && range.lowerBound == 0))
        }
    }

    /// Words of a hand-written regex scanner (its matches cover the whole text, so Isolated keeps exactly them).
    static func cutByScanner(_ word: PreTokenizedWord, _ scanner: PreTokenizer, into result: inout [PreTokenizedWord]) {
        var scalars: [UInt32] = []
        var offsets: [Int] = []
        var offset = 0
        for scalar in String(decoding: word.bytes, as: UTF8.self).unicodeScalars {
            scalars.append(scalar.value)
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        var start = 0
        for end in scanner.wordEnds(scalars) where end > start {
            result.append(PreTokenizedWord(bytes: Array(word.bytes[offsets[start]..<offsets[end]]),
                                           startsText: word.startsText && start == 0))
            start = end
        }
    }

    /// `\w+|[^\w\s]+` (Rust regex `\w`: Alphabetic, marks, decimal digits, connector punctuation, joiners).
    static func cutWordRuns(_ word: PreTokenizedWord, into result: inout [PreTokenizedWord]) {
        enum Kind { case word, other, space }
        func kind(_ scalar: Unicode.Scalar) -> Kind {
            let properties = scalar.properties
            if properties.isWhitespace { return .space }
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return .word
            default: break
            }
            return properties.isAlphabetic || properties.isJoinControl ? .word : .other
        }
        var runStart = 0, offset = 0
        var runKind: Kind = .space
        func flush() {
            if runKind != .space && offset > runStart {
                result.append(PreTokenizedWord(bytes: Array(word.bytes[runStart..<offset]),
                                               startsText: word.startsText && runStart == 0))
            }
        }
        for scalar in String(decoding: word.bytes, as: UTF8.self).unicodeScalars {
            let current = kind(scalar)
            if current != runKind {
                flush()
                runStart = offset
                runKind = current
            }
            offset += UTF8.width(scalar)
        }
        flush()
    }
}

/// A piece of text on its way through the pre-tokenizers: UTF-8 bytes, and whether it begins at the start of the
/// encoded text (Metaspace's `prepend_scheme: first`).
struct PreTokenizedWord: Sendable, Equatable {
    var bytes: [UInt8]
    var startsText: Bool
}
