import Foundation

/// A tiny 1-bit ASCII font (7×14 cells at a nominal 12 px, rasterised from DejaVu Sans Mono) used when no font file
/// can be opened, so charts still carry readable labels. Scaled by nearest neighbour to the requested size.
///
/// ```swift
/// if let g = BuiltinFont.glyph(for: "A", size: 24) { print(g.width, g.height) }   // 14 28
/// ```
public enum BuiltinFont {
    static let cellWidth = 7, cellHeight = 14, baselineRow = 11, nominalSize = 12.0

    /// The 14 row bytes of an ASCII character (or of its ASCII stand-in), or nil when there is none.
    static func rows(for scalar: Unicode.Scalar) -> ArraySlice<UInt8>? {
        guard let ascii = asciiStandIn(for: scalar) else { return nil }
        let start = Int(ascii.value - 32) * cellHeight
        return data[start..<(start + cellHeight)]
    }

    /// The character itself when printable ASCII; otherwise a look-alike for common typography (− – — ‘ ’ “ ” …)
    /// or the base letter of an accented Latin letter (é → e), so "Français" and "−0.3" stay readable.
    static func asciiStandIn(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        if scalar.value >= 32, scalar.value < 127 { return scalar }
        switch scalar.value {
        case 0x2212, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014: return "-"
        case 0x2018, 0x2019: return "'"
        case 0x201C, 0x201D: return "\""
        case 0x00A0, 0x2009, 0x202F: return " "
        case 0x00D7: return "x"
        default: break
        }
        let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first
        if let base, base.value >= 32, base.value < 127 { return base }
        return nil
    }

    /// A glyph at `size` px: coverage pixels, size, rows above the baseline (`top`) and advance.
    public static func glyph(for scalar: Unicode.Scalar, size: Double) -> (pixels: [UInt8], width: Int, height: Int, top: Int, advance: Double)? {
        guard let rows = rows(for: scalar) else { return nil }
        let scale = max(0.5, size / nominalSize)
        let w = max(1, Int((Double(cellWidth) * scale).rounded())), h = max(1, Int((Double(cellHeight) * scale).rounded()))
        var px = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            let bits = rows[rows.startIndex + min(cellHeight - 1, Int(Double(y) / scale))]
            for x in 0..<w {
                let sx = min(cellWidth - 1, Int(Double(x) / scale))
                if bits & (1 << (cellWidth - 1 - sx)) != 0 { px[y * w + x] = 255 }
            }
        }
        return (px, w, h, Int((Double(baselineRow) * scale).rounded()), Double(w))
    }
}
