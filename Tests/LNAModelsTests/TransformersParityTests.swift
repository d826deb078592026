import Foundation
import LNAHooks
import LNAModels
import LNATestSupport
import LNATokenizers
import Testing

/// lna against Hugging Face transformers on the tiny random checkpoints of `Tests/Fixtures/transformers`
/// (built by `scripts/dev/make_transformers_fixtures.py`; every golden field is described in the fixture
/// folder's README.md). Every fixture is loaded in both config dialects: `config.json` as transformers 5 writes it,
/// and `config.v4.json` with the pre-v5 keys. Nothing is skipped: a family lna does not load yet is listed in
/// `pendingFamilies` and must fail to load; a fixture known to run wrong is listed with its reason and must
/// still be wrong. Either list going stale fails the test, so the lists only ever shrink.
struct TransformersParityTests {
    /// Families (HF `model_type`) whose fixtures lna refuses today. Loading one must throw.
    static let pendingFamilies: Set<String> = []

    /// Fixtures that load in the transformers 5 dialect (`config.json`) but run wrong. Empty: both dialects are
    /// read (`rope_parameters`, per layer type for Gemma 3, and `layer_types`).
    static let v5DialectExpectedFailures: Set<String> = []

    /// Fixtures of supported families that run wrong in both dialects today, with the reason. They must still
    /// be wrong, or be refused (the right outcome until the feature is implemented).
    static let knownWrongInBothDialects: [String: String] = [
        "llama-dynamic": "rope_type dynamic is refused by name: beyond max_position_embeddings transformers' frequencies depend on the longest sequence it has seen",
    ]

    /// Relative difference of Σ NLL over a text, and absolute difference of one token's NLL.
    static let sumTolerance = 1e-5
    static let tokenTolerance = 1e-4
    /// Hook tensors: max |Δ| relative to the tensor's largest magnitude.
    static let hookTolerance: Float = 1e-4

    static let root = TestResources.repositoryRoot.appendingPathComponent("Tests/Fixtures/transformers")

    static let fixtureNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/goldens.json").path)
        }.sorted()
    }()

    enum Dialect: String, CaseIterable, Sendable, CustomStringConvertible {
        case v5 = "config.json", v4 = "config.v4.json"
        var description: String { self == .v5 ? "v5" : "v4" }
    }

    static let cases: [(String, Dialect)] = fixtureNames.flatMap { name in Dialect.allCases.map { (name, $0) } }

    @Test func fixturesArePresent() throws {
        #expect(Self.fixtureNames.count >= 8, "fixtures missing under \(Self.root.path)")
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("tokenizer.json").path))
    }

    /// Every `model_type` lna registers has a fixture, so no architecture goes untested against transformers.
    @Test func everyRegisteredArchitectureHasAFixture() throws {
        let families = Set(try Self.fixtureNames.map { try TransformersGolden.load(Self.root, $0).family })
        for modelType in SupportedArchitectures.huggingFaceModelTypes {
            #expect(families.contains(modelType), "no transformers fixture for registered model_type \(modelType)")
        }
        for family in Self.pendingFamilies {
            #expect(families.contains(family), "pending family \(family) has no fixture")
        }
    }

    @Test(arguments: cases)
    func matchesTransformers(fixture name: String, dialect: Dialect) throws {
        let golden = try TransformersGolden.load(Self.root, name)
        let label = "\(name) [\(dialect)]"
        let loaded: Model
        do {
            loaded = try Self.load(name, dialect)
        } catch {
            print("\(label): refused: \(error)")
            let expected = Self.pendingFamilies.contains(golden.family) || Self.knownWrongInBothDialects[name] != nil
            #expect(expected, "\(label) does not load: \(error)")
            return
        }
        guard !Self.pendingFamilies.contains(golden.family) else {
            Issue.record("\(label): family \(golden.family) loads now: remove it from pendingFamilies")
            return
        }
        let report = try ParityReport(model: loaded, golden: golden)
        print("\(label): \(report.summary)")
        let expectedWrong = Self.knownWrongInBothDialects[name]
            ?? (dialect == .v5 && Self.v5DialectExpectedFailures.contains(name) ? "v5 dialect" : nil)
        if let expectedWrong {
            #expect(!report.problems.isEmpty,
                    "\(label) matches transformers now: remove it from the expected failures (\(expectedWrong))")
        } else {
            #expect(report.problems.isEmpty, "\(label): \(report.problems.joined(separator: "; "))")
        }
    }

    /// A temporary Hugging Face folder with the dialect's config as `config.json` and the fixture's weights.
    static func load(_ name: String, _ dialect: Dialect) throws -> Model {
        let folder = root.appendingPathComponent(name)
        let directory = try TestResources.temporaryDirectory("parity-\(name)-\(dialect)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = FileManager.default
        try files.copyItem(at: folder.appendingPathComponent(dialect.rawValue),
                           to: directory.appendingPathComponent("config.json"))
        try files.createSymbolicLink(at: directory.appendingPathComponent("model.safetensors"),
                                     withDestinationURL: folder.appendingPathComponent("model.safetensors"))
        let tokenizerURL = root.appendingPathComponent("tokenizer.json")
        let tokenizer = try Tokenizer(huggingFaceJSON: Data(contentsOf: tokenizerURL), source: tokenizerURL.path)
        return try Model.load(url: directory, tokenizer: tokenizer, weights: .resident)
    }
}
