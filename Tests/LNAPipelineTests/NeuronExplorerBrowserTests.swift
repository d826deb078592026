import Foundation
import Testing
import LNAAnalysis
import LNAData
import LNAModels
import LNAPipeline
import LNARecording
import LNATestSupport

/// The report's neuron explorer in a real browser: a small real run (Gemma-3-270M on SIB-200 dev sentences in
/// en, zh, ru with top contexts, NJUNLP masks, cards), its report opened in Debian's headless Chromium with
/// `#selftest=zh`. The page's self-test filters the table to Chinese neurons, clicks the first row and writes
/// what it saw into the DOM, which `--dump-dom` prints: no console errors, the filter narrows the table, the
/// card opens with its Chinese contexts in Han script.
@Suite(.serialized) struct NeuronExplorerBrowserTests {
    static let languages = ["en", "zh", "ru"]

    static func chromium() -> URL? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(URL.init(fileURLWithPath:))
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A run directory with activations + sidecars, masks.json and neurons/cards.json.
    func makeRun(_ model: Model, sib: URL) throws -> URL {
        let run = try TestResources.temporaryDirectory("explorer-run")
        let sets = try Dataset.load(path: sib.path, languages: Self.languages, split: .dev)
        let recorder = ActivationRecorder(model: model, modelSHA256: String(repeating: "0", count: 64))
        var settings = RecordingSettings()
        settings.topContexts = 3
        for set in sets {
            let input = RecordingInput.texts(Array(set.texts.prefix(8)), maxLength: 4096) { model.tokenizer.encode($0) }
            _ = try recorder.record(input, language: set.language.code, dataset: "sib200-dev", settings: settings,
                                    output: run.appendingPathComponent("activations/\(set.language.code).safetensors"))
        }
        let stats = try StatisticsLoader.load(run.appendingPathComponent("activations"), languages: Self.languages)
        let result = try NeuronIdentifier(probabilities: try ActivationProbabilities(statistics: stats))
            .identify(topRate: 0.01, lambda: 0.05)
        try (result.json(probabilityMode: .plain).serialized() + "\n").write(to: run.appendingPathComponent("masks.json"), atomically: true, encoding: .utf8)
        let builder = try NeuronCardBuilder.forRun(model: model, run: RunDirectory(run))
        // A few neurons of every mask keep the test fast (each projection is a 262k-row LM head product).
        let masks = result.masks
        var ids: [NeuronID] = []
        for k in masks.languages.indices {
            for flat in masks.flatIndices(language: k).prefix(6) {
                let id = NeuronID(layer: flat / masks.width, neuron: flat % masks.width)
                if !ids.contains(id) { ids.append(id) }
            }
        }
        try NeuronCardFile.write(builder.document(try builder.cards(for: ids)), to: NeuronCardFile.url(in: RunDirectory(run)))
        return run
    }

    @Test func explorerFiltersAndOpensCardsInHeadlessChromium() throws {
        guard let url = try TestResources.model("gemma3-270m"), let sib = try TestResources.shared("datasets/sib200") else { return }
        guard let chromium = Self.chromium() else {
            if TestResources.resourcesRequired { Issue.record("chromium is not installed (scripts/setup.sh installs it)") }
            return
        }
        let model = try Model.load(url: url)
        let run = try makeRun(model, sib: sib)
        defer { try? FileManager.default.removeItem(at: run) }
        let report = try RunReport(run: RunDirectory(run)).write()
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("Neuron explorer") && html.contains("top 5 specific neurons"))
        // One self-contained file: nothing loaded from elsewhere.
        for pattern in ["src=\"http", "href=\"http", "url(http", "<link "] { #expect(!html.contains(pattern), "\(pattern)") }

        let (dom, log) = try dumpDOM(chromium, page: report, fragment: "selftest=zh")
        guard let result = selfTest(in: dom) else {
            Issue.record("no self-test output in the dumped DOM; chromium log:\n\(log.suffix(3000))")
            return
        }
        let before = result["before"] as? Int ?? 0, after = result["after"] as? Int ?? 0
        #expect(after > 0 && after < before, "filter zh: \(before) → \(after) rows")
        #expect((result["errors"] as? [String])?.isEmpty == true, "page errors: \(result["errors"] ?? "?")")
        #expect(!log.contains("Uncaught"), "\(log.suffix(2000))")
        #expect(result["card"] is String, "no card opened")
        let contexts = result["contexts"] as? [String] ?? []
        #expect(!contexts.isEmpty, "the card shows no zh contexts")
        for context in contexts {
            #expect(context.unicodeScalars.contains { $0.properties.isIdeographic }, "not Han script: \(context)")
        }
        #expect(!(result["promoted"] as? [String] ?? []).isEmpty)
    }

    /// Runs headless Chromium on the page and returns the DOM after load (and the page's scripts) and its log.
    func dumpDOM(_ chromium: URL, page: URL, fragment: String) throws -> (dom: String, log: String) {
        let profile = try TestResources.temporaryDirectory("chromium-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = chromium
        // CI runs as root, where Chromium needs --no-sandbox.
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                             "--virtual-time-budget=10000", "--dump-dom", page.absoluteString + "#" + fragment]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while it runs (a full pipe would block it).
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let dom = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        return (String(decoding: dom, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// The JSON the page's self-test put into `<pre id="nx-selftest">`.
    func selfTest(in dom: String) -> [String: Any]? {
        guard let start = dom.range(of: "<pre id=\"nx-selftest\">"),
              let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else { return nil }
        let text = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
