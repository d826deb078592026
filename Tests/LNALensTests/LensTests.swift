import Foundation
import LNAData
import LNAHooks
import LNALens
import LNAModels
import LNATestSupport
import Testing

/// The word list, the translation prompts, the per-layer reading and the logit lens on the real Gemma-3-270M.
@Suite(.serialized) struct LensTests {
    static let model: Model? = try? TestResources.model("gemma3-270m").map { try Model.load(url: $0) }

    static func requireModel() throws -> Model? {
        guard try TestResources.model("gemma3-270m") != nil else { return nil }
        return try #require(model)
    }

    @Test func builtinWordListHasTheTenPaperLanguagesAndNoRepeats() throws {
        let list = ParallelWordList.builtin
        #expect(list.languages == Language.paperLanguages.map(\.code))
        #expect(list.conceptCount >= 150)
        for (j, language) in list.languages.enumerated() {
            let column = list.rows.compactMap { $0[j] }
            #expect(column.count == list.conceptCount, "missing words in \(language)")
            #expect(Set(column).count == column.count, "a word repeats in \(language)")
        }
        #expect(list.word(concept: 6, language: "fr") == "fleur")
        #expect(list.word(concept: 6, language: "zh") == "花")
    }

    @Test func userListsInTSVAndJSONReadTheSame() throws {
        let dir = try TestResources.temporaryDirectory("lens-words")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tsv = dir.appendingPathComponent("w.tsv"), json = dir.appendingPathComponent("w.json")
        try "# my list\nEnglish\tfr\tzh\nflower\tfleur\t花\nwater\t\t水\n".write(to: tsv, atomically: true, encoding: .utf8)
        try #"[{"en": "flower", "fr": "fleur", "zh": "花"}, {"en": "water", "zh": "水"}]"#.write(to: json, atomically: true, encoding: .utf8)
        let a = try ParallelWordList.load(path: tsv.path), b = try ParallelWordList.load(path: json.path)
        #expect(a.languages == ["en", "fr", "zh"])
        #expect(a.rows == [["flower", "fleur", "花"], ["water", nil, "水"]])
        #expect(Set(b.languages) == Set(a.languages))
        #expect(b.word(concept: 1, language: "fr") == nil && b.word(concept: 1, language: "zh") == "水")
        let bad = dir.appendingPathComponent("bad.tsv")
        try "en\tklingon\nflower\tx\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try ParallelWordList.load(path: bad.path) }
        try "en\tfr\nflower\tfleur\textra\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try ParallelWordList.load(path: bad.path) }
    }

    @Test func readingIsTheSoftmaxOfTheLogits() {
        let logits: [Float] = [2, 0, -1, 1]
        let reading = logits.withUnsafeBufferPointer { LogitLens.reading($0, tokenSets: ["a": [0, 3], "b": [2]]) }
        let z = logits.reduce(0.0) { $0 + exp(Double($1)) }
        let p = logits.map { exp(Double($0)) / z }
        #expect(reading.top == 0)
        #expect(abs(reading.topProbability - p[0]) < 1e-12)
        #expect(abs(reading.mass["a"]! - (p[0] + p[3])) < 1e-12)
        #expect(abs(reading.mass["b"]! - p[2]) < 1e-12)
        #expect(abs(reading.entropy - p.reduce(0.0) { $0 - $1 * log($1) }) < 1e-12)
    }

    @Test func overtakeLayerIsWhereTheTargetStaysAhead() {
        #expect(LensPair.overtakeLayer([0, 0.2, 0.1, 0.5, 0.6], [0.1, 0.1, 0.3, 0.2, 0.1]) == 3)
        #expect(LensPair.overtakeLayer([0.5, 0.5], [0.1, 0.1]) == 0)
        #expect(LensPair.overtakeLayer([0.5, 0.1], [0.1, 0.2]) == nil)
        // Near-zero masses in early layers do not count as overtaking.
        #expect(LensPair.overtakeLayer([1e-9, 1e-8, 0.3], [1e-12, 1e-12, 0.1]) == 2)
    }

    @Test func promptsFollowTheFewShotFormat() throws {
        guard let model = try Self.requireModel() else { return }
        let pair = try TranslationPrompts(words: .builtin, source: "fr", target: "zh", shots: 3, tokenizer: model.tokenizer)
        #expect(pair.prefix == "Français: \"eau\" - 中文: \"水\"\nFrançais: \"feu\" - 中文: \"火\"\nFrançais: \"soleil\" - 中文: \"太阳\"\n")
        #expect(pair.rival == "en" && pair.tracked == ["zh", "fr", "en"])
        let flower = try #require(pair.queries.first { $0.concept == 6 })
        #expect(flower.text == "Français: \"fleur\" - 中文: \"")
        #expect(flower.firstTokens["zh"]!.contains(model.tokenizer.encode("花", addSpecial: false)[0]))
        #expect(!pair.queries.contains { $0.concept < 3 })
        // X→en: the rival is the source; pairs whose first tokens coincide are left out.
        let toEnglish = try TranslationPrompts(words: .builtin, source: "fr", target: "en", shots: 3, tokenizer: model.tokenizer)
        #expect(toEnglish.rival == "fr")
        let table = ParallelWordList.builtin.rows.firstIndex { $0[0] == "table" }!
        #expect(toEnglish.ambiguous.contains(table))
        #expect(!toEnglish.queries.contains { $0.concept == table })
    }

