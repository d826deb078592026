/// The inline style and script of the report's neuron explorer (`ReportSections+Neurons.swift`): a table of
/// every identified neuron, filters by layer, class, language and score, and a card that opens on a click. The
/// data is a JSON block in the page (`<script type="application/json" id="nx-data">`); nothing is loaded from
/// outside the page.
///
/// Opening the page with `#selftest=LANG` runs a self-test after load (filter by LANG, click the first row) and
/// writes its findings as JSON into `<pre id="nx-selftest">`: the browser test of the report reads them from the
/// dumped DOM.
enum NeuronExplorerScript {
    static let css = """
    .nx-filters{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin:.5rem 0;font-size:.92rem}
    .nx-filters label{white-space:nowrap}.nx-filters input{width:5.5rem}
    .nx-body{display:flex;gap:1rem;align-items:flex-start}
    .nx-tablewrap{max-height:34rem;overflow:auto;border:1px solid #ddd;flex:0 0 auto}
    .nx-tablewrap table{margin:0}.nx-tablewrap tbody tr{cursor:pointer}
    .nx-tablewrap tbody tr:hover{background:#eef4fb}.nx-tablewrap tr.nx-selected{background:#d9e7f7}
    .nx-panel{flex:1 1 auto;min-width:0}
    .ncard{border:1px solid #ccd;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0;background:#fbfcfe}
    .ncard h4{margin:0 0 .3rem;font-size:1.05rem}.ncard .meta{color:#555;font-size:.88rem}
    .ncard .probs{display:flex;flex-wrap:wrap;gap:.2rem .7rem;font-size:.85rem;margin:.3rem 0}
    .ncard .probs span b{display:inline-block;height:.55rem;background:#4a7fc1;margin-left:.2rem;vertical-align:middle}
    .ncard .toks{font-size:.88rem;margin:.2rem 0}.ncard .tok{display:inline-block;border:1px solid #ccd;border-radius:3px;
      padding:0 .25rem;margin:.1rem;background:#fff;white-space:pre}
    .ncard .up .tok{border-color:#7bb37b}.ncard .down .tok{border-color:#d38b8b}
    .ncard .ctx{font-size:.9rem;margin:.15rem 0 .15rem 1rem;white-space:pre-wrap;word-break:break-word}
    .ncard .ctx mark{background:#ffe08a;padding:0 .1rem}.ncard .ctx .act{color:#777;font-size:.8rem;margin-right:.4rem}
    .ncard h5{margin:.5rem 0 .1rem;font-size:.92rem}
    """

    static let script = #"""
    (function () {
      "use strict";
      var data = JSON.parse(document.getElementById("nx-data").textContent);
      var langs = data.languages, cards = data.cards;
      var $ = function (id) { return document.getElementById(id); };
      function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text !== undefined) e.textContent = text;
        return e;
      }
      function fmt(x, d) { return (x === null || x === undefined) ? "–" : Number(x).toFixed(d); }
      function visible(t) { return t.replace(/ /g, "\u2423").replace(/\n/g, "\u23ce"); }

      function renderCard(c, target) {
        target.textContent = "";
        var box = el("div", "ncard");
        box.setAttribute("data-neuron", c.id);
        box.appendChild(el("h4", "", "Neuron " + c.id + " (layer " + c.layer + ", index " + c.neuron + ")"));
        box.appendChild(el("div", "meta", "class " + (c["class"] || "none") +
          (c.masks.length ? " — in the masks of " + c.masks.join(", ") : "") +
          " — score " + fmt(c.score, 4) + ", entropy " + fmt(c.entropy, 4)));
        var probs = el("div", "probs");
        langs.forEach(function (l) {
          var p = c.probability[l];
          var s = el("span", "", l + " " + fmt(p, 3));
          var bar = el("b");
          bar.style.width = Math.round((p || 0) * 60) + "px";
          s.appendChild(bar);
          probs.appendChild(s);
        });
        box.appendChild(el("h5", "", "Activation probability per language"));
        box.appendChild(probs);
        [["up", "Promotes (output weights through the unembedding)", c.promoted],
         ["down", "Suppresses", c.suppressed]].forEach(function (row) {
          box.appendChild(el("h5", "", row[1]));
          var d = el("div", "toks " + row[0]);
          row[2].forEach(function (t) {
            var s = el("span", "tok", visible(t.text));
            s.title = "id " + t.id + ", logit " + fmt(t.logit, 3);
            d.appendChild(s);
          });
          box.appendChild(d);
        });
        var ctx = c.contexts || {};
        // The languages of the neuron's masks first: their contexts are what the card is about.
        var order = c.masks.filter(function (l) { return ctx[l]; })
          .concat(Object.keys(ctx).filter(function (l) { return c.masks.indexOf(l) < 0; }));
        order.forEach(function (l) {
          if (!ctx[l].length) return;
          box.appendChild(el("h5", "", "Top contexts in " + l));
          ctx[l].forEach(function (x) {
            var line = el("div", "ctx");
            line.setAttribute("lang", l);
            line.setAttribute("data-lang", l);
            line.dir = "auto";
            line.appendChild(el("span", "act", fmt(x.activation, 3)));
            line.appendChild(document.createTextNode(x.left));
            line.appendChild(el("mark", "", x.token));
            line.appendChild(document.createTextNode(x.right));
            box.appendChild(line);
          });
        });
        target.appendChild(box);
      }

