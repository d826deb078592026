/// A tiny 1-bit ASCII font (7×14 cells at a nominal 12 px, rasterised from DejaVu Sans Mono) used when no font file
/// can be opened, so charts still carry readable labels. Scaled by nearest neighbour to the requested size.
///
/// ```swift
/// if let g = BuiltinFont.glyph(for: "A", size: 24) { print(g.width, g.height) }   // 14 28
/// ```
public enum BuiltinFont {
    static let cellWidth = 7, cellHeight = 14, baselineRow = 11, nominalSize = 12.0

    /// The 14 row bytes of an ASCII character, or nil outside U+0020…U+007E.
    static func rows(for scalar: Unicode.Scalar) -> ArraySlice<UInt8>? {
        guard scalar.value >= 32, scalar.value < 127 else { return nil }
        let start = Int(scalar.value - 32) * cellHeight
        return data[start..<(start + cellHeight)]
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
