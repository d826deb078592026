import Foundation
import LNAReport
import Testing

@Test func htmlEscapesTextAndEmbedsFigures() throws {
    var report = HTMLReport(title: "Report <script>alert(1)</script>", subtitle: "a & b")
    var run = HTMLSection(title: "Run")
    run.settings([("model", "gemma3 \"270m\""), ("top rate", "1%")])
    run.paragraph("<b>not bold</b>")
    report.add(run)
    var ppl = HTMLSection(title: "Perplexity")
    try ppl.figure(Figure(deltaHeatmap()), caption: "Δ PPL")
    ppl.table(.matrix(rowHeader: "deactivated", rowLabels: ["none", "中文"], columnLabels: ["en", "zh"],
                      values: [[10.123, 12], [15.2, nil]], format: .fixed(2)))
    ppl.files([("ppl/grid.json", "the grid"), ("ppl/ppl-delta.png", nil)])
    ppl.files([("ppl/Δ grid.svg", "linked")], linked: true)
    report.add(ppl)
    let html = report.html()

    #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
    #expect(html.contains("&lt;b&gt;not bold&lt;/b&gt;") && html.contains("a &amp; b"))
    #expect(html.contains("<td>gemma3 \"270m\"</td>"))
    #expect(html.contains("<td class=\"num\">10.12</td>") && html.contains("<td class=\"num missing\">–</td>"))
    #expect(html.contains("<th scope=\"row\">中文</th>"))
    #expect(html.contains("<code>ppl/grid.json</code> — the grid"))
    #expect(html.contains("<a href=\"ppl/%CE%94%20grid.svg\"><code>ppl/Δ grid.svg</code></a> — linked"))
    // Self-contained: no external references.
    #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 1)
    #expect(!html.contains("src=\"http") && !html.contains("<link"))

    // The embedded image decodes to a PNG.
    let marker = "data:image/png;base64,"
    let start = try #require(html.range(of: marker)).upperBound
    let end = try #require(html[start...].firstIndex(of: "\""))
    let png = try #require(Data(base64Encoded: String(html[start..<end])))
    #expect(try DecodedPNG([UInt8](png)).width > 100)
    #expect(html.contains("<nav>"))
}

@Test func htmlReportWritesAtomically() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lna-html-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("report.html")
    var report = HTMLReport(title: "x")
    report.add(HTMLSection(title: "empty"))
    try report.write(to: url)
    #expect(try String(contentsOf: url, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.html"])
    // A missing folder is created; a path under a file cannot be written and leaves nothing behind.
    try report.write(to: dir.appendingPathComponent("missing/report.html"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("missing").path) == ["report.html"])
    #expect(throws: (any Error).self) { try report.write(to: url.appendingPathComponent("report.html")) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["missing", "report.html"])
}
