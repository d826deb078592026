import CFreeType
import CHarfBuzz
import Foundation

/// Lays out and rasterises one line of text in any script: the text is split into script runs
/// (`ScriptItemizer`), each run gets the first face of a `FontCatalog` that has all its characters (else one face
/// per character, marks staying with their base), HarfBuzz shapes each run (conjuncts, reordering, mark
/// positioning, Arabic joining and ligatures, right-to-left glyph order) and FreeType rasterises the glyphs it chose.
/// Faces load lazily (a chart in Latin script opens one file). When no font file is usable, the built-in ASCII
/// bitmap font draws the text; characters nothing can draw become boxes. It never crashes on odd input.
///
/// Thread-safe: FreeType and HarfBuzz calls are serialised by a lock.
///
/// ```swift
/// let fonts = FontLibrary.shared
/// let width = fonts.measure("বাংলা", size: 13)
/// let mask = fonts.render("中文", size: 13, weight: .bold)
/// ```
public final class FontLibrary: @unchecked Sendable {
    /// The library on the standard Debian font locations (see `FontCatalog.standard()`).
    public static let shared = FontLibrary(catalog: .standard())

    private struct Glyph {
        var pixels: [UInt8]
        var width: Int
        var height: Int
        var left: Int
        var top: Int
        var advance: Double
    }

    private enum Source: Equatable { case face(Int), builtin, missing }
    private enum SlotState { case unloaded, loaded(FT_Face), failed }
    private struct GlyphKey: Hashable { var slot: Int; var glyph: UInt32; var size64: Int }
    private struct ScalarKey: Hashable { var scalar: UInt32; var weight: FontWeight }

    private let lock = NSLock()
    private var library: FT_Library?
    private var paths: [String] = []
    private var states: [SlotState] = []
    private var regularChain: [Int] = []
    private var boldChain: [Int] = []
    private var fallbackFolders: [String]
    private var scannedFallbacks = false
    private var sourceCache: [ScalarKey: Source] = [:]
    private var glyphCache: [GlyphKey: Glyph] = [:]
    private var hbFonts: [Int: OpaquePointer] = [:]
    private var scriptChains: [String: [Int]] = [:]
    private var boldScriptChains: [String: [Int]] = [:]
    private var lineCache: [LineKey: Line] = [:]

    /// A library over the given catalog. Files are only opened when a character needs them.
    public init(catalog: FontCatalog) {
        fallbackFolders = catalog.fallbackFolders
        var lib: FT_Library?
        if FT_Init_FreeType(&lib) == 0 { library = lib }
        regularChain = catalog.regular.map(slot(for:))
        boldChain = catalog.bold.map(slot(for:)) + regularChain
        scriptChains = catalog.scriptFaces.mapValues { $0.map(slot(for:)) }
        boldScriptChains = catalog.scriptFaces.keys.reduce(into: [:]) { chains, tag in
            chains[tag] = (catalog.boldScriptFaces[tag] ?? []).map(slot(for:)) + (scriptChains[tag] ?? [])
        }
    }

