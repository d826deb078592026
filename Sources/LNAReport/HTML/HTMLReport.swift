import Foundation
import LNAFiles

/// A self-contained, single-file HTML report: sections with headings, paragraphs, settings, data tables,
/// figures embedded as `data:image/png;base64,…` and file lists. No external resources; all text is escaped.
///
/// ```swift
/// var report = HTMLReport(title: "Language neurons of gemma3-270m")
/// var run = HTMLSection(title: "Run")
/// run.settings([("model", "gemma3-270m"), ("top rate", "1%")])
/// run.paragraph("Neurons were counted on 200 texts per language.")
/// report.add(run)
/// var ppl = HTMLSection(title: "Perplexity")
/// try ppl.figure(Figure(heatmap), caption: "Δ PPL after deactivating each language")
/// ppl.table(.matrix(rowHeader: "deactivated", rowLabels: rows, columnLabels: cols, values: grid, format: .fixed(2)))
/// report.add(ppl)
/// try report.write(to: URL(fileURLWithPath: "out/report.html"))
/// ```
public struct HTMLReport: Sendable {
    public var title: String
    public var subtitle: String?
    public var sections: [HTMLSection] = []
    /// Shown in the footer (e.g. "lna 0.1, 2026-11-22 05:40 UTC").
    public var footer: String?

    /// `HTMLReport(title: "lna ppl", subtitle: "gemma3-270m")`.
    public init(title: String, subtitle: String? = nil) {
        self.title = title; self.subtitle = subtitle
    }

    /// Appends a section: `report.add(section)`.
    public mutating func add(_ section: HTMLSection) { sections.append(section) }

