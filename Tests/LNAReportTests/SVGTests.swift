import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LNAReport
import Testing

/// Collects element names and text so the tests can check the SVG is well-formed and says what it should.
final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts: [String] = []
    var current = ""
    var attributes: [[String: String]] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        elements.append(name); self.attributes.append(attributes); current = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current) }
        current = ""
    }
}

func parseSVG(_ svg: String) throws -> SVGCollector {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = SVGCollector()
    parser.delegate = collector
    let ok = parser.parse()
    #expect(ok, "SVG is not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")")
    return collector
}

@Test func heatmapSVGIsWellFormedAndHasEveryLabel() throws {
    let svg = try Figure(deltaHeatmap()).svg()
    let parsed = try parseSVG(svg)
    #expect(parsed.elements.first == "svg")
    for label in languageNames + ["none", "deactivated language", "evaluated language", "Δ PPL", "+9.00"] {
        #expect(parsed.texts.contains(label), "missing label \(label)")
    }
    #expect(parsed.texts.contains("Δ perplexity <after> deactivation"))   // escaped in the file, intact when parsed
    #expect(svg.contains("&lt;after&gt;"))
    #expect(svg.contains("font-family="))
    #expect(parsed.elements.filter { $0 == "rect" }.count > 42)
}

@Test func everyChartKindGivesValidSVG() throws {
    let charts: [any Chart] = [
        BarChart(categories: ["0", "1"], series: [BarSeries(name: "a & b", values: [1, 2])], mode: .stacked),
        Histogram(labels: ["1", "2"], counts: [3, 4]),
        LineChart(series: [LineSeries(name: "\"quoted\" <x>", values: [1, 2, 3])]),
        ChartGrid(charts: [Histogram(labels: ["1"], counts: [1])], columns: 1, title: "grid"),
    ]
    for chart in charts {
        let parsed = try parseSVG(try Figure(chart).svg())
        #expect(parsed.elements.contains("text"))
    }
}

@Test func escapingDropsForbiddenControlCharacters() throws {
    #expect(XMLEscaping.text("a<b>&c\u{01}") == "a&lt;b&gt;&amp;c")
    #expect(XMLEscaping.attribute("say \"hi\" 'x'") == "say &quot;hi&quot; &#39;x&#39;")
    var scene = Scene(width: 10, height: 10, title: "t\u{0B}")
    scene.items.append(.text("x\u{00}y", at: Point(x: 0, y: 5), style: TextStyle()))
    _ = try parseSVG(SVGRenderer().render(scene))
}
