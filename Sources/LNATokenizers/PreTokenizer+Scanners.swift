/// The two scanner families of llama.cpp's `unicode_regex_split_custom_*`: GPT-2 and Llama 3 / Qwen2.
extension PreTokenizer {
    /// Appends the ends of the words of `scalars[start..<end]` to `result` following the GPT-2 pattern.
    static func scanGPT2(_ scalars: [UInt32], _ allFlags: [ScannerFlags], _ start: Int, _ end: Int,
                         _ result: inout [Int]) {
        @inline(__always) func flags(_ position: Int) -> ScannerFlags {
            position < end ? allFlags[position] : .none
        }
        @inline(__always) func emit(_ position: Int) {
            if result.last.map({ position > $0 }) ?? (position > 0) { result.append(position) }
        }
        var position = start
        while position < end {
            let scalar = scalars[position]
            if let length = contractionLength(scalars, position, end, caseInsensitive: false) {
                position += length
                emit(position)
                continue
            }
            let ownFlags = allFlags[position]
            let isSpace = scalar == 0x20
            let probe = isSpace ? flags(position + 1) : ownFlags
            if probe.isLetter || probe.isNumber || probe.isOther {
                // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
                if isSpace { position += 1 }
                if probe.isLetter {
                    while flags(position).isLetter { position += 1 }
                } else if probe.isNumber {
                    while flags(position).isNumber { position += 1 }
                } else {
                    while flags(position).isOther { position += 1 }
                }
                emit(position)
                continue
            }
            var whitespaceCount = 0
            while flags(position + whitespaceCount).isWhitespace { whitespaceCount += 1 }
            if whitespaceCount > 1 && position + whitespaceCount < end {
                position += whitespaceCount - 1          // `\s+(?!\S)`: leave the last space to the next word
            } else if whitespaceCount > 0 {
                position += whitespaceCount              // `\s+`
            } else {
                position += 1                            // no alternative matches
            }
            emit(position)
        }
    }

    /// Appends the word ends of `scalars[start..<end]` following the Llama 3 pattern (`maxDigits` 3) or Qwen2's
    /// (`maxDigits` 1).
    static func scanLlama3(_ scalars: [UInt32], _ allFlags: [ScannerFlags], _ start: Int, _ end: Int,
                           maxDigits: Int, _ result: inout [Int]) {
        @inline(__always) func flags(_ position: Int) -> ScannerFlags {
            position < end ? allFlags[position] : .none
        }
        @inline(__always) func isLineBreak(_ position: Int) -> Bool {
            position < end && (scalars[position] == 0x0D || scalars[position] == 0x0A)
        }
        @inline(__always) func emit(_ position: Int) {
            if result.last.map({ position > $0 }) ?? (position > 0) { result.append(position) }
        }
        var position = start
        while position < end {
            let scalar = scalars[position]
            let ownFlags = allFlags[position]
            if let length = contractionLength(scalars, position, end, caseInsensitive: true) {
                position += length
                emit(position)
                continue
            }
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if !(isLineBreak(position) || ownFlags.isNumber) && (ownFlags.isLetter || flags(position + 1).isLetter) {
                position += 1
                while flags(position).isLetter { position += 1 }
                emit(position)
                continue
            }
            // `\p{N}{1,maxDigits}`
            if ownFlags.isNumber {
                var groupStart = position
                while flags(position).isNumber {
                    position += 1
                    if position - groupStart >= maxDigits {
                        emit(position)
                        groupStart = position
                    }
                }
                emit(position)
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*` (llama.cpp tests the *own* flags for "inside the fragment")
            let probe = scalar == 0x20 ? flags(position + 1) : ownFlags
            if !(probe.isWhitespace || probe.isLetter || probe.isNumber) && ownFlags.isSet {
                if scalar == 0x20 { position += 1 }
                while flags(position).isOther { position += 1 }
                while isLineBreak(position) { position += 1 }
                emit(position)
                continue
            }
            var whitespaceCount = 0
            var lastLineBreakEnd = 0
            while flags(position + whitespaceCount).isWhitespace {
                if isLineBreak(position + whitespaceCount) { lastLineBreakEnd = position + whitespaceCount + 1 }
                whitespaceCount += 1
            }
            if lastLineBreakEnd > 0 {
                position = lastLineBreakEnd                  // `\s*[\r\n]+`
            } else if whitespaceCount > 1 && position + whitespaceCount < end {
                position += whitespaceCount - 1              // `\s+(?!\S)`
            } else if whitespaceCount > 0 {
                position += whitespaceCount                  // `\s+`
            } else {
                position += 1
            }
            emit(position)
        }
    }

    /// Length of a contraction `'s 't 'm 'd 're 've 'll` at `position` (2 or 3), or nil. Only ASCII letters
    /// lower-case to s/t/m/d/r/e/v/l in llama.cpp's table, so ASCII case folding is exact.
    @inline(__always)
    private static func contractionLength(_ scalars: [UInt32], _ position: Int, _ end: Int,
                                          caseInsensitive: Bool) -> Int? {
        guard scalars[position] == 0x27, position + 1 < end else { return nil }
        @inline(__always) func folded(_ value: UInt32) -> UInt32 {
            caseInsensitive && (0x41...0x5A).contains(value) ? value + 0x20 : value
        }
        let next = folded(scalars[position + 1])
        if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 { return 2 }   // s t m d
        guard position + 2 < end else { return nil }
        let afterNext = folded(scalars[position + 2])
        if (next == 0x72 && afterNext == 0x65) || (next == 0x76 && afterNext == 0x65)
            || (next == 0x6C && afterNext == 0x6C) { return 3 }                     // re ve ll
        return nil
    }
}