      var tbody = document.querySelector("#nx-table tbody");
      var rows = cards.map(function (c, i) {
        var tr = document.createElement("tr");
        var best = langs.reduce(function (a, l) { return (c.probability[l] || 0) > (c.probability[a] || 0) ? l : a; }, langs[0]);
        [c.id, String(c.layer), c["class"] || "", c.masks.join(" "), fmt(c.score, 4),
         best + " " + fmt(c.probability[best], 3), c.promoted.length ? visible(c.promoted[0].text) : ""]
          .forEach(function (v, k) { var td = el("td", k === 4 || k === 1 ? "num" : "", v); tr.appendChild(td); });
        tr.setAttribute("data-index", i);
        tr.addEventListener("click", function () {
          var old = tbody.querySelector("tr.nx-selected");
          if (old) old.classList.remove("nx-selected");
          tr.classList.add("nx-selected");
          renderCard(c, $("nx-card"));
        });
        tbody.appendChild(tr);
        return tr;
      });

      function fill(select, values) {
        values.forEach(function (v) { var o = el("option", "", String(v)); o.value = String(v); select.appendChild(o); });
      }
      var layers = [];
      cards.forEach(function (c) { if (layers.indexOf(c.layer) < 0) layers.push(c.layer); });
      layers.sort(function (a, b) { return a - b; });
      fill($("nx-layer"), layers);
      fill($("nx-class"), ["specific", "related", "general"]);
      fill($("nx-lang"), langs);

      function applyFilters() {
        var layer = $("nx-layer").value, cls = $("nx-class").value, lang = $("nx-lang").value;
        var maxScore = $("nx-score").value === "" ? Infinity : Number($("nx-score").value);
        var shown = 0;
        cards.forEach(function (c, i) {
          var ok = (layer === "" || String(c.layer) === layer) && (cls === "" || c["class"] === cls) &&
            (lang === "" || c.masks.indexOf(lang) >= 0) && !(c.score > maxScore);
          rows[i].style.display = ok ? "" : "none";
          if (ok) shown += 1;
        });
        $("nx-count").textContent = shown + " of " + cards.length + " neurons";
        return shown;
      }
      ["nx-layer", "nx-class", "nx-lang"].forEach(function (id) { $(id).addEventListener("change", applyFilters); });
      $("nx-score").addEventListener("input", applyFilters);
      applyFilters();

      // #neuron=17.1234 opens that card (a link into the report).
      var link = /^#neuron=(.+)$/.exec(location.hash);
      if (link) {
        var at = cards.findIndex(function (c) { return c.id === decodeURIComponent(link[1]); });
        if (at >= 0) {
          rows[at].click();
          rows[at].scrollIntoView({ block: "center" });
          document.getElementById("nx-filters").scrollIntoView();
        }
      }
      var m = /^#selftest=(.+)$/.exec(location.hash);
      if (m) {
        var lang = decodeURIComponent(m[1]), result = { before: applyFilters() };
        $("nx-lang").value = lang;
        $("nx-lang").dispatchEvent(new Event("change"));
        result.after = rows.filter(function (r) { return r.style.display !== "none"; }).length;
        var first = rows.filter(function (r) { return r.style.display !== "none"; })[0];
        if (first) {
          first.click();
          var card = $("nx-card").querySelector(".ncard");
          result.card = card ? card.getAttribute("data-neuron") : null;
          result.contexts = Array.prototype.map.call(
            $("nx-card").querySelectorAll('.ctx[data-lang="' + lang + '"]'), function (d) { return d.textContent; });
          result.promoted = Array.prototype.map.call($("nx-card").querySelectorAll(".up .tok"), function (d) { return d.textContent; });
        }
        result.errors = window.__nxErrors || [];
        result.top = Math.round($("nx-filters").getBoundingClientRect().top + window.scrollY);
        var pre = el("pre", "", JSON.stringify(result));
        pre.id = "nx-selftest";
        document.body.appendChild(pre);
      }
    })();
    """#

    /// Installed before the explorer's script: collects uncaught errors and console errors for the self-test.
    static let errorTrap = #"""
    window.__nxErrors = [];
    window.addEventListener("error", function (e) { window.__nxErrors.push(String(e.message)); });
    (function () { var orig = console.error; console.error = function () {
      window.__nxErrors.push(Array.prototype.join.call(arguments, " ")); return orig.apply(console, arguments); }; })();
    """#
}
