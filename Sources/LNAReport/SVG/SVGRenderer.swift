import Foundation

/// Writes a `Scene` as a standalone SVG 1.1 document. Text stays text (`<text>` with a font-family list), so
/// every script renders with the viewer's fonts and can be searched and copied.
///
/// ```swift
/// let svg: String = SVGRenderer().render(scene)
/// ```
public struct SVGRenderer: Sendable {
    public var fontFamily: String

    /// `SVGRenderer(fontFamily: "serif")`; the default lists fonts for every script.
    public init(fontFamily: String = FontCatalog.cssFontFamily) { self.fontFamily = fontFamily }

    /// The SVG document of a scene: `let svg = SVGRenderer().render(scene)`.
    public func render(_ scene: Scene) -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(n(scene.width))" height="\(n(scene.height))" \
        viewBox="0 0 \(n(scene.width)) \(n(scene.height))" font-family="\(XMLEscaping.attribute(fontFamily))">

        """
        if !scene.title.isEmpty { out += "<title>\(XMLEscaping.text(scene.title))</title>\n" }
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(scene.width))\" height=\"\(n(scene.height))\"\(fill(scene.background))/>\n"
        for item in scene.items { out += element(item) + "\n" }
        out += "</svg>\n"
        return out
    }

    /// Compact number formatting: at most 2 decimals, no trailing zeros.
    private func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        var s = String(format: "%.2f", r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    private func fill(_ c: Color) -> String {
        c.a == 255 ? " fill=\"\(c.hexString)\"" : " fill=\"\(c.hexString)\" fill-opacity=\"\(n(Double(c.a) / 255))\""
    }

    private func stroke(_ c: Color, _ width: Double) -> String {
        var s = " stroke=\"\(c.hexString)\" stroke-width=\"\(n(width))\""
        if c.a != 255 { s += " stroke-opacity=\"\(n(Double(c.a) / 255))\"" }
        return s
    }

    private func element(_ item: SceneItem) -> String {
        switch item {
        case .rect(let r, let f, let s, let sw, let tooltip):
            let attrs = "x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\""
                + fill(f) + (s.map { stroke($0, sw) } ?? "")
            if let tooltip { return "<rect \(attrs)><title>\(XMLEscaping.text(tooltip))</title></rect>" }
            return "<rect \(attrs)/>"
        case .polyline(let points, let color, let width, let dash):
            let pts = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
            let dashAttr = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash.map(n).joined(separator: " "))\""
            return "<polyline points=\"\(pts)\" fill=\"none\"\(stroke(color, width))\(dashAttr) stroke-linejoin=\"round\" stroke-linecap=\"round\"/>"
        case .circle(let c, let r, let f):
            return "<circle cx=\"\(n(c.x))\" cy=\"\(n(c.y))\" r=\"\(n(r))\"\(fill(f))/>"
        case .polygon(let points, let f):
            return "<polygon points=\"\(points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " "))\"\(fill(f))/>"
        case .text(let string, let at, let style):
            let anchor: String
            switch style.anchor {
            case .start: anchor = "start"
            case .middle: anchor = "middle"
            case .end: anchor = "end"
            }
            var attrs = "font-size=\"\(n(style.size))\"" + fill(style.color)
            if anchor != "start" { attrs += " text-anchor=\"\(anchor)\"" }
            if style.weight == .bold { attrs += " font-weight=\"bold\"" }
            switch style.rotation {
            case .none:
                attrs = "x=\"\(n(at.x))\" y=\"\(n(at.y + style.baselineShift))\" " + attrs
            case .up:
                let x = at.x + style.baselineShift
                attrs = "x=\"\(n(x))\" y=\"\(n(at.y))\" transform=\"rotate(-90 \(n(x)) \(n(at.y)))\" " + attrs
            }
            return "<text \(attrs)>\(XMLEscaping.text(string))</text>"
        }
    }
}

/// Escaping for XML/HTML text and attribute values. Control characters that XML 1.0 forbids are dropped.
///
/// ```swift
/// XMLEscaping.text("a < b & c")        // "a &lt; b &amp; c"
/// XMLEscaping.attribute("say \"hi\"")  // "say &quot;hi&quot;"
/// ```
public enum XMLEscaping {
    /// Escapes element text: `XMLEscaping.text("a<b")` is `"a&lt;b"`.
    public static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r" { continue }
                if scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a double- or single-quoted attribute value: `XMLEscaping.attribute("\"")` is `"&quot;"`.
    public static func attribute(_ s: String) -> String {
        text(s).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
            .replacingOccurrences(of: "\n", with: "&#10;")
    }
}
