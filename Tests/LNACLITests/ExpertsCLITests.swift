import Foundation
import LNAAnalysis
import LNATestSupport
import Testing

/// The tiny random Mixtral of the transformers fixtures as a loadable folder (config, weights, tokenizer).
func tinyModelFolder(_ fixture: String, in directory: URL) throws -> URL {
    let fixtures = TestResources.repositoryRoot.appendingPathComponent("Tests/Fixtures/transformers")
    let folder = directory.appendingPathComponent(fixture)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (from, to) in [("\(fixture)/config.json", "config.json"), ("\(fixture)/model.safetensors", "model.safetensors"),
                       ("tokenizer.json", "tokenizer.json")] {
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(from), to: folder.appendingPathComponent(to))
    }
    return folder
}

/// `lna experts` through the release binary on the tiny Mixtral (2 layers × 4 experts, top-2).
@Suite(.serialized) struct ExpertsCLITests {
    /// Statistics of expert neurons (4 × 48 per layer) whose routing says en prefers expert 0, fr expert 1.
    static func writeStatistics(to directory: URL) throws {
        for (language, counts) in [("en", [6, 2, 4, 4, 6, 2, 4, 4]), ("fr", [2, 6, 4, 4, 2, 6, 4, 4])] as [(String, [Int64])] {
            let routing = RoutingCounts(layers: 2, experts: 4, topK: 2, counts: counts, rankCounts: [Int64](repeating: 0, count: 16),
                                        weightSums: [Double](repeating: 0, count: 8))
            let metadata = StatisticsMetadata(language: language, architecture: "mixtral", hookSite: "blocks.*.mlp.experts.hook_act",
                                              layers: 2, width: 192,
                                              extra: ["experts": "4", "expert_width": "48", "neuron_unit": "routed-token", "top_k": "2"])
            let stats = try ActivationStatistics(metadata: metadata, full: ActivationCounts(
                overZero: [Int64](repeating: 1, count: 384), totalTokens: 8, routing: routing))
            try StatisticsFile.write(stats, to: directory.appendingPathComponent("\(language).safetensors"))
        }
    }

    @Test func expertsWritesSharesClassesFiguresAndTheRouterGrid() throws {
        let dir = try TestResources.temporaryDirectory("cli-experts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try tinyModelFolder("mixtral", in: dir)
        let stats = dir.appendingPathComponent("stats"), out = dir.appendingPathComponent("experts")
        try Self.writeStatistics(to: stats)
        let tokens = #"{"en": [[0, 5, 17, 42, 99, 7, 12], [0, 3, 4]], "fr": [[0, 8, 9, 10, 11, 250]]}"#
        try Data(tokens.utf8).write(to: dir.appendingPathComponent("tokens.json"))
        guard let run = try runLNA(["experts", "--activations", stats.path, "-m", model.path, "--token-file",
                                    dir.appendingPathComponent("tokens.json").path, "--top-experts", "1",
                                    "--out", out.path, "--quiet"]) else { return }
        #expect(run.status == 0, "\(run.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("experts.json"))) as? [String: Any])
        let share = try #require(json["routing_share"] as? [String: [[Double]]])
        #expect(share["en"]?[0] == [0.375, 0.125, 0.25, 0.25])
        let removed = try #require((json["removed_experts"] as? [String: Any])?["lists"] as? [String: [[Int]]])
        #expect(removed["en"] == [[0], [0]] && removed["fr"] == [[1], [1]])
        for figure in ["routing_share.png", "routing_share.svg", "expert_classes_per_layer.png", "ppl_delta.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(figure).path), "\(figure) missing")
        }
        let ppl = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("ppl.json"))) as? [String: Any])
        #expect(ppl["rows"] as? [String] == ["none", "en", "fr"])
        #expect(run.out.contains("top expert per layer"))

        // More experts than the router can lose (4 experts, top-2) is refused with a message.
        let tooMany = try #require(try runLNA(["experts", "--activations", stats.path, "-m", model.path, "--token-file",
                                               dir.appendingPathComponent("tokens.json").path, "--top-experts", "3", "--out", out.path]))
        #expect(tooMany.status != 0)
        #expect(tooMany.err.contains("top-k"))
    }
}

