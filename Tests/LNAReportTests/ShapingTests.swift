import Foundation
import LNAReport
import Testing

/// The golden written by scripts/dev/report-shaping-golden.sh with HarfBuzz's `hb-shape` on the Noto faces.
private struct ShapingGolden: Decodable {
    struct Glyph: Decodable { let g: UInt32; let cl: Int; let dx: Int32; let dy: Int32; let ax: Int32; let ay: Int32 }
    struct Case: Decodable {
        let name, prefix, text, script, direction, font, font_sha256: String
        let glyphs: [Glyph]
    }
    let cases: [Case]

    static func load() throws -> ShapingGolden {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/shaping-golden.json")
        return try JSONDecoder().decode(ShapingGolden.self, from: Data(contentsOf: url))
    }
}

private func sha256(ofFile path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
}

/// A Bengali conjunct, Bengali with a post-base vowel, a Thai word with a leading vowel and a stacked tone mark, an
/// Arabic lam-alef ligature and joining forms, Devanagari's reordered pre-base ি: each as the label "code + name",
/// shaped through FontLibrary's own itemisation (Latin run + script run), direction, face choice and cluster
/// offsets, must give exactly the glyphs `hb-shape` gives for the name alone on the same font file.
@Test func shapedLabelsMatchHBShapeGoldens() throws {
    let golden = try ShapingGolden.load()
    #expect(golden.cases.count == 7)
    let fonts = FontLibrary(catalog: .standard(environment: [:]))
    for c in golden.cases {
        guard FileManager.default.fileExists(atPath: c.font) else {
            Issue.record("\(c.name): font \(c.font) is missing (scripts/setup.sh installs fonts-noto-core)"); continue
        }
        let sha = try sha256(ofFile: c.font)
        guard sha == c.font_sha256 else {
            Issue.record("\(c.name): \(c.font) differs from the font of the golden (sha256 \(sha), golden \(c.font_sha256)); re-run scripts/dev/report-shaping-golden.sh and review the diff")
            continue
        }
        let runs = fonts.shape(c.prefix + c.text)
        let offset = c.prefix.unicodeScalars.count
        #expect(runs.count == 2, "\(c.name): runs \(runs.map(\.run.scriptTag))")
        guard runs.count == 2, let latin = runs.first(where: { $0.run.scriptTag == "Latn" }),
              let native = runs.first(where: { $0.run.scriptTag == c.script }) else {
            Issue.record("\(c.name): expected a Latn run and a \(c.script) run, got \(runs.map(\.run.scriptTag))"); continue
        }
        // The prefix (with its space) is one Latin run drawn by Noto Sans, on the left even before Arabic.
        #expect(latin.run.range == 0..<offset, "\(c.name)")
        #expect(latin.fontPath?.hasSuffix("NotoSans-Regular.ttf") == true, "\(c.name): \(latin.fontPath ?? "nil")")
        #expect(runs[0].run.scriptTag == "Latn", "\(c.name): the Latin prefix is drawn first")
        #expect(native.fontPath == c.font, "\(c.name): face \(native.fontPath ?? "none")")
        #expect(native.run.isRightToLeft == (c.direction == "rtl"), "\(c.name)")
        #expect(native.run.range == offset..<(offset + c.text.unicodeScalars.count), "\(c.name)")
        let got = native.glyphs.map { [Int($0.glyphID), $0.cluster - offset, Int($0.xOffset), Int($0.yOffset), Int($0.xAdvance), Int($0.yAdvance)] }
        let want = c.glyphs.map { [Int($0.g), $0.cl, Int($0.dx), Int($0.dy), Int($0.ax), Int($0.ay)] }
        #expect(got == want, "\(c.name): glyphs [id, cluster, dx, dy, ax, ay] differ from hb-shape")
    }
}

/// What the goldens mean, stated on the glyph streams: fewer glyphs than characters where the script joins them,
/// and the pre-base vowel drawn first although it comes after its consonant in the text.
@Test func shapingFormsConjunctsLigaturesAndReorders() throws {
    let fonts = FontLibrary(catalog: .standard(environment: [:]))
    guard fonts.hasScalableFonts else { Issue.record("no fonts installed: run scripts/setup.sh"); return }
    let conjunct = fonts.shape("ক্ষ")                      // KA + VIRAMA + SSA → one conjunct glyph
    #expect(conjunct.count == 1 && conjunct[0].glyphs.count == 1)
    let lamAlef = fonts.shape("لا")                         // LAM + ALEF → one ligature, cluster 0
    #expect(lamAlef.count == 1 && lamAlef[0].glyphs.map(\.cluster) == [0])
    let hindi = fonts.shape("कि")                           // KA + I-sign: the sign is drawn left of KA
    #expect(hindi.first?.glyphs.map(\.cluster) == [0, 0])
    #expect(hindi.first?.glyphs.first?.glyphID != fonts.shape("क").first?.glyphs.first?.glyphID)
    // Right-to-left: clusters descend left to right.
    let arabic = try #require(fonts.shape("عرب").first)
    #expect(arabic.run.isRightToLeft && arabic.glyphs.map(\.cluster) == [2, 1, 0])
    // Shaped text is narrower than glyph-by-glyph would be for a conjunct, and renders ink.
    #expect(fonts.render("বাংলা ক্ষ", size: 13).pixels.filter { $0 > 128 }.count > 10)
}

@Test func itemiserKeepsNeutralsWithTheirNeighbours() {
    func tags(_ s: String) -> [String] { ScriptItemizer.runs(Array(s.unicodeScalars)).map(\.scriptTag) }
    #expect(tags("bn বাংলা") == ["Latn", "Beng"])
    #expect(tags("zh 中文") == ["Latn", "Hani"])
    #expect(tags("ja 日本語のテキスト") == ["Latn", "Hani"])        // kana and kanji share a run
    #expect(tags("(বাংলা) 1") == ["Beng"])                        // leading/trailing neutrals join the script
    #expect(tags("−0.34") == ["Zyyy"])
    #expect(tags("") == [])
    let runs = ScriptItemizer.runs(Array("ar العربية".unicodeScalars))
    #expect(runs.map(\.isRightToLeft) == [false, true] && runs[0].range == 0..<3)
    // Visual order: a right-to-left label puts its Latin part on the left after reversal of the base direction.
    let rtl = ScriptItemizer.visualOrder(ScriptItemizer.runs(Array("العربية ar".unicodeScalars)))
    #expect(rtl.map(\.scriptTag) == ["Latn", "Arab"])
    let ltr = ScriptItemizer.visualOrder(ScriptItemizer.runs(Array("en עברית العربية".unicodeScalars)))
    #expect(ltr.map(\.scriptTag) == ["Latn", "Arab", "Hebr"])
}
