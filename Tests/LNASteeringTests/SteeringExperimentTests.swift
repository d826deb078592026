import Foundation
import LNAFiles
import Testing
import LNAAnalysis
import LNAReport
import LNASteering

/// A model stand-in: answers in the activated language when there is one, else in the first language of
/// `fallbackOrder` that is not deactivated (English first). Sentences come from a fixed table so the real
/// built-in language identifier labels them.
final class FakeModel: @unchecked Sendable {
    static let sentences = [
        "en": "The weather is very nice today and I am going to the market with my friends.",
        "fr": "Il fait très beau aujourd'hui et je vais au marché avec mes amis.",
        "es": "Hace muy buen tiempo hoy y voy al mercado con mis amigos.",
        "de": "Das Wetter ist heute sehr schön und ich gehe mit meinen Freunden auf den Markt.",
        "zh": "今天天气很好，我和朋友们一起去市场。",
        "ru": "Сегодня очень хорошая погода, и я иду на рынок с друзьями.",
    ]
    var calls = 0
    var failAfter: Int?
    let fallbackOrder = ["en", "fr", "es", "de"]

    struct Interrupted: Error {}

    func answer(_ question: String, _ plan: SteeringPlan) throws -> String {
        if let limit = failAfter, calls >= limit { throw Interrupted() }
        calls += 1
        if let factor = plan.amplification, let language = plan.request.activate {
            return factor >= 5 ? Self.sentences[language]! : Self.sentences["en"]!
        }
        if let target = plan.request.activate { return Self.sentences[target]! }
        let off = Set(plan.request.deactivate)
        guard let language = fallbackOrder.first(where: { !off.contains($0) }) else { return "" }
        return Self.sentences[language]!
    }

    func backend() throws -> SteeringBackend {
        let classify = try OutputLanguage.builtin()
        return SteeringBackend(generate: { try self.answer($0, $1) }, identify: { classify($0) })
    }
}

enum Fixture {
    static let languages = ["en", "fr", "es", "de", "zh", "ru"]

    static func masks() throws -> MaskSet {
        try MaskSet(languages: languages, layers: 2, width: 8,
                    lists: languages.indices.map { k in [[k], [k + 1]] })
    }

    static func means() throws -> MeanActivations {
        try MeanActivations(languages: languages, layers: 2, width: 8,
                            values: languages.indices.map { k in (0..<16).map { Float($0 + k) / 10 } })
    }

    static func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("lna-steer-\(UUID().uuidString)")
    }
}

@Test func gridSucceedsWhereTheBackendFollowsTheTarget() throws {
    let dir = Fixture.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fake = FakeModel()
    let config = SteeringGridConfig(model: "fake", sources: ["en", "fr"], targets: Fixture.languages, promptsPerLanguage: 2)
    let runner = SteeringGridRunner(config: config, prompts: ["en": ["q1", "q2", "q3"], "fr": ["p1", "p2"]],
                                    masks: try Fixture.masks(), means: try Fixture.means())
    let grid = try runner.run(backend: fake.backend(), directory: dir)
    #expect(fake.calls == 2 * (6 + 1) * 2)
    #expect(grid.complete)
    #expect(grid.successMatrix() == [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    // Baseline outputs are English: 100 % "en", 0 elsewhere.
    #expect(grid.baselineRow() == [1, 0, 0, 0, 0, 0])
    #expect(grid.summary.targetsAboveBaseline == 5)
    let files = SteeringGridRunner.files(in: dir)
    #expect(FileManager.default.fileExists(atPath: files.result.path))
    #expect(!FileManager.default.fileExists(atPath: files.checkpoint.path))
    #expect(try SteeringGridResult.read(from: files.result) == grid)
    // The cell's outputs record the questions actually used (the first two).
    #expect(grid.cell(source: "en", target: "zh")?.outputs.map(\.question) == ["q1", "q2"])
    #expect(grid.cell(source: "en", target: "zh")?.outputs.map(\.language) == ["zh", "zh"])
}

@Test func interruptedGridResumesFromTheCheckpoint() throws {
    let dir = Fixture.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let config = SteeringGridConfig(model: "fake", sources: ["en"], targets: ["fr", "zh", "ru"], promptsPerLanguage: 1)
    let runner = SteeringGridRunner(config: config, prompts: ["en": ["q"]], masks: try Fixture.masks(),
                                    means: try Fixture.means())
    let first = FakeModel()
    first.failAfter = 2   // baseline + one cell, then "killed"
    #expect(throws: FakeModel.Interrupted.self) { _ = try runner.run(backend: first.backend(), directory: dir) }
    let checkpoint = try SteeringGridResult.read(from: SteeringGridRunner.files(in: dir).checkpoint)
    #expect(checkpoint.baselines.count == 1 && checkpoint.cells.count == 1 && !checkpoint.complete)

    let second = FakeModel()
    let grid = try runner.run(backend: second.backend(), directory: dir)
    #expect(second.calls == 2)   // only the two missing cells
    #expect(grid.complete && grid.cells.count == 3)

    // Complete result: nothing to run again; other settings are refused unless restarted.
    let third = FakeModel()
    _ = try runner.run(backend: third.backend(), directory: dir)
    #expect(third.calls == 0)
    var other = config
    other.alpha = 2
    let changed = SteeringGridRunner(config: other, prompts: ["en": ["q"]], masks: try Fixture.masks(), means: try Fixture.means())
    #expect(throws: SteeringError.self) { _ = try changed.run(backend: third.backend(), directory: dir) }
    _ = try changed.run(backend: third.backend(), directory: dir, restart: true)
    #expect(third.calls == 4)
}

