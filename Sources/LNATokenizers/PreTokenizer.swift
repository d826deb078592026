/// The word splitters that run before byte-level BPE, named as GGUF's `tokenizer.ggml.pre`, implemented as
/// hand-written scanners over Unicode code points that reproduce llama.cpp (`unicode.cpp`) exactly, including its
/// quirks (e.g. `\s+(?!\S)` never applies at the end of a fragment, categories from Unicode 15.1).
///
/// ```swift
/// let words = PreTokenizer.qwen2.split("Hello world 42")   // ["Hello", " world", " ", "4", "2"]
/// ```
public enum PreTokenizer: String, Sendable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2 = "gpt-2"
    /// SmolLM / StarCoder: every `\p{N}` code point on its own, then GPT-2.
    case smollm
    /// Qwen2: the Llama 3 pattern with single digits (`\p{N}` instead of `\p{N}{1,3}`).
    case qwen2
    /// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    case llama3 = "llama-bpe"

    /// The pre-tokenizer of a GGUF `tokenizer.ggml.pre` name, including llama.cpp's aliases.
    public init?(ggufName name: String) {
        switch name {
        case "gpt-2", "gpt2", "phi-2", "mpt", "olmo", "jais", "jina-es", "jina-de", "jina-v2-es", "jina-v2-de":
            self = .gpt2
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva":
            self = .smollm
        case "qwen2", "deepseek-r1-qwen", "stablelm2":
            self = .qwen2
        case "llama-bpe", "llama3", "llama-v3", "falcon3", "pixtral", "dbrx", "smaug-bpe":
            self = .llama3
        default:
            return nil
        }
    }

    /// The names `init(ggufName:)` accepts, for error messages.
    public static let supportedNames = ["gpt-2", "smollm", "qwen2", "llama-bpe", "starcoder", "llama3", "olmo", "mpt"]

    /// The original (Hugging Face) regular expression this pre-tokenizer reproduces; used by the tokenizer.json
    /// exporter and recognised by the importer.
    public var huggingFacePattern: String {
        switch self {
        case .gpt2, .smollm:
            return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        case .qwen2:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        case .llama3:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        }
    }

    /// Splits `text` into words (convenience for tests and tools).
    public func split(_ text: String) -> [String] {
        let scalars = text.unicodeScalars.map(\.value)
        var words: [String] = []
        var start = 0
        for end in wordEnds(scalars) {
            var view = String.UnicodeScalarView()
            for value in scalars[start..<end] { view.append(Unicode.Scalar(value)!) }
            words.append(String(view))
            start = end
        }
        return words
    }

    /// End positions (in code points) of the words of `scalars`, ascending; the last is `scalars.count`.
    func wordEnds(_ scalars: [UInt32]) -> [Int] {
        let flags = scalars.map { ScannerFlags(CodepointFlags.of($0)) }
        var ends = [scalars.count]
        if self == .smollm { ends = Self.isolateNumbers(flags, ends) }
        switch self {
        case .gpt2, .smollm: return Self.refine(ends) { Self.scanGPT2(scalars, flags, $0, $1, &$2) }
        case .qwen2: return Self.refine(ends) { Self.scanLlama3(scalars, flags, $0, $1, maxDigits: 1, &$2) }
        case .llama3: return Self.refine(ends) { Self.scanLlama3(scalars, flags, $0, $1, maxDigits: 3, &$2) }
        }
    }

    /// Runs `scan` on every segment `[previous end, end)` and collects the finer ends.
    private static func refine(_ ends: [Int], _ scan: (Int, Int, inout [Int]) -> Void) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(ends.count * 4)
        var start = 0
        for end in ends {
            scan(start, end, &result)
            start = end
        }
        return result
    }

    /// llama.cpp runs `\p{N}` through std::regex on a "collapsed" text; the effect is that every number code point
    /// becomes a word of its own and the stretches between them stay whole.
    private static func isolateNumbers(_ flags: [ScannerFlags], _ ends: [Int]) -> [Int] {
        refine(ends) { start, end, result in
            var pending = start
            for position in start..<end where flags[position].isNumber {
                if position > pending { result.append(position) }
                result.append(position + 1)
                pending = position + 1
            }
            if end > pending { result.append(end) }
        }
    }
}

/// Flags of one code point as the scanners test them; `none` stands for "outside the fragment" (llama.cpp's
/// all-zero flags, which match no class).
struct ScannerFlags {
    let bits: UInt16
    static let none = ScannerFlags(bits: 0)
    private static let whitespaceBit: UInt16 = 0x100

    init(bits: UInt16) { self.bits = bits }
    init(_ flags: CodepointFlags) { bits = UInt16(flags.rawValue) | (flags.isWhitespace ? Self.whitespaceBit : 0) }

    var isLetter: Bool { bits & UInt16(CodepointFlags.letterBit) != 0 }
    var isNumber: Bool { bits & UInt16(CodepointFlags.numberBit) != 0 }
    var isWhitespace: Bool { bits & Self.whitespaceBit != 0 }
    /// True for anything inside the fragment (llama.cpp's `as_uint() != 0`).
    var isSet: Bool { bits != 0 }
    /// `[^\s\p{L}\p{N}]` for a code point inside the fragment.
    var isOther: Bool { !(isWhitespace || isLetter || isNumber) && isSet }
}
