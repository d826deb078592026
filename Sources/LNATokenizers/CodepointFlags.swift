/// Unicode classes of one code point, exactly as llama.cpp's tokenizer sees them (`unicode_cpt_flags`).
///
/// llama.cpp's table (`unicode-data.cpp`) was generated from UnicodeData.txt of Unicode 15.1. Swift's standard
/// library knows a newer Unicode, so code points assigned after 15.1 are reported as *undefined* here; with that
/// rule the general categories agree with llama.cpp's table for all 0x110000 code points (checked by a dev script
/// against llama.cpp's generated table). White space is llama.cpp's own list (the `White_Space` property).
///
/// ```swift
/// let flags = CodepointFlags.of(0x00E9)   // "é"
/// flags.isLetter                          // true
/// ```
public struct CodepointFlags: Sendable, Equatable {
    /// The raw bits: one category bit (see the static members) plus `whitespaceBit`.
    public let rawValue: UInt8

    static let undefinedBit: UInt8 = 1 << 0
    static let numberBit: UInt8 = 1 << 1
    static let letterBit: UInt8 = 1 << 2
    static let separatorBit: UInt8 = 1 << 3
    static let markBit: UInt8 = 1 << 4
    static let punctuationBit: UInt8 = 1 << 5
    static let symbolBit: UInt8 = 1 << 6
    static let controlBit: UInt8 = 1 << 7

    public var isUndefined: Bool { rawValue & Self.undefinedBit != 0 }
    /// `\p{N}`: Nd, Nl, No.
    public var isNumber: Bool { rawValue & Self.numberBit != 0 }
    /// `\p{L}`: Lu, Ll, Lt, Lm, Lo.
    public var isLetter: Bool { rawValue & Self.letterBit != 0 }
    /// `\p{Z}`: Zs, Zl, Zp.
    public var isSeparator: Bool { rawValue & Self.separatorBit != 0 }
    /// `\p{M}`: Mn, Mc, Me.
    public var isMark: Bool { rawValue & Self.markBit != 0 }
    /// `\p{P}`.
    public var isPunctuation: Bool { rawValue & Self.punctuationBit != 0 }
    /// `\p{S}`.
    public var isSymbol: Bool { rawValue & Self.symbolBit != 0 }
    /// `\p{C}` except unassigned: Cc, Cf, Co, Cs.
    public var isControl: Bool { rawValue & Self.controlBit != 0 }
    /// llama.cpp's whitespace list: U+0009–000D, U+0020, U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029,
    /// U+202F, U+205F, U+3000.
    public let isWhitespace: Bool

    /// The flags of a code point (values above U+10FFFF and surrogates are undefined).
    @inline(__always)
    public static func of(_ codepoint: UInt32) -> CodepointFlags {
        guard codepoint < 0x110000 else { return CodepointFlags(rawValue: undefinedBit, isWhitespace: false) }
        return table[Int(codepoint)]
    }

    /// The newest Unicode version llama.cpp's table knows.
    static let tableUnicodeVersion = (major: 15, minor: 1)

    /// One entry per code point, built once on first use (about 50 ms).
    static let table: [CodepointFlags] = {
        var entries = [CodepointFlags](repeating: CodepointFlags(rawValue: undefinedBit, isWhitespace: false),
                                       count: 0x110000)
        for codepoint in 0..<0x110000 {
            guard let scalar = Unicode.Scalar(UInt32(codepoint)) else {
                entries[codepoint] = CodepointFlags(rawValue: controlBit, isWhitespace: false)  // surrogates: Cs
                continue
            }
            entries[codepoint] = CodepointFlags(rawValue: categoryBit(of: scalar),
                                                isWhitespace: whitespace.contains(UInt32(codepoint)))
        }
        return entries
    }()

    static let whitespace: Set<UInt32> = {
        var set = Set<UInt32>(0x0009...0x000D)
        set.formUnion(0x2000...0x200A)
        set.formUnion([0x0020, 0x0085, 0x00A0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000])
        return set
    }()

    static func categoryBit(of scalar: Unicode.Scalar) -> UInt8 {
        let properties = scalar.properties
        if let age = properties.age,
           (age.major, age.minor) > (tableUnicodeVersion.major, tableUnicodeVersion.minor) {
            return undefinedBit
        }
        switch properties.generalCategory {
        case .unassigned: return undefinedBit
        case .control, .format, .privateUse, .surrogate: return controlBit
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return letterBit
        case .spacingMark, .enclosingMark, .nonspacingMark: return markBit
        case .decimalNumber, .letterNumber, .otherNumber: return numberBit
        case .connectorPunctuation, .dashPunctuation, .closePunctuation, .finalPunctuation, .initialPunctuation,
             .otherPunctuation, .openPunctuation: return punctuationBit
        case .currencySymbol, .modifierSymbol, .mathSymbol, .otherSymbol: return symbolBit
        case .lineSeparator, .paragraphSeparator, .spaceSeparator: return separatorBit
        @unknown default: return undefinedBit
        }
    }
}
