import CFreeType
import Foundation

/// Rasterises text with FreeType, choosing for every character the first face of a `FontCatalog` that has it.
/// Faces load lazily (a chart in Latin script opens one file). When no font file is usable, the built-in ASCII
/// bitmap font draws the text; characters nothing can draw become boxes. It never crashes on odd input.
///
/// Thread-safe: FreeType calls are serialised by a lock.
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

    /// A library over the given catalog. Files are only opened when a character needs them.
    public init(catalog: FontCatalog) {
        fallbackFolders = catalog.fallbackFolders
        var lib: FT_Library?
        if FT_Init_FreeType(&lib) == 0 { library = lib }
        regularChain = catalog.regular.map(slot(for:))
        boldChain = catalog.bold.map(slot(for:)) + regularChain
    }

    deinit {
        for case .loaded(let face) in states { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    /// True when at least one scalable font opened (otherwise only the built-in ASCII font is used).
    public var hasScalableFonts: Bool {
        lock.lock(); defer { lock.unlock() }
        return regularChain.contains { loadFace($0) != nil }
    }

    /// Width in pixels of `text` at `size` pixels per em.
    public func measure(_ text: String, size: Double, weight: FontWeight = .regular) -> Double {
        lock.lock(); defer { lock.unlock() }
        var pen = 0.0
        for scalar in TextShaper.visualScalars(text) { pen += glyph(for: scalar, size: size, weight: weight).glyph.advance }
        return pen
    }

    /// How many characters of `text` no font can draw (they would be boxes).
    public func missingCharacters(in text: String, weight: FontWeight = .regular) -> Int {
        lock.lock(); defer { lock.unlock() }
        return TextShaper.visualScalars(text).filter {
            !isWhitespace($0) && source(for: $0, weight: weight) == .missing
        }.count
    }

    /// Renders one line of text into a coverage mask.
    public func render(_ text: String, size: Double, weight: FontWeight = .regular) -> TextMask {
        lock.lock(); defer { lock.unlock() }
        var placed: [(glyph: Glyph, x: Double)] = []
        var pen = 0.0, missing = 0
        for scalar in TextShaper.visualScalars(text) {
            let (g, isMissing) = glyph(for: scalar, size: size, weight: weight)
            if isMissing { missing += 1 }
            placed.append((g, pen))
            pen += g.advance
        }
        var minX = 0, maxX = Int(pen.rounded(.up)), minY = -Int((size * 0.8).rounded(.up)), maxY = Int((size * 0.25).rounded(.up))
        for (g, x) in placed where g.width > 0 {
            let gx = Int(x.rounded()) + g.left
            minX = min(minX, gx); maxX = max(maxX, gx + g.width)
            minY = min(minY, -g.top); maxY = max(maxY, -g.top + g.height)
        }
        let w = max(1, maxX - minX), h = max(1, maxY - minY)
        var pixels = [UInt8](repeating: 0, count: w * h)
        for (g, x) in placed where g.width > 0 {
            let ox = Int(x.rounded()) + g.left - minX, oy = -g.top - minY
            for gy in 0..<g.height {
                for gx in 0..<g.width {
                    let v = g.pixels[gy * g.width + gx]
                    let i = (oy + gy) * w + ox + gx
                    if v > pixels[i] { pixels[i] = v }
                }
            }
        }
        return TextMask(width: w, height: h, pixels: pixels, originX: -minX, baseline: -minY, advance: pen, missingCount: missing)
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

    private func glyph(for scalar: Unicode.Scalar, size: Double, weight: FontWeight) -> (glyph: Glyph, missing: Bool) {
        let size = max(1, size)
        if isWhitespace(scalar) && scalar != " " && scalar != "\u{00A0}" {
            return (Glyph(pixels: [], width: 0, height: 0, left: 0, top: 0, advance: size * 0.3), false)
        }
        switch source(for: scalar, weight: weight) {
        case .face(let slot):
            if let g = faceGlyph(slot: slot, scalar: scalar, size: size) { return (g, false) }
            return (boxGlyph(size: size), true)
        case .builtin:
            return (BuiltinFont.glyph(for: scalar, size: size).map {
                Glyph(pixels: $0.pixels, width: $0.width, height: $0.height, left: 0, top: $0.top, advance: $0.advance)
            } ?? boxGlyph(size: size), false)
        case .missing:
            return (boxGlyph(size: size), true)
        }
    }

    private func faceGlyph(slot: Int, scalar: Unicode.Scalar, size: Double) -> Glyph? {
        guard let face = loadFace(slot) else { return nil }
        let index = FT_Get_Char_Index(face, FT_ULong(scalar.value))
        let key = GlyphKey(slot: slot, glyph: UInt32(index), size64: Int((size * 64).rounded()))
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
