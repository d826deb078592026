/// A rendered line of text as an 8-bit coverage mask, positioned relative to its pen origin.
///
/// ```swift
/// let mask = FontLibrary.shared.render("Δ PPL", size: 14)
/// image.drawMask(mask.pixels, maskWidth: mask.width, maskHeight: mask.height,
///                x: 10 - mask.originX, y: 40 - mask.baseline, color: .ink)
/// ```
public struct TextMask: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Coverage 0...255, row-major.
    public var pixels: [UInt8]
    /// Column of the pen's starting point inside the mask (positive when a glyph overhangs to the left).
    public var originX: Int
    /// Row of the baseline inside the mask.
    public var baseline: Int
    /// Horizontal advance of the whole run in pixels.
    public var advance: Double
    /// Characters no font could draw (drawn as boxes).
    public var missingCount: Int

    /// A mask from raw coverage bytes (`pixels.count == width * height`).
    public init(width: Int, height: Int, pixels: [UInt8], originX: Int, baseline: Int, advance: Double, missingCount: Int) {
        self.width = width; self.height = height; self.pixels = pixels
        self.originX = originX; self.baseline = baseline; self.advance = advance; self.missingCount = missingCount
    }

    /// A mask with nothing in it.
    public static let empty = TextMask(width: 0, height: 0, pixels: [], originX: 0, baseline: 0, advance: 0, missingCount: 0)

    /// The mask turned a quarter counter-clockwise (for text that reads bottom-to-top).
    public func rotatedCounterClockwise() -> TextMask {
        guard width > 0, height > 0 else { return self }
        var out = [UInt8](repeating: 0, count: width * height)
        // New size: height x width. Source (x, y) goes to (y, width - 1 - x).
        for y in 0..<height {
            for x in 0..<width {
                out[(width - 1 - x) * height + y] = pixels[y * width + x]
            }
        }
        return TextMask(width: height, height: width, pixels: out, originX: baseline, baseline: width - originX,
                        advance: advance, missingCount: missingCount)
    }
}