    deinit {
        for font in hbFonts.values { hb_font_destroy(font) }
        for case .loaded(let face) in states { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    /// True when at least one scalable font opened (otherwise only the built-in ASCII font is used).
    public var hasScalableFonts: Bool {
        lock.lock(); defer { lock.unlock() }
        return regularChain.contains { loadFace($0) != nil }
    }

    /// Width in pixels of `text` at `size` pixels per em, after shaping.
    public func measure(_ text: String, size: Double, weight: FontWeight = .regular) -> Double {
        lock.lock(); defer { lock.unlock() }
        let size = max(1, size)
        return layout(text, weight: weight).pieces.reduce(0) { $0 + advance(of: $1, size: size) }
    }

    /// How many characters of `text` no font can draw (they would be boxes).
    public func missingCharacters(in text: String, weight: FontWeight = .regular) -> Int {
        lock.lock(); defer { lock.unlock() }
        return layout(text, weight: weight).missingCount
    }

    /// The shaped runs of `text` in drawing order (left to right): which face draws each script run, and the
    /// glyph ids, clusters (scalar indices into `text`), advances and offsets HarfBuzz returned, in font units.
    /// Characters no face has form runs with `fontPath == nil`.
    ///
    /// ```swift
    /// let runs = FontLibrary.shared.shape("bn বাংলা")
    /// runs[1].fontPath   // ".../NotoSansBengali-Regular.ttf"; runs[1].glyphs.map(\.glyphID) == [42, 54, 6, 47, 54]
    /// ```
    public func shape(_ text: String, weight: FontWeight = .regular) -> [ShapedRun] {
        lock.lock(); defer { lock.unlock() }
        return layout(text, weight: weight).runs
    }

    /// Renders one line of text into a coverage mask.
    public func render(_ text: String, size: Double, weight: FontWeight = .regular) -> TextMask {
        lock.lock(); defer { lock.unlock() }
        let size = max(1, size)
        let line = layout(text, weight: weight)
        var placed: [(glyph: Glyph, x: Double, rise: Double)] = []
        var pen = 0.0
        for piece in line.pieces {
            switch piece {
            case .glyph(let slot, let id, let advance, let dx, let dy):
                let g = faceGlyph(slot: slot, glyphIndex: id, size: size) ?? boxGlyph(size: size)
                placed.append((g, pen + dx * size, dy * size))
                pen += advance * size
            case .fallback(let scalar):
                let g = fallbackGlyph(for: scalar, size: size)
                placed.append((g, pen, 0))
                pen += g.advance
            }
        }
        var minX = 0, maxX = Int(pen.rounded(.up)), minY = -Int((size * 0.8).rounded(.up)), maxY = Int((size * 0.25).rounded(.up))
        for (g, x, rise) in placed where g.width > 0 {
            let gx = Int(x.rounded()) + g.left, gy = -g.top - Int(rise.rounded())
            minX = min(minX, gx); maxX = max(maxX, gx + g.width)
            minY = min(minY, gy); maxY = max(maxY, gy + g.height)
        }
        let w = max(1, maxX - minX), h = max(1, maxY - minY)
        var pixels = [UInt8](repeating: 0, count: w * h)
        for (g, x, rise) in placed where g.width > 0 {
            let ox = Int(x.rounded()) + g.left - minX, oy = -g.top - Int(rise.rounded()) - minY
            for gy in 0..<g.height {
                for gx in 0..<g.width {
                    let v = g.pixels[gy * g.width + gx]
                    let i = (oy + gy) * w + ox + gx
                    if v > pixels[i] { pixels[i] = v }
                }
            }
        }
        return TextMask(width: w, height: h, pixels: pixels, originX: -minX, baseline: -minY, advance: pen, missingCount: line.missingCount)
    }

    // MARK: - Shaping (call with the lock held)

    /// A drawable unit: a shaped glyph of a face (advance and offsets in em) or a character drawn on its own
    /// (built-in bitmap font, a blank for odd whitespace, or a box).
    private enum Piece {
        case glyph(slot: Int, id: UInt32, advance: Double, dx: Double, dy: Double)
        case fallback(Unicode.Scalar)
    }

    private struct Line {
        var pieces: [Piece]
        var runs: [ShapedRun]
        var missingCount: Int
    }

    private struct LineKey: Hashable { var text: String; var weight: FontWeight }

    /// Itemises `text` by script, picks a face per run (font fallback), shapes each run with HarfBuzz and
    /// orders the runs visually. Cached per text and weight.
    private func layout(_ text: String, weight: FontWeight) -> Line {
        let key = LineKey(text: text, weight: weight)
        if let cached = lineCache[key] { return cached }
        let scalars = Array(text.unicodeScalars)
        let codepoints = scalars.map(\.value)
        var pieces: [Piece] = [], runs: [ShapedRun] = [], missing = 0
        for run in ScriptItemizer.visualOrder(ScriptItemizer.runs(scalars)) {
            var segments = fontSegments(scalars, run: run, weight: weight)
            if run.isRightToLeft { segments.reverse() }
            for segment in segments {
                var sub = run
                sub.range = segment.range
                if let slot = segment.slot, let shaped = shapeSegment(codepoints, run: sub, slot: slot) {
                    runs.append(shaped)
                    let em = Double(shaped.unitsPerEm)
                    pieces += shaped.glyphs.map {
                        .glyph(slot: slot, id: $0.glyphID, advance: Double($0.xAdvance) / em,
                               dx: Double($0.xOffset) / em, dy: Double($0.yOffset) / em)
                    }
                } else {
                    let drawn = run.isRightToLeft ? Array(scalars[segment.range].reversed()) : Array(scalars[segment.range])
                    runs.append(ShapedRun(fontPath: nil, unitsPerEm: 0, run: sub, glyphs: []))
                    pieces += drawn.map(Piece.fallback)
                    missing += drawn.filter { !isWhitespace($0) && !Self.isDefaultIgnorable($0) && source(for: $0, weight: weight) == .missing }.count
                }
            }
        }
        let line = Line(pieces: pieces, runs: runs, missingCount: missing)
        if lineCache.count > 20_000 { lineCache.removeAll(keepingCapacity: true) }
        lineCache[key] = line
        return line
    }

    /// Splits a script run by the face that draws it: the first face (the script's own faces first, then the
    /// chain) that has every character of the run, else the first face per character (a combining mark or joiner stays with its base's face), so a
    /// Latin label with one CJK character still uses one Latin face for the rest. `slot` nil: no face has it.
    private func fontSegments(_ scalars: [Unicode.Scalar], run: ScriptRun, weight: FontWeight) -> [(range: Range<Int>, slot: Int?)] {
        // The faces made for the run's script first (Noto Sans Arabic before DejaVu's Arabic), then the general chain.
        let preferred = (weight == .bold ? boldScriptChains : scriptChains)[run.scriptTag] ?? []
        let chain = preferred + (weight == .bold ? boldChain : regularChain)
        let needed = scalars[run.range].filter { !Self.isDefaultIgnorable($0) }
        if let whole = chain.first(where: { slot in needed.allSatisfy { has($0, slot: slot) } }) {
            return [(run.range, whole)]
        }
        var segments: [(range: Range<Int>, slot: Int?)] = []
        for i in run.range {
            let scalar = scalars[i]
            let followsBase = Self.isDefaultIgnorable(scalar) || Self.isMark(scalar)
            var slot: Int? = nil
            if followsBase, let last = segments.last { slot = last.slot }
            else if case .face(let s) = source(for: scalar, weight: weight) { slot = s }
            if let last = segments.last, last.slot == slot, last.range.upperBound == i {
                segments[segments.count - 1].range = last.range.lowerBound..<(i + 1)
            } else {
                segments.append((i..<(i + 1), slot))
            }
        }
        return segments
    }

    /// HarfBuzz shaping of `run` (a range of the whole text, which stays as context) with the face in `slot`.
    private func shapeSegment(_ codepoints: [UInt32], run: ScriptRun, slot: Int) -> ShapedRun? {
        guard let font = hbFont(slot), let buffer = hb_buffer_create() else { return nil }
        defer { hb_buffer_destroy(buffer) }
        hb_buffer_add_utf32(buffer, codepoints, Int32(codepoints.count), UInt32(run.range.lowerBound), Int32(run.range.count))
        hb_buffer_set_script(buffer, run.script)
        hb_buffer_set_direction(buffer, run.isRightToLeft ? HB_DIRECTION_RTL : HB_DIRECTION_LTR)
        hb_shape(font, buffer, nil, 0)
        var count: UInt32 = 0
        guard let infos = hb_buffer_get_glyph_infos(buffer, &count), let positions = hb_buffer_get_glyph_positions(buffer, &count) else {
            return nil
        }
        let glyphs = (0..<Int(count)).map { i in
            ShapedGlyph(glyphID: infos[i].codepoint, cluster: Int(infos[i].cluster),
                        xAdvance: positions[i].x_advance, yAdvance: positions[i].y_advance,
                        xOffset: positions[i].x_offset, yOffset: positions[i].y_offset)
        }
        return ShapedRun(fontPath: paths[slot], unitsPerEm: Int(hb_face_get_upem(hb_font_get_face(font))), run: run, glyphs: glyphs)
    }

    /// The HarfBuzz font of a slot (OpenType font functions, scale = units per em), created on first use.
    private func hbFont(_ slot: Int) -> OpaquePointer? {
        if let font = hbFonts[slot] { return font }
        guard loadFace(slot) != nil, let blob = hb_blob_create_from_file_or_fail(paths[slot]) else { return nil }
        defer { hb_blob_destroy(blob) }
        guard let face = hb_face_create(blob, 0) else { return nil }
        defer { hb_face_destroy(face) }
        guard let font = hb_font_create(face) else { return nil }
        hbFonts[slot] = font
        return font
    }

    private func has(_ scalar: Unicode.Scalar, slot: Int) -> Bool {
        guard let face = loadFace(slot) else { return false }
        return FT_Get_Char_Index(face, FT_ULong(scalar.value)) != 0
    }

    /// Joiners, variation selectors and direction marks: HarfBuzz handles them, no face needs a glyph for them.
    static func isDefaultIgnorable(_ s: Unicode.Scalar) -> Bool { s.properties.isDefaultIgnorableCodePoint }

    static func isMark(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    private func advance(of piece: Piece, size: Double) -> Double {
        switch piece {
        case .glyph(_, _, let advance, _, _): return advance * size
        case .fallback(let scalar): return fallbackGlyph(for: scalar, size: size).advance
        }
    }

    // MARK: - Private (call with the lock held)

    private func slot(for path: String) -> Int {
        if let i = paths.firstIndex(of: path) { return i }
        paths.append(path); states.append(.unloaded)
        return paths.count - 1
    }

    private func loadFace(_ slot: Int) -> FT_Face? {
        switch states[slot] {
        case .loaded(let face): return face
        case .failed: return nil
        case .unloaded:
            guard let library, FileManager.default.fileExists(atPath: paths[slot]) else { states[slot] = .failed; return nil }
            var face: FT_Face?
            if FT_New_Face(library, paths[slot], 0, &face) == 0, let face, face.pointee.face_flags & FT_Long(FT_FACE_FLAG_SCALABLE) != 0 {
                states[slot] = .loaded(face)
                return face
            }
            if let face { FT_Done_Face(face) }
            states[slot] = .failed
            return nil
        }
    }

    private func isWhitespace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }

    private func source(for scalar: Unicode.Scalar, weight: FontWeight) -> Source {
        let key = ScalarKey(scalar: scalar.value, weight: weight)
        if let cached = sourceCache[key] { return cached }
        var found = firstFace(with: scalar, in: weight == .bold ? boldChain : regularChain)
        if found == nil, !fallbackFolders.isEmpty {
            scanFallbackFolders()
            found = firstFace(with: scalar, in: regularChain)
        }
        let result: Source
        if let found { result = .face(found) }
        else if BuiltinFont.rows(for: scalar) != nil, !regularChain.contains(where: { loadFace($0) != nil }) || scalar.value < 0x80 {
            result = .builtin
        } else { result = .missing }
        sourceCache[key] = result
        return result
    }

    private func firstFace(with scalar: Unicode.Scalar, in chain: [Int]) -> Int? {
        for slot in chain {
            if let face = loadFace(slot), FT_Get_Char_Index(face, FT_ULong(scalar.value)) != 0 { return slot }
        }
        return nil
    }

    /// Adds every `*-Regular.ttf` of the fallback folders to the end of the regular chain, once.
    private func scanFallbackFolders() {
        guard !scannedFallbacks else { return }
        scannedFallbacks = true
        for folder in fallbackFolders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() where name.hasSuffix("-Regular.ttf") && name.hasPrefix("NotoSans") {
                let path = (folder as NSString).appendingPathComponent(name)
                if !paths.contains(path) { regularChain.append(slot(for: path)) }
            }
        }
    }

    /// A character no face has, drawn on its own: a blank for joiners and odd whitespace, the built-in bitmap font
    /// (when no font file opened, or for ASCII), or a box.
    private func fallbackGlyph(for scalar: Unicode.Scalar, size: Double) -> Glyph {
        if Self.isDefaultIgnorable(scalar) { return Glyph(pixels: [], width: 0, height: 0, left: 0, top: 0, advance: 0) }
        if isWhitespace(scalar) && scalar != " " && scalar != "\u{00A0}" {
            return Glyph(pixels: [], width: 0, height: 0, left: 0, top: 0, advance: size * 0.3)
        }
        if source(for: scalar, weight: .regular) == .builtin, let b = BuiltinFont.glyph(for: scalar, size: size) {
            return Glyph(pixels: b.pixels, width: b.width, height: b.height, left: 0, top: b.top, advance: b.advance)
        }
        return boxGlyph(size: size)
    }

    /// The glyph `glyphIndex` of a face (as HarfBuzz chose it), rasterised at `size`; FreeType's advance is unused
    /// (HarfBuzz's unhinted advances place the glyphs).
    private func faceGlyph(slot: Int, glyphIndex: UInt32, size: Double) -> Glyph? {
        guard let face = loadFace(slot) else { return nil }
        let index = FT_UInt(glyphIndex)
        let key = GlyphKey(slot: slot, glyph: glyphIndex, size64: Int((size * 64).rounded()))
        if let cached = glyphCache[key] { return cached }
        guard FT_Set_Char_Size(face, 0, FT_F26Dot6(key.size64), 72, 72) == 0 else { return nil }
        // FT_LOAD_RENDER (1 << 2) with FT_LOAD_TARGET_LIGHT (1 << 16): light hinting keeps shapes faithful.
        guard FT_Load_Glyph(face, index, FT_Int32(1 << 2 | 1 << 16)) == 0, let slotPtr = face.pointee.glyph else { return nil }
        let bitmap = slotPtr.pointee.bitmap
        let width = Int(bitmap.width), height = Int(bitmap.rows), pitch = Int(bitmap.pitch)
        var pixels = [UInt8](repeating: 0, count: width * height)
        // Pixel mode 2 is FT_PIXEL_MODE_GRAY; other modes (mono bitmaps in CJK fonts) are expanded bit by bit.
        if let buffer = bitmap.buffer, width > 0, height > 0 {
            for y in 0..<height {
                let row = pitch >= 0 ? buffer + y * pitch : buffer + (height - 1 - y) * (-pitch)
                for x in 0..<width {
                    if bitmap.pixel_mode == 2 { pixels[y * width + x] = row[x] }
                    else if bitmap.pixel_mode == 1 { pixels[y * width + x] = (row[x / 8] >> (7 - UInt8(x % 8))) & 1 == 1 ? 255 : 0 }
                }
            }
        }
        let glyph = Glyph(pixels: pixels, width: width, height: height, left: Int(slotPtr.pointee.bitmap_left),
                          top: Int(slotPtr.pointee.bitmap_top), advance: Double(slotPtr.pointee.advance.x) / 64)
        glyphCache[key] = glyph
        return glyph
    }

    /// An outlined box ("tofu") for a character no font has.
    private func boxGlyph(size: Double) -> Glyph {
        let w = max(3, Int((size * 0.55).rounded())), h = max(4, Int((size * 0.72).rounded()))
        let stroke = max(1, Int((size / 14).rounded()))
        var px = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w where x < stroke || y < stroke || x >= w - stroke || y >= h - stroke { px[y * w + x] = 255 }
        }
        return Glyph(pixels: px, width: w, height: h, left: max(1, Int(size * 0.06)), top: h, advance: Double(w) + size * 0.15)
    }
}