    /// The whole document.
    public func html() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <header><h1>\(esc(title))</h1>
        """
        if let subtitle { out += "<p class=\"subtitle\">\(esc(subtitle))</p>" }
        out += "</header>\n"
        if sections.count > 1 {
            out += "<nav><ol>"
            for (i, s) in sections.enumerated() { out += "<li><a href=\"#\(anchor(i))\">\(esc(s.title))</a></li>" }
            out += "</ol></nav>\n"
        }
        for (i, s) in sections.enumerated() {
            out += "<section id=\"\(anchor(i))\">\n<h2>\(esc(s.title))</h2>\n"
            for block in s.blocks { out += render(block) + "\n" }
            out += "</section>\n"
        }
        if let footer { out += "<footer>\(esc(footer))</footer>\n" }
        out += "</body>\n</html>\n"
        return out
    }

    /// Writes the document atomically (UTF-8).
    public func write(to url: URL) throws {
        try AtomicFile.write(html(), to: url)
    }

    private func anchor(_ i: Int) -> String { "s\(i + 1)" }
    private func esc(_ s: String) -> String { XMLEscaping.text(s) }
    private func attr(_ s: String) -> String { XMLEscaping.attribute(s) }

    private func render(_ block: HTMLSection.Block) -> String {
        switch block {
        case .heading(let text): return "<h3>\(esc(text))</h3>"
        case .paragraph(let text): return "<p>\(esc(text))</p>"
        case .preformatted(let text): return "<pre>\(esc(text))</pre>"
        case .settings(let pairs):
            return "<table class=\"settings\"><tbody>"
                + pairs.map { "<tr><th scope=\"row\">\(esc($0.key))</th><td>\(esc($0.value))</td></tr>" }.joined()
                + "</tbody></table>"
        case .table(let table): return render(table)
        case .figure(let png, let width, let alt, let caption):
            let b64 = png.base64EncodedString()
            var s = "<figure><img src=\"data:image/png;base64,\(b64)\" alt=\"\(attr(alt))\" width=\"\(width)\">"
            if let caption { s += "<figcaption>\(esc(caption))</figcaption>" }
            return s + "</figure>"
        case .files(let files, let linked):
            return "<ul class=\"files\">" + files.map { f in
                let name = "<code>\(esc(f.path))</code>"
                return "<li>" + (linked ? "<a href=\"\(attr(Self.hrefPath(f.path)))\">\(name)</a>" : name)
                    + (f.note.map { " — \(esc($0))" } ?? "") + "</li>"
            }.joined() + "</ul>"
        case .markup(let html): return html
        }
    }

    /// Percent-encodes a relative path for an `href` (keeps `/`), so spaces and non-ASCII names work.
    static func hrefPath(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    private func render(_ t: DataTable) -> String {
        var s = "<div class=\"table-wrap\"><table class=\"data\">"
        if let caption = t.caption { s += "<caption>\(esc(caption))</caption>" }
        s += "<thead><tr>" + t.columns.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in t.rows {
            s += "<tr>"
            for (j, cell) in row.enumerated() {
                switch cell {
                case .text(let text): s += j == 0 ? "<th scope=\"row\">\(esc(text))</th>" : "<td>\(esc(text))</td>"
                case .number: s += "<td class=\"num\">\(esc(cell.display))</td>"
                case .missing: s += "<td class=\"num missing\">–</td>"
                }
            }
            s += "</tr>"
        }
        return s + "</tbody></table></div>"
    }

    static let css = """
    body{font-family:\(FontCatalog.cssFontFamily);color:#222;max-width:1100px;margin:2rem auto;padding:0 1rem;line-height:1.45}
    h1{font-size:1.6rem;margin:0}.subtitle{color:#666;margin:.2rem 0 0}
    h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem}
    nav ol{columns:2;color:#555}a{color:#1f5fa8}
    table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
    th,td{border:1px solid #ddd;padding:.25rem .55rem;text-align:left}thead th{background:#f4f4f4}
    td.num{text-align:right;font-variant-numeric:tabular-nums}td.missing{color:#999}
    table.settings th{background:#fafafa;font-weight:600}
    .table-wrap{overflow-x:auto}caption{caption-side:top;text-align:left;color:#555;padding-bottom:.2rem}
    figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
    figcaption{color:#555;font-size:.9rem}pre{background:#f7f7f7;padding:.6rem;overflow-x:auto}
    ul.files{padding-left:1.2rem}footer{margin-top:3rem;color:#888;font-size:.85rem}
    """
}

/// One section of an `HTMLReport`, built block by block in order.
///
/// ```swift
/// var s = HTMLSection(title: "Neurons")
/// s.heading("Per layer"); s.paragraph("Counts of language-specific neurons.")
/// try s.figure(Figure(barChart), caption: "stacked by class")
/// s.files([("neurons/mask.json", "masks per language")])
/// ```
public struct HTMLSection: Sendable {
    /// The content kinds of a section, rendered in order.
    public enum Block: Sendable {
        case heading(String)
        case paragraph(String)
        case preformatted(String)
        case settings([(key: String, value: String)])
        case table(DataTable)
        /// PNG bytes, display width in CSS px, alt text, caption.
        case figure(Data, width: Int, alt: String, caption: String?)
        /// Paths (relative to the report when `linked`) with optional notes.
        case files([(path: String, note: String?)], linked: Bool)
        /// Markup inserted as it is (interactive parts with inline `<script>`/`<style>`); the caller escapes.
        case markup(String)
    }

    public var title: String
    public var blocks: [Block] = []

    /// `HTMLSection(title: "Perplexity")`.
    public init(title: String) { self.title = title }

    /// A sub-heading (`<h3>`): `section.heading("Per layer")`.
    public mutating func heading(_ text: String) { blocks.append(.heading(text)) }
    /// A paragraph of escaped text: `section.paragraph("200 texts per language.")`.
    public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
    /// Monospaced text kept as is (e.g. the command line): `section.preformatted("lna ppl …")`.
    public mutating func preformatted(_ text: String) { blocks.append(.preformatted(text)) }
    /// A two-column key/value table (e.g. the run's settings), in the given order.
    public mutating func settings(_ pairs: [(String, String)]) { blocks.append(.settings(pairs.map { (key: $0.0, value: $0.1) })) }
    /// A data table: `section.table(DataTable(columns: ["a", "b"]))`.
    public mutating func table(_ table: DataTable) { blocks.append(.table(table)) }
    /// A list of output files with optional notes; `linked` makes each a link relative to the report's folder
    /// (a link, not an embedded resource: the report still opens on its own). `section.files([("grid.json", nil)])`.
    public mutating func files(_ files: [(String, String?)], linked: Bool = false) {
        blocks.append(.files(files.map { (path: $0.0, note: $0.1) }, linked: linked))
    }

    /// Renders the figure to PNG and embeds it, displayed at its natural (unscaled) width.
    public mutating func figure(_ figure: Figure, caption: String? = nil) throws {
        let scene = try figure.scene()
        let png = try PNGEncoder(channels: .rgb).encodeData(try figure.raster(of: scene))
        blocks.append(.figure(png, width: Int(scene.width.rounded()), alt: scene.title, caption: caption))
    }

    /// Inserts trusted markup as it is (an interactive widget with its inline script and style; it must load
    /// nothing from outside the page): `section.markup("<div id=\"explorer\"></div><script>…</script>")`.
    public mutating func markup(_ html: String) { blocks.append(.markup(html)) }

    /// Embeds PNG bytes made elsewhere.
    public mutating func image(png: Data, width: Int, alt: String, caption: String? = nil) {
        blocks.append(.figure(png, width: width, alt: alt, caption: caption))
    }
}
