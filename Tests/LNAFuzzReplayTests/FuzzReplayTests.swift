import Foundation
import LNAFuzzTargets
import LNATestSupport
import XCTest

/// Replays what fuzzing found and kept through the same harness the fuzzers run (`FuzzHarness`): the lna-written
/// seeds, the minimised corpora (Tests/Fixtures/fuzz-corpus/<reader>) and the regression fixtures
/// (Tests/Fixtures/fuzz/<reader>). Every input must end in a value or a one-line error; a trap would kill the
/// test process. `error-*` fixtures must end in an error.
final class FuzzReplayTests: XCTestCase {
    static let fixtures = TestResources.repositoryRoot.appendingPathComponent("Tests/Fixtures")

    private func harness() throws -> FuzzHarness {
        let scratch = try TestResources.temporaryDirectory("lna-fuzz-replay")
        addTeardownBlock { try? FileManager.default.removeItem(at: scratch) }
        return try FuzzHarness(scratch: scratch)
    }

    private func files(_ folder: String, _ reader: FuzzReader) throws -> [URL] {
        let directory = Self.fixtures.appendingPathComponent(folder).appendingPathComponent(reader.rawValue)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    private func assertOneLine(_ outcome: FuzzOutcome, _ label: String) {
        guard case .error(let message) = outcome else { return }
        XCTAssertFalse(message.isEmpty, "\(label): empty error message")
        XCTAssertFalse(message.contains("\n"), "\(label): error message is not one line: \(message)")
    }

    /// The seeds read to values: the harness reaches each reader past its header checks.
    func testSeedsReadToValues() throws {
        let harness = try harness()
        for reader in FuzzReader.allCases {
            var seeds = try FuzzSeeds.contents(reader, scratch: harness.scratch)
            seeds += try files("fuzz-corpus", reader).filter { $0.lastPathComponent.hasPrefix("seed-") }
                .map { Array(try Data(contentsOf: $0)) }
            XCTAssertFalse(seeds.isEmpty, "\(reader) has no seeds")
            for (index, seed) in seeds.enumerated() {
                XCTAssertEqual(harness.run(reader, seed), .value, "\(reader) seed \(index)")
            }
        }
    }

    /// Every regression fixture ends in a value or a one-line error; `error-*` ones in an error.
    func testRegressionFixturesEndInErrorsNotTraps() throws {
        let harness = try harness()
        var count = 0
        for reader in FuzzReader.allCases {
            for url in try files("fuzz", reader) {
                let outcome = harness.run(reader, Array(try Data(contentsOf: url)))
                let label = "\(reader)/\(url.lastPathComponent)"
                assertOneLine(outcome, label)
                if url.lastPathComponent.hasPrefix("error-") {
                    guard case .error = outcome else { XCTFail("\(label) was accepted"); continue }
                }
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 30, "the hand-made fixtures of issue 12 are missing")
    }

    /// The saved corpora (a few thousand inputs) replay without a trap.
    func testSavedCorporaReplay() throws {
        let harness = try harness()
        for reader in FuzzReader.allCases {
            let inputs = try files("fuzz-corpus", reader)
            XCTAssertGreaterThan(inputs.count, 5, "\(reader) has no saved corpus")
            for url in inputs {
                assertOneLine(harness.run(reader, Array(try Data(contentsOf: url))), "\(reader)/\(url.lastPathComponent)")
            }
        }
    }

    /// Specific messages of the input classes: each names the problem.
    func testHostileInputsNameTheProblem() throws {
        let harness = try harness()
        let expectations: [(FuzzReader, String, String)] = [
            (.gguf, "error-misaligned-offset-near-2^63.gguf", "not a multiple of the alignment"),
            (.tokenizer, "error-nested-60000-deep.json", "at most 128 nested"),
            (.tokenizer, "error-vocab-id-1e14.json", "found id 100000000000000"),
            (.torch, "error-zip64-fields-2^63.pt", "beyond any file size"),
            (.torch, "error-shape-product-overflow.pt", "more elements than"),
            (.torch, "error-self-containing-list.pt", "contain themselves"),
            (.torch, "error-memo-doubling-2^60.pt", "memo references expand"),
            (.statistics, "error-counts-overflow-on-merge.safetensors", "overflows a 64-bit count"),
            (.masks, "error-width-2^31.json", "width 2147483648"),
            (.masks, "error-index-2^63-1.pth", "width 9223372036854775807"),
        ]
        for (reader, name, fragment) in expectations {
            let url = Self.fixtures.appendingPathComponent("fuzz/\(reader.rawValue)/\(name)")
            let outcome = harness.run(reader, Array(try Data(contentsOf: url)))
            guard case .error(let message) = outcome else { XCTFail("\(name) was accepted"); continue }
            XCTAssertTrue(message.contains(fragment), "\(name): \(message)")
        }
    }

    /// `lna masks show` on a masks.json of width 2^31 took 4.2 GB and exited 0; now it fails before allocating.
    /// Measured in a child process (wait4 gives that process's own peak resident size).
    func testMasksWidth2e31FailsBeforeAllocating() throws {
        guard let lna = try TestResources.lnaBinary() else { return }
        let masks = Self.fixtures.appendingPathComponent("fuzz/masks/error-width-2^31.json")
        let run = try ChildProcess.run(lna.path, ["masks", "show", masks.path])
        XCTAssertTrue((1...127).contains(run.status), "exit status \(run.status)")
        XCTAssertTrue(run.stderr.contains("width 2147483648"), run.stderr)
        XCTAssertLessThan(run.peakResidentKB, 300_000, "peak resident \(run.peakResidentKB) KB")
    }
}
