import Foundation
import Testing
import LNATestSupport

/// First contact and flags (issues 18 and 12): suggestions for typos, errors that name the command, the shared flag
/// vocabulary, the `lna nju` entry, the model cache, and flag values checked with the right message. All fast: no
/// test here runs a model forward pass except the context-length check, which stops before generating.
struct CLIVocabularyTests {
    @Test func mistypedCommandsGetASuggestion() throws {
        guard let typo = try runLNA(["activaton", "-m", "gemma3-270m"]) else { return }
        #expect(typo.status == 64)
        #expect(typo.err.contains("unknown command 'activaton'; did you mean 'activation'?"), "\(typo.err)")
        let help = try #require(try runLNA(["help", "activaton"]))
        #expect(help.status == 64 && help.err.contains("did you mean 'activation'?"))
        let nested = try #require(try runLNA(["models", "fetchh"]))
        #expect(nested.err.contains("unknown command 'fetchh' of 'lna models'; did you mean 'fetch'?"), "\(nested.err)")
        let option = try #require(try runLNA(["autosweep", "--activations", "x", "--lamda", "1"]))
        #expect(option.status != 0 && option.err.contains("Unknown option '--lamda'"))
    }

    @Test func helpForACommandPrintsItsHelp() throws {
        // `lna help run` is ArgumentParser's help subcommand; scripts/run.sh uses it to find `lna run`.
        guard let r = try runLNA(["help", "run"]) else { return }
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("USAGE: lna run"), "\(r.out)")
        let top = try #require(try runLNA(["help"]))
        #expect(top.status == 0 && top.out.contains("SUBCOMMANDS"), "\(top.err)")
    }

    @Test func errorsInsideACommandNameItAndShowItsUsage() throws {
        let dir = try TestResources.temporaryDirectory("cli-convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = dir.appendingPathComponent("keep.txt")
        try Data("mine".utf8).write(to: marker)
        guard try TestResources.model("smollm2-135m") != nil,
              let r = try runLNA(["convert", "smollm2-135m", "--to", dir.path]) else { return }
        #expect(r.status != 0)
        #expect(r.err.contains("Error: lna convert: \(dir.path) already exists; give --force"), "\(r.err)")
        #expect(r.err.contains("Usage: lna convert"))
        #expect(try String(contentsOf: marker, encoding: .utf8) == "mine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.txt"])
    }

    @Test func negativeNumbersAreValuesCheckedByTheirOption() throws {
        let dir = try TestResources.temporaryDirectory("cli-negative")
        defer { try? FileManager.default.removeItem(at: dir) }
        let acts = dir.appendingPathComponent("acts")
        try AnalysisCLITests.writeToy(acts)
        guard let language = try runLNA(["identify", "--activations", acts.path, "-l", "-1"]) else { return }
        #expect(language.status != 0 && !language.err.contains("Missing value"))
        #expect(language.err.contains("'-1': a number, not a language"), "\(language.err)")
        let rate = try #require(try runLNA(["identify", "--activations", acts.path, "-r", "-0.1"]))
        #expect(rate.err.contains("-r/--top-rate -0.1: expected a fraction in (0, 1]"), "\(rate.err)")
        let eps = try #require(try runLNA(["autosweep", "--activations", acts.path, "--eps", "-1"]))
        #expect(eps.err.contains("--eps -1.0: expected a positive number"), "\(eps.err)")
        // A negative --lo means something: it is accepted.
        let lo = try #require(try runLNA(["autosweep", "--activations", acts.path, "-r", "0.5", "-b", "0.5", "--lo", "-0.25",
                                          "--hi", "0.5", "--json"], in: dir))
        #expect(lo.status == 0, "\(lo.err)")
        #expect(lo.out.contains("\"requested_bracket\": [-0.25,0.5]") || lo.out.contains("\"requested_bracket\" : [-0.25,0.5]")
                || lo.out.contains("[-0.25,0.5]"), "\(lo.out)")
    }

    @Test func nonFiniteAndEmptyValuesAreRejected() throws {
        guard let nan = try runLNA(["generate", "gemma3-270m", "Hallo", "--temperature", "nan"]) else { return }
        #expect(nan.status != 0 && nan.err.contains("--temperature nan: expected a finite number"), "\(nan.err)")
        let inf = try #require(try runLNA(["generate", "gemma3-270m", "Hallo", "--repetition-penalty", "-inf"]))
        #expect(inf.status != 0 && inf.err.contains("--repetition-penalty -inf: expected a finite number > 0"), "\(inf.err)")
        let empty = try #require(try runLNA(["activation", "-m", "gemma3-270m", "-l", ""]))
        #expect(empty.status != 0 && empty.err.contains("-l/--languages '': expected languages"), "\(empty.err)")
        let commas = try #require(try runLNA(["identify", "--activations", "x", "-l", " , "]))
        #expect(commas.status != 0 && commas.err.contains("expected languages"))
        let shard = try #require(try runLNA(["activation", "-m", "gemma3-270m", "-l", "en", "--shard", "1/9223372036854775807"]))
        #expect(shard.status != 0 && shard.err.contains("at most 100000 shards"), "\(shard.err)")
        let limit = try #require(try runLNA(["ppl", "-m", "gemma3-270m", "--masks", "x", "--limit", "0"]))
        #expect(limit.status != 0 && limit.err.contains("--limit 0: expected a count ≥ 1"), "\(limit.err)")
    }

    @Test func importChecksLanguagesLikeEveryCommand() throws {
        guard let r = try runLNA(["import", "x.pth", "--out", "/tmp/never", "--languages", "xx,yy"]) else { return }
        #expect(r.status != 0 && r.err.contains("unknown language \"xx\""), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never"))
    }

    @Test func foundationAndDecodingErrorsReadAsSentences() throws {
        let dir = try TestResources.temporaryDirectory("cli-sentences")
        defer { try? FileManager.default.removeItem(at: dir) }
        let acts = dir.appendingPathComponent("acts")
        try AnalysisCLITests.writeToy(acts)
        let file = dir.appendingPathComponent("a-file")
        try Data().write(to: file)
        guard let blocked = try runLNA(["identify", "--activations", acts.path, "--out", file.appendingPathComponent("x").path]) else { return }
        #expect(blocked.status != 0 && !blocked.err.contains("NSCocoaErrorDomain") && !blocked.err.contains("operation could not"), "\(blocked.err)")
        #expect(blocked.err.contains("Error: lna identify:"))
        let run = dir.appendingPathComponent("run/ppl")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try Data(#"{"rows": []}"#.utf8).write(to: run.appendingPathComponent("ppl.json"))
        let report = try #require(try runLNA(["report", dir.appendingPathComponent("run").path]))
        #expect(report.status != 0 && report.err.contains("key 'format' is missing") && !report.err.contains("keyNotFound"), "\(report.err)")
    }

    @Test func generateRefusesMoreTokensThanTheContext() throws {
        guard try TestResources.model("gemma3-270m") != nil,
              let r = try runLNA(["generate", "gemma3-270m", "Hallo", "--max-tokens", "40000"]) else { return }
        #expect(r.status != 0)
        #expect(r.err.contains("exceeds the context length of gemma3-270m (32768 tokens)"), "\(r.err)")
    }

    @Test func autosweepWidensReportsTheBracketAndWritesNothingWithJSONAlone() throws {
        let dir = try TestResources.temporaryDirectory("cli-sweep")
        defer { try? FileManager.default.removeItem(at: dir) }
        let acts = dir.appendingPathComponent("acts")
        try AnalysisCLITests.writeToy(acts)
        // λ = 0.1 and 0.2 have no neuron shared by the three languages, 0.4 has one: the bracket is doubled twice.
        guard let r = try runLNA(["autosweep", "--activations", acts.path, "-r", "0.5", "-b", "0.5", "--hi", "0.1", "--json"], in: dir)
        else { return }
        #expect(r.status == 0, "\(r.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(doc["searched_bracket"] as? [Double] == [0, 0.4])
        #expect(doc["requested_bracket"] as? [Double] == [0, 0.1])
        let lambda = try #require(doc["lambda"] as? Double)
        #expect(lambda > 0.3468 && lambda < 0.3479)
        #expect(doc["on_bound"] is NSNull)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["acts"])
        // With the bracket fixed the answer is its top, with a warning in the output and in autosweep.json.
        let fixed = try #require(try runLNA(["autosweep", "--activations", acts.path, "-r", "0.5", "-b", "0.5", "--hi", "0.1",
                                             "--no-widen", "--out", dir.appendingPathComponent("m").path]))
        #expect(fixed.status == 0 && fixed.err.contains("warning: λ = 0.1 is the upper end"), "\(fixed.err)")
        #expect(fixed.out.contains("bracket given [0.0, 0.1], searched [0.0, 0.1]"))
        let trace = try AnalysisCLITests.json(dir.appendingPathComponent("m/autosweep.json"))
        #expect(trace["on_bound"] as? String == "upper" && (trace["warning"] as? String)?.contains("upper end") == true)
    }

    @Test func modelCacheErrorsSayWhereLNALooked() throws {
        let dir = try TestResources.temporaryDirectory("cli-cache")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let missing = try runLNA(["inspect", "gemma3-270m"], environment: ["LNA_MODELS_DIR": dir.path]) else { return }
        #expect(missing.status != 0)
        #expect(missing.err.contains("model gemma3-270m is not fetched yet: looked for \(dir.path)/gemma-3-270m-q4_k_m.gguf"), "\(missing.err)")
        #expect(missing.err.contains("run `lna models fetch gemma3-270m`") && !missing.err.contains("(not fetched yet"))
        let unknown = try #require(try runLNA(["inspect", "gemma3-27m"], in: dir))
        #expect(unknown.err.contains("no such file or folder (\(dir.path)/gemma3-27m)") && unknown.err.contains("did you mean 'gemma3-270m'?"), "\(unknown.err)")
        let home = try #require(try runLNA(["models", "list"], environment: ["LNA_MODELS_DIR": "", "LNA_HOME": dir.path]))
        #expect(home.out.contains("models folder: \(dir.path)/models"), "\(home.out)")
    }

    @Test func saveTagsChainCommandsAndNJUTakesTheOriginalLines() throws {
        let dir = try TestResources.temporaryDirectory("cli-nju")
        defer { try? FileManager.default.removeItem(at: dir) }
        try AnalysisCLITests.writeToy(dir.appendingPathComponent("activations/mgsm"))
        guard let nju = try runLNA(["nju", "identify", "--model-name", "Mistral", "--model-path", "unused", "-r", "0.5",
                                    "-l", "0.35", "-b", "0.5", "-s", "mgsm"], in: dir) else { return }
        #expect(nju.status == 0, "\(nju.err)")
        #expect(nju.err.contains("lna identify --activations activations/mgsm -r 0.5 --lambda 0.35 -b 0.5 --out activation_masks/mgsm/0.5-0.35"), "\(nju.err)")
        let viaNJU = try AnalysisCLITests.json(dir.appendingPathComponent("activation_masks/mgsm/0.5-0.35/masks.json"))
        #expect(viaNJU["appear"] as? [Int] == [0, 2, 0, 1])
        // The same with lna's own names: -s reads activations/TAG and writes masks/TAG.
        let own = try #require(try runLNA(["identify", "-s", "mgsm", "-r", "0.5", "--lambda", "0.35", "-b", "0.5"], in: dir))
        #expect(own.status == 0, "\(own.err)")
        let viaTag = try AnalysisCLITests.json(dir.appendingPathComponent("masks/mgsm/masks.json"))
        #expect(viaTag["masks"] as? [String: [[Int]]] == viaNJU["masks"] as? [String: [[Int]]])
    }
}
