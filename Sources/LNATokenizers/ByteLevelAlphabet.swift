/// GPT-2's reversible map between the 256 byte values and 256 printable code points: bytes `!`…`~`, `¡`…`¬` and
/// `®`…`ÿ` stand for themselves, the other 68 bytes take U+0100, U+0101, … in order (so a space is `Ġ`, U+0120).
///
/// ```swift
/// ByteLevelAlphabet.scalar(for: 0x20)          // "Ġ"
/// ByteLevelAlphabet.decode("Ġhello")           // [0x20, 0x68, …] (nil if a character is outside the alphabet)
/// ```
public enum ByteLevelAlphabet {
    /// Code point of each byte value.
    public static let byteToScalar: [UInt32] = {
        var map = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte) {
                map[byte] = UInt32(byte)
            } else {
                map[byte] = next
                next += 1
            }
        }
        return map
    }()

    /// Byte value of each alphabet code point (index = code point, value = byte or -1); covers U+0000…U+0143.
    static let scalarToByte: [Int16] = {
        var map = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in byteToScalar.enumerated() { map[Int(scalar)] = Int16(byte) }
        return map
    }()

    /// The alphabet character of a byte.
    public static func scalar(for byte: UInt8) -> Unicode.Scalar { Unicode.Scalar(byteToScalar[Int(byte)])! }

    /// The byte a code point stands for, or nil when it is not in the alphabet.
    @inline(__always)
    public static func byte(for scalar: UInt32) -> UInt8? {
        guard scalar < 0x144 else { return nil }
        let byte = scalarToByte[Int(scalar)]
        return byte < 0 ? nil : UInt8(byte)
    }

    /// The raw bytes a byte-level string stands for, or nil when it contains a character outside the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard let byte = byte(for: scalar.value) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// The byte-level string of raw bytes.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(scalar(for: byte)) }
        return String(scalars)
    }
}
