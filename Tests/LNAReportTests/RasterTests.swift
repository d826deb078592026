import LNAReport
import Testing

@Test func fillRectCoversExactPixelsAndBlendsEdges() throws {
    var image = try RasterImage(width: 10, height: 10, background: .white)
    image.fillRect(x: 2, y: 2, width: 3, height: 3, color: .black)
    #expect(image.pixel(x: 2, y: 2) == .black && image.pixel(x: 4, y: 4) == .black)
    #expect(image.pixel(x: 5, y: 5) == .white && image.pixel(x: 1, y: 2) == .white)
    image.fillRect(x: 6.5, y: 0, width: 1, height: 1, color: .black)   // half of two pixels
    #expect(image.pixel(x: 6, y: 0) == Color(r: 128, g: 128, b: 128))
    #expect(image.pixel(x: 7, y: 0) == Color(r: 128, g: 128, b: 128))
}

@Test func linesAndCirclesPutInkWhereExpected() throws {
    var image = try RasterImage(width: 40, height: 40, background: .white)
    image.drawLine(from: Point(x: 5, y: 20.5), to: Point(x: 35, y: 20.5), width: 2, color: .black)
    #expect(image.pixel(x: 20, y: 20)!.r < 20)
    #expect(image.pixel(x: 20, y: 25) == .white)
    image.fillCircle(center: Point(x: 10, y: 10), radius: 4, color: Color(hex: 0xFF0000))
    #expect(image.pixel(x: 9, y: 9) == Color(hex: 0xFF0000))
    #expect(image.pixel(x: 2, y: 2) == .white)
    image.fillPolygon([Point(x: 25, y: 2), Point(x: 38, y: 2), Point(x: 38, y: 15)], color: .black)
    #expect(image.pixel(x: 36, y: 4) == .black && image.pixel(x: 26, y: 13) == .white)
}

@Test func translucentFillMixesWithBackground() throws {
    var image = try RasterImage(width: 2, height: 2, background: .white)
    image.fillRect(x: 0, y: 0, width: 2, height: 2, color: Color(r: 0, g: 0, b: 255, a: 128))
    let c = image.pixel(x: 0, y: 0)!
    #expect(c.b == 255 && abs(Int(c.r) - 127) <= 1 && c.a == 255)
}

@Test func builtinFontDrawsASCIIWithoutFontFiles() throws {
    let fonts = FontLibrary(catalog: .builtinOnly)
    #expect(!fonts.hasScalableFonts)
    let mask = fonts.render("Hi 42", size: 12)
    #expect(mask.missingCount == 0)
    #expect(mask.pixels.contains(255))
    #expect(abs(mask.advance - 35) < 0.01)            // 5 cells of 7 px
    #expect(fonts.missingCharacters(in: "中文") == 2)  // drawn as boxes, no crash
    #expect(fonts.missingCharacters(in: "Français −0.3 – “x”") == 0)   // ASCII stand-ins
    #expect(fonts.render("é", size: 12).pixels == fonts.render("e", size: 12).pixels)
    #expect(fonts.render("中", size: 20).pixels.contains(255))
}

@Test func missingFontFilesFallBackGracefully() throws {
    let fonts = FontLibrary(catalog: FontCatalog(regular: ["/nonexistent/a.ttf", "/etc/hostname"]))
    #expect(!fonts.hasScalableFonts)
    #expect(fonts.render("layer 3", size: 13).missingCount == 0)
    #expect(fonts.render("", size: 13).advance == 0)
    #expect(fonts.render("x", size: 0).width > 0)
}

@Test func rotatedMaskSwapsSides() {
    let mask = TextMask(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6], originX: 0, baseline: 2, advance: 3, missingCount: 0)
    let r = mask.rotatedCounterClockwise()
    #expect(r.width == 2 && r.height == 3)
    #expect(r.pixels == [3, 6, 2, 5, 1, 4])
}

/// Real fonts: the standard catalog must draw every script used for language names (needs the setup.sh fonts).
@Test func standardFontsCoverLanguageNamesInTheirScripts() throws {
    let fonts = FontLibrary.shared
    guard fonts.hasScalableFonts else {
        if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("no fonts installed: run scripts/setup.sh") }
        return
    }
    let names = ["English", "Русский", "Ελληνικά", "中文", "日本語", "한국어", "বাংলা", "हिन्दी", "ไทย", "తెలుగు",
                 "العربية", "עברית", "Kiswahili", "Tiếng Việt", "தமிழ்", "ქართული"]
    for name in names {
        #expect(fonts.missingCharacters(in: name) == 0, "\(name) has characters no font draws")
        let mask = fonts.render(name, size: 13)
        #expect(mask.pixels.filter { $0 > 128 }.count > 10, "\(name) renders no ink")
    }
    // Latin text at 13 px is about 6–8 px per character.
    let w = fonts.measure("language", size: 13)
    #expect(w > 40 && w < 75)
}

import Foundation

@Test func catalogHonoursLNAFontsAndChainsFaces() throws {
    let catalog = FontCatalog.standard(environment: ["LNA_FONTS": "/x/a.ttf:/x/b.otf"])
    #expect(Array(catalog.regular.prefix(2)) == ["/x/a.ttf", "/x/b.otf"])
    let dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    guard FileManager.default.fileExists(atPath: dejavu) else { return }
    // DejaVu alone draws Latin and Cyrillic but not Chinese; with no fallback folder the Chinese become boxes.
    let fonts = FontLibrary(catalog: FontCatalog(regular: ["/missing.ttf", dejavu]))
    #expect(fonts.hasScalableFonts)
    #expect(fonts.missingCharacters(in: "English Русский") == 0)
    #expect(fonts.missingCharacters(in: "中文") == 2)
    let mask = fonts.render("中文", size: 16)
    #expect(mask.missingCount == 2 && mask.pixels.contains(255))
}
