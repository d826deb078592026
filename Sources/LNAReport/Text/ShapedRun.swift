/// One glyph as HarfBuzz placed it, in the font's units (`ShapedRun.unitsPerEm` per em).
///
/// ```swift
/// let g = FontLibrary.shared.shape("ไทย")[0].glyphs[0]
/// print(g.glyphID, g.cluster, g.xAdvance)
/// ```
public struct ShapedGlyph: Sendable, Equatable {
    /// Glyph index in the run's font (not a character).
    public var glyphID: UInt32
    /// Index (in Unicode scalars) of the first character of the text this glyph belongs to; a ligature or a
    /// conjunct shares one cluster, a right-to-left run lists clusters in descending order.
    public var cluster: Int
    public var xAdvance: Int32
    public var yAdvance: Int32
    public var xOffset: Int32
    public var yOffset: Int32

    public init(glyphID: UInt32, cluster: Int, xAdvance: Int32, yAdvance: Int32, xOffset: Int32, yOffset: Int32) {
        self.glyphID = glyphID; self.cluster = cluster
        self.xAdvance = xAdvance; self.yAdvance = yAdvance; self.xOffset = xOffset; self.yOffset = yOffset
    }
}

/// A run of text in one script and one face, shaped; `FontLibrary.shape` returns them in drawing order.
///
/// ```swift
/// for run in FontLibrary.shared.shape("th ไทย") { print(run.run.scriptTag, run.fontPath ?? "no font") }
/// ```
public struct ShapedRun: Sendable, Equatable {
    /// The face that draws the run; nil when no face has its characters (built-in font or boxes, no glyphs).
    public var fontPath: String?
    public var unitsPerEm: Int
    /// The script run (its range is the part of it this face draws).
    public var run: ScriptRun
    /// Glyphs in visual order (left to right).
    public var glyphs: [ShapedGlyph]
}
