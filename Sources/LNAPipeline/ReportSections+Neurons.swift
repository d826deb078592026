import Foundation
import LNAData
import LNAFiles
import LNAReport

/// The report's neuron sections, from `<run>/neurons/cards.json` (`lna neuron MODEL --all --run RUN`):
/// the cards of the top 5 specific neurons of each paper language (static HTML), and the neuron explorer
/// (a filterable table of every identified neuron whose rows open their card; inline script, no server).
///
/// ```swift
/// for section in try NeuronReportSections.sections(runDirectory: run.url) { report.add(section) }
/// ```
public enum NeuronReportSections {
    /// Cards shown per language in the static section.
    public static let topPerLanguage = 5
    /// Contexts per language kept in the explorer's data (the full cards stay in cards.json).
    public static let explorerContexts = 3

    public static func sections(runDirectory: URL) throws -> [HTMLSection] {
        let file = NeuronCardFile.url(in: RunDirectory(runDirectory))
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let (model, languages, cards) = try NeuronCardFile.read(file)
        return [topCardsSection(cards, languages: languages, model: model), explorerSection(cards, languages: languages)]
    }

    /// The top `count` neurons of a language: its specific neurons (in its mask only), lowest score first (ties:
    /// layer, index); when it has fewer, the rest of its mask follows, fewest languages first, then by score.
    public static func topNeurons(_ cards: [NeuronCard], language: String, count: Int = topPerLanguage) -> [NeuronCard] {
        cards.filter { $0.maskLanguages.contains(language) }
            .sorted { ($0.maskLanguages.count, $0.score, $0.layer, $0.neuron) < ($1.maskLanguages.count, $1.score, $1.layer, $1.neuron) }
            .prefix(count).map { $0 }
    }

    /// The paper languages of the run first (their order), then the run's others.
    static func languageOrder(_ languages: [String]) -> [String] {
        let paper = Language.paperLanguages.map(\.code).filter(languages.contains)
        return paper + languages.filter { !paper.contains($0) }
    }

    static func topCardsSection(_ cards: [NeuronCard], languages: [String], model: String) -> HTMLSection {
        var section = HTMLSection(title: "Neuron cards: top \(topPerLanguage) specific neurons per language")
        section.paragraph("For each language, the \(topPerLanguage) neurons in its mask only with the lowest NJUNLP score (most selective; a language with fewer specific neurons continues with related ones). A card shows the neuron's activation probability per language, the tokens its output weights promote and suppress through \(model.isEmpty ? "the model" : model)'s unembedding (final norm and LM head), and its top-activating contexts per language (the token highlighted, 8 tokens either side).")
        var html = "<style>\(NeuronExplorerScript.css)</style>"
        for language in languageOrder(languages) {
            let top = topNeurons(cards, language: language)
            let specific = top.filter { $0.maskLanguages == [language] }.count
            html += "<h3>\(esc(LanguageLabels.label(language)))</h3>"
            if top.isEmpty { html += "<p>No neurons in this language's mask.</p>"; continue }
            if specific < top.count {
                html += "<p>\(specific == 0 ? "No" : "Only \(specific)") specific neuron\(specific == 1 ? "" : "s") in this run; the next cards are related neurons of its mask (fewest languages first).</p>"
            }
            for card in top { html += cardHTML(card, languages: languages, focus: language) }
        }
        section.markup(html)
        return section
    }