@Test func shardedGridMergesToTheWholeGrid() throws {
    let dir = Fixture.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let config = SteeringGridConfig(model: "fake", sources: ["en", "fr"], targets: ["fr", "zh", "ru"], promptsPerLanguage: 1)
    let runner = SteeringGridRunner(config: config, prompts: ["en": ["q"], "fr": ["p"]], masks: try Fixture.masks(),
                                    means: try Fixture.means())
    let whole = try runner.run(backend: FakeModel().backend(), directory: dir.appendingPathComponent("whole"))
    // 8 units (2 baselines + 6 cells) in 3 shards of 2, 3 and 3; each resumes like a whole grid.
    var shards: [SteeringGridResult] = []
    var calls = 0
    for i in 0..<3 {
        let shard = try Shard(index: i, count: 3)
        let fake = FakeModel()
        _ = try runner.run(backend: fake.backend(), directory: dir, shard: shard)
        calls += fake.calls
        shards.append(try SteeringGridResult.read(from: SteeringGridRunner.files(in: dir, shard: shard).result))
        #expect(shards[i].shardIndex == i && shards[i].complete)
    }
    #expect(calls == 8)
    let names = ["a", "b", "c"]
    let merged = try SteeringGridResult.merge(shards.reversed(), names: names)
    #expect(merged == whole)
    let url = dir.appendingPathComponent("merged.json")
    try merged.write(to: url)
    #expect(try Data(contentsOf: url) == Data(contentsOf: SteeringGridRunner.files(in: dir.appendingPathComponent("whole")).result))
    #expect(throws: SteeringError.self) { try SteeringGridResult.merge(Array(shards.prefix(2)), names: ["a", "b"]) }
    #expect(throws: SteeringError.self) { try SteeringGridResult.merge([shards[0], shards[0], shards[2]], names: names) }
    #expect(throws: SteeringError.self) { try SteeringGridResult.merge([whole, shards[1], shards[2]], names: names) }
}

@Test func gridRejectsMissingPromptsAndLanguagesBeforeGenerating() throws {
    let fake = FakeModel()
    let config = SteeringGridConfig(model: "fake", sources: ["de"], targets: ["fr"], promptsPerLanguage: 1)
    let runner = SteeringGridRunner(config: config, prompts: ["en": ["q"]], masks: try Fixture.masks(), means: try Fixture.means())
    #expect(throws: SteeringError.self) { _ = try runner.run(backend: fake.backend(), directory: Fixture.directory()) }
    let unknown = SteeringGridRunner(config: SteeringGridConfig(model: "fake", sources: ["en"], targets: ["xx"]),
                                     prompts: ["en": ["q"]], masks: try Fixture.masks(), means: try Fixture.means())
    #expect(throws: SteeringError.self) { _ = try unknown.run(backend: fake.backend(), directory: Fixture.directory()) }
    #expect(fake.calls == 0)
}

@Test func amplificationFindsTheSmallestSteeringFactor() throws {
    let fake = FakeModel()
    let config = AmplificationConfig(model: "fake", language: "fr", factors: [1, 2, 5, 10])
    var scored: [Float] = []
    let sweep = try AmplificationSweep.run(config: config, questions: ["a", "b"], masks: try Fixture.masks(),
                                           backend: fake.backend()) { plan in
        scored.append(plan.amplification!)
        return Double(plan.amplification!) * 3
    }
    #expect(sweep.points.map(\.targetShare) == [0, 0, 1, 1])
    #expect(sweep.points.map(\.perplexity) == [3, 6, 15, 30])
    #expect(sweep.points.map(\.editedNeurons) == [0, 2, 2, 2])
    #expect(scored == [1, 2, 5, 10])
    #expect(sweep.smallestSteeringFactor == 5)
}

@Test func fallbackReportsTheOutputLanguagesAfterEachStep() throws {
    let fake = FakeModel()
    let config = FallbackConfig(model: "fake", order: ["en", "fr", "es"])
    let result = try FallbackExperiment.run(config: config, questions: ["a", "b", "c"], masks: try Fixture.masks(),
                                            backend: fake.backend())
    #expect(result.steps.map(\.deactivated) == [[], ["en"], ["en", "fr"], ["en", "fr", "es"]])
    #expect(result.steps.map(\.mostCommon) == ["en", "fr", "es", "de"])
    #expect(result.steps[1].distribution == ["fr": 3])
}

@Test func figuresRenderToPNGAndSVG() throws {
    let dir = Fixture.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fake = FakeModel()
    let grid = try SteeringGridRunner(config: SteeringGridConfig(model: "fake", sources: ["en"], targets: ["en", "fr", "zh"],
                                                                 promptsPerLanguage: 1),
                                      prompts: ["en": ["q"]], masks: try Fixture.masks(), means: try Fixture.means())
        .run(backend: fake.backend(), directory: dir)
    let map = SteeringFigures.grid(grid)
    #expect(map.rowLabels == ["no intervention", "en English"])
    #expect(map.values == [[100, 0, 0], [100, 100, 100]])
    // The run's language order reorders the targets like every other figure.
    let ordered = SteeringFigures.grid(grid, order: ["zh", "en", "fr"])
    #expect(ordered.columnLabels.map { String($0.prefix(2)) } == ["zh", "en", "fr"])
    #expect(ordered.values == [[0, 100, 0], [100, 100, 100]])
    let files = try Figure(map).write(to: dir, name: "grid")
    let png = try Data(contentsOf: files.png)
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    #expect(try String(contentsOf: files.svg, encoding: .utf8).contains("no intervention"))
    let fallback = try FallbackExperiment.run(config: FallbackConfig(model: "fake", order: ["en"]), questions: ["a"],
                                              masks: try Fixture.masks(), backend: fake.backend())
    _ = try Figure(SteeringFigures.fallback(fallback)).write(to: dir, name: "fallback")
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("fallback.svg").path))
}