    /// The lens at the last layer is the model's own next-token distribution: same logits, same reading.
    @Test func lastLayerOfTheLensIsTheModelsOwnDistribution() throws {
        guard let model = try Self.requireModel() else { return }
        let tokens = model.tokenizer.encode("Français: \"eau\" - English: \"water\"\nFrançais: \"fleur\" - English: \"")
        let lens = LogitLens(model: model)
        let readings = try lens.read(text: tokens)
        #expect(readings.count == model.config.layerCount)
        let logits = try model.forward(TokenBatch(tokens), logits: .lastOfEachSequence).logits
        let own = logits.withUnsafeBufferPointer { LogitLens.reading($0, tokenSets: [:]) }
        // The lens decodes all layers in one GEMM, the forward one row: equal to the GEMM's rounding (the one-row
        // decode is bit for bit the forward's: UnembedTests).
        Self.expectClose(try #require(readings.last), own)
        #expect(model.tokenizer.decode([own.top]).lowercased().hasPrefix("f"))   // "flower"
        // Through the shared-prefix KV cache the readings are those of the whole prompt (to float rounding).
        let pair = try TranslationPrompts(words: .builtin, source: "fr", target: "en", shots: 2, tokenizer: model.tokenizer, limit: 2)
        let cached = try lens.read(pair)
        let whole = try lens.read(text: model.tokenizer.encode(pair.prefix + pair.queries[1].text))
        for (a, b) in zip(cached[1], whole) {
            #expect(a.top == b.top)
            #expect(abs(a.entropy - b.entropy) < 1e-3)
            #expect(abs(a.mass["en"]! - (b.mass["en"] ?? a.mass["en"]!)) < 1e-3)
        }
    }

    /// An intervention reaches the lens: zeroing every neuron of the last block changes its reading, and the
    /// reading equals the model's own distribution under the same edit.
    @Test func interventionsApplyToTheLens() throws {
        guard let model = try Self.requireModel() else { return }
        let tokens = model.tokenizer.encode("Français: \"chien\" - English: \"")
        let edit = Intervention(hook: "blocks.-1.mlp.hook_act", neurons: .all, operation: .zero)
        let plain = try LogitLens(model: model).read(text: tokens)
        let edited = try LogitLens(model: model, interventions: [edit]).read(text: tokens)
        #expect(plain.dropLast() == edited.dropLast())
        #expect(plain.last != edited.last)
        let hooks = HookSet(layerCount: model.config.layerCount)
        try hooks.intervene(edit)
        let logits = try model.forward(TokenBatch(tokens), hooks: hooks, logits: .lastOfEachSequence).logits
        Self.expectClose(try #require(edited.last), logits.withUnsafeBufferPointer { LogitLens.reading($0, tokenSets: [:]) })
    }

    static func expectClose(_ a: LensReading, _ b: LensReading) {
        #expect(a.top == b.top)
        #expect(abs(a.topProbability - b.topProbability) < 1e-5)
        #expect(abs(a.entropy - b.entropy) < 1e-4)
    }

    @Test func experimentSummarisesWithIntervalsAndRoundTrips() throws {
        guard let model = try Self.requireModel() else { return }
        let experiment = LensExperiment(model: model, words: .builtin, identifier: try .builtin())
        let pairs = try experiment.run(pairs: [("en", "fr")], shots: 3, limit: 6, seed: 7) { _ in [] }
        let pair = try #require(pairs.first)
        #expect(pair.prompts == 6 && pair.layers.count == model.config.layerCount)
        for layer in pair.layers {
            for interval in Array(layer.mass.values) + [layer.entropy] + Array(layer.top1.values) {
                #expect(interval.low <= interval.mean + 1e-12 && interval.mean <= interval.high + 1e-12)
            }
            #expect(abs(layer.top1.values.reduce(0) { $0 + $1.mean } - 1) < 1e-9)
        }
        // Gemma answers "fleur"-like words at the end: French carries more mass than English at the last layer.
        let last = try #require(pair.layers.last)
        #expect(last.mass["fr"]!.mean > last.mass["en"]!.mean)
        let doc = LensDocument(model: model.name, layerCount: model.config.layerCount, input: "builtin", shots: 3,
                               intervention: nil, seed: 7, pairs: pairs)
        let dir = try TestResources.temporaryDirectory("lens-doc")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("lens.json")
        try doc.write(to: url)
        #expect(try LensDocument.read(from: url) == doc)
    }
}