    /// One card as static HTML: the focus language's contexts (5) and, for comparison, English's (2).
    static func cardHTML(_ c: NeuronCard, languages: [String], focus: String) -> String {
        var s = "<div class=\"ncard\" data-neuron=\"\(c.id)\"><h4>Neuron \(c.id) (layer \(c.layer), index \(c.neuron))</h4>"
        s += "<div class=\"meta\">class \(esc(c.neuronClass ?? "none")) — in the masks of \(esc(c.maskLanguages.joined(separator: ", "))) — score \(String(format: "%.4f", c.score)), entropy \(String(format: "%.4f", c.entropy))</div>"
        s += "<h5>Activation probability per language</h5><div class=\"probs\">"
        for (language, p) in c.probabilities {
            s += "<span>\(esc(language)) \(String(format: "%.3f", p))<b style=\"width:\(Int((p * 60).rounded()))px\"></b></span>"
        }
        s += "</div>"
        for (cls, title, tokens) in [("up", "Promotes", c.promoted), ("down", "Suppresses", c.suppressed)] {
            s += "<h5>\(title)</h5><div class=\"toks \(cls)\">"
            s += tokens.map { "<span class=\"tok\" title=\"id \($0.id), logit \(String(format: "%.3f", $0.logit))\">\(esc(visible($0.text)))</span>" }.joined()
            s += "</div>"
        }
        for (language, entries) in c.contexts where language == focus || (language == "en" && focus != "en") {
            let shown = entries.prefix(language == focus ? 5 : 2)
            guard !shown.isEmpty else { continue }
            s += "<h5>Top contexts in \(esc(LanguageLabels.label(language)))</h5>"
            for e in shown {
                s += "<div class=\"ctx\" lang=\"\(esc(language))\" data-lang=\"\(esc(language))\" dir=\"auto\"><span class=\"act\">\(String(format: "%.3f", e.activation))</span>\(esc(e.left))<mark>\(esc(e.token))</mark>\(esc(e.right))</div>"
            }
        }
        return s + "</div>"
    }

    static func explorerSection(_ cards: [NeuronCard], languages: [String]) -> HTMLSection {
        var section = HTMLSection(title: "Neuron explorer")
        section.paragraph("Every neuron of the masks (\(cards.count)), specific first, then by score. Filter by layer, class, language (mask membership) and score (NJUNLP score, lower is more selective); click a row to open its card with up to \(explorerContexts) top contexts per language.")
        // Most selective first: a language filter then starts with that language's strongest neurons.
        let ordered = cards.sorted { ($0.maskLanguages.count, $0.score, $0.layer, $0.neuron) < ($1.maskLanguages.count, $1.score, $1.layer, $1.neuron) }
        let trimmed = ordered.map { card -> NeuronCard in
            var c = card
            c.contexts = c.contexts.map { ($0.language, Array($0.entries.prefix(explorerContexts))) }
            return c
        }
        let data: JSONDocument = .object([("languages", .array(languages.map { .string($0) })),
                                          ("cards", .array(trimmed.map { $0.json() }))])
        // "</script" or "<!--" inside the JSON would end or confuse the script element; "<" only occurs in strings.
        let json = data.serialized().replacingOccurrences(of: "<", with: "\\u003c")
        var html = "<style>\(NeuronExplorerScript.css)</style><script>\(NeuronExplorerScript.errorTrap)</script>"
        html += """
        <div class="nx-filters" id="nx-filters">
        <label>Layer <select id="nx-layer"><option value="">all</option></select></label>
        <label>Class <select id="nx-class"><option value="">all</option></select></label>
        <label>Language <select id="nx-lang"><option value="">all</option></select></label>
        <label>Score ≤ <input id="nx-score" type="number" step="0.01" placeholder="any"></label>
        <span id="nx-count"></span>
        </div>
        <div class="nx-body"><div class="nx-tablewrap"><table id="nx-table"><thead><tr><th>neuron</th><th>layer</th><th>class</th><th>masks</th><th>score</th><th>highest p</th><th>top promoted</th></tr></thead><tbody></tbody></table></div>
        <div class="nx-panel" id="nx-card"><p>Click a neuron to open its card.</p></div></div>
        """
        html += "<script type=\"application/json\" id=\"nx-data\">\(json)</script>"
        html += "<script>\(NeuronExplorerScript.script)</script>"
        section.markup(html)
        return section
    }

    static func esc(_ s: String) -> String { XMLEscaping.text(s) }

    static func visible(_ text: String) -> String {
        text.replacingOccurrences(of: " ", with: "␣").replacingOccurrences(of: "\n", with: "⏎")
    }
}