/// `lna run` on the tiny random Mixtral (expert neurons, routing, language experts), the tiny random Qwen2-MoE
/// (its shared expert and dense first layer as neurons, plus the language experts) and the tiny random BLOOM
/// (non-gated MLP): every stage runs and the report has the neuron figures, and for the two MoEs the expert ones.
@Suite(.serialized) struct TinyRunCLITests {
    @Test(arguments: ["mixtral", "qwen2_moe", "bloom"])
    func runEndsInAReportWithExpertAndNeuronFigures(fixture: String) throws {
        let dir = try TestResources.temporaryDirectory("cli-run-\(fixture)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try tinyModelFolder(fixture, in: dir)
        let out = dir.appendingPathComponent("run")
        guard let run = try runLNA(["run", "--model", model.path, "--languages", "en,fr,de", "--ppl-limit", "3", "-r", "0.05",
                                    "--no-steering", "--out", out.path]) else { return }
        #expect(run.status == 0, "\(run.err)")
        var files = ["activations/en.safetensors", "masks.json", "figures/classes_per_layer.png", "ppl/ppl.json", "report.html"]
        let hasExperts = fixture != "bloom"
        if hasExperts { files += ["experts/experts.json", "experts/routing_share.png", "experts/ppl.json"] }
        for file in files {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(fixture): \(file) missing")
        }
        let masks = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("masks.json"))) as? [String: Any]
        // Mixtral: 4 experts × 48 expert neurons per layer; Qwen2-MoE: the 48-wide shared expert (and layer 0's
        // dense MLP); BLOOM: its 4·32-wide MLP.
        #expect(masks?["width"] as? Int == ["mixtral": 192, "qwen2_moe": 48, "bloom": 128][fixture])
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("Language neurons") && report.contains("Perplexity under deactivation"))
        #expect(report.contains("Language experts") == hasExperts)
        if hasExperts {
            #expect(report.contains("Routing share of each expert"))   // the routing-share figure's caption
            #expect(report.contains("top experts removed from the router"))
        }
        if fixture == "mixtral" {
            try expertMasksWorkInEvalAndLens(model: model, run: out, in: dir)
        }
    }

    /// `lna eval` and `lna lens` take the run's expert-neuron masks (2 × 192 on a model of 2 × 48-wide experts) and
    /// place them on the experts: deactivating the language with the most neurons (at 3, so that it shows) changes
    /// the choice log-likelihoods and the lens probabilities against the same commands without masks.
    func expertMasksWorkInEvalAndLens(model: URL, run: URL, in dir: URL) throws {
        guard let sib200 = try TestResources.shared("datasets/sib200") else { return }
        let masks = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("masks.json"))) as? [String: Any]
        let sizes = masks?["sizes"] as? [String: Int] ?? [:]
        let language = try #require(sizes.filter { $0.value > 0 }.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
        let eval = dir.appendingPathComponent("eval")
        let evaluated = try runLNA(["eval", "-m", model.path, "--task", "sib200-topic", "-l", language, "--limit", "2", "-d", sib200.path,
                                    "--masks", run.path, "--deactivate", language, "--value", "3", "--out", eval.path, "--quiet"])
        #expect(evaluated?.status == 0, "\(evaluated?.err ?? "")")
        let items = try JSONSerialization.jsonObject(with: Data(contentsOf: eval.appendingPathComponent("eval.json"))) as? [String: Any]
        let grid = items?["items"] as? [String: [[String: Any]]]
        let baseline = grid?["none→\(language)"]?.compactMap { $0["logLikelihoods"] as? [Double] }
        let deactivated = grid?["\(language) (all)→\(language)"]?.compactMap { $0["logLikelihoods"] as? [Double] }
        #expect(baseline?.count == 2 && deactivated?.count == 2 && baseline != deactivated)

        func lens(_ extra: [String], _ name: String) throws -> [Double] {
            let out = dir.appendingPathComponent(name)
            let result = try runLNA(["lens", "-m", model.path, "-l", language == "en" ? "en,fr" : "en,\(language)", "--limit", "2", "--shots", "1", "--out", out.path, "--quiet"] + extra)
            #expect(result?.status == 0, "\(result?.err ?? "")")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("lens.json"))) as? [String: Any]
            let pairs = json?["pairs"] as? [[String: Any]] ?? []
            return pairs.flatMap { ($0["examples"] as? [[String: Any]] ?? []).flatMap { $0["top1_probability"] as? [Double] ?? [] } }
        }
        let plain = try lens([], "lens-plain")
        let masked = try lens(["--masks", run.path, "--deactivate", language, "--value", "3"], "lens-masked")
        #expect(!plain.isEmpty && plain.count == masked.count && plain != masked)
    }
}
