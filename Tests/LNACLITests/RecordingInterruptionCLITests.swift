import Foundation
import Testing
import LNAFormats
import LNATestSupport

// Two `lna activation` runs on one --out, and a run killed while writing its output: neither leaves a file that a
// later command accepts as complete (issue 12).

/// Starts `lna` with extra environment variables; output is discarded unless asked for.
private func startLNA(_ binary: URL, _ arguments: [String], environment extra: [String: String] = [:],
                      stderr: Pipe? = nil) throws -> Process {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = stderr ?? FileHandle.nullDevice
    try process.run()
    return process
}

/// The statistics file's total token count, read with the library's safetensors reader (so a truncated or
/// half-written file fails here as it would in any lna command).
private func totalTokens(_ url: URL) throws -> Int64 {
    let file = try SafeTensorsFile(contentsOf: url)
    #expect(file.tensorInfo("over_zero") != nil)
    return try file.int64s("total_tokens")[0]
}

@Suite(.serialized) struct RecordingInterruptionCLITests {
    /// While one run records into an output, a second run on the same output fails at once with a one-line error
    /// naming the lock; killing the first then leaves no output file, and a later run writes a complete one.
    @Test func twoRunsOnOneOutputDoNotInterleave() throws {
        guard try TestResources.model("gemma3-270m") != nil, let binary = try TestResources.lnaBinary() else { return }
        let dir = try TestResources.temporaryDirectory("lna-rec-concurrent")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = dir.appendingPathComponent("ids.txt")
        try writeTokenLines(tokens, count: 60, seed: 5)
        let common = ["-l", "en", "--tokens-file", tokens.path, "--batch-tokens", "256", "--checkpoint-every", "1"]
        let shared = dir.appendingPathComponent("shared")
        let first = try startLNA(binary, lnaArguments(common + ["--out", shared.path]))
        // The first run holds the lock before its first checkpoint appears.
        let checkpoint = shared.appendingPathComponent("en.safetensors.partial")
        let deadline = Date().addingTimeInterval(300)
        while !FileManager.default.fileExists(atPath: checkpoint.path) && first.isRunning && Date() < deadline { usleep(20_000) }
        let second = try #require(try runLNA(lnaArguments(common + ["--out", shared.path, "--resume"])))
        let firstStillRunning = first.isRunning
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(firstStillRunning, "the first run finished before the second one tried; give it more data")
        #expect(second.status != 0)
        #expect(second.err.contains("another lna process is writing"), "\(second.err)")
        #expect(second.err.split(separator: "\n").count == 1, "\(second.err)")
        #expect(!FileManager.default.fileExists(atPath: shared.appendingPathComponent("en.safetensors").path))

        // The lock died with its holder: the next run resumes from the checkpoint and completes.
        let resumed = try #require(try runLNA(lnaArguments(common + ["--out", shared.path, "--resume"])))
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(try totalTokens(shared.appendingPathComponent("en.safetensors")) > 0)
    }

    /// Killed (SIGKILL) in the middle of writing en.safetensors: no en.safetensors appears, the half-written
    /// temporary file is invisible to `lna identify`, and `--resume` then writes the complete file.
    @Test func aRunKilledWhileWritingLeavesNothingAccepted() throws {
        guard try TestResources.model("gemma3-270m") != nil, let binary = try TestResources.lnaBinary() else { return }
        let dir = try TestResources.temporaryDirectory("lna-rec-killed-write")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = dir.appendingPathComponent("ids.txt")
        try writeTokenLines(tokens, count: 8, seed: 7)
        let common = ["-l", "en", "--tokens-file", tokens.path, "--batch-tokens", "256", "--checkpoint-every", "0"]

        // The only file this run writes is the output; it dies after the first 4 KB of it.
        let out = dir.appendingPathComponent("killed")
        let killed = try startLNA(binary, lnaArguments(common + ["--out", out.path]),
                                  environment: ["LNA_TEST_KILL_AFTER_BYTES": "4096"])
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal && killed.terminationStatus == SIGKILL)
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(!left.contains("en.safetensors"))
        let partial = try #require(left.first { $0.hasPrefix(".en.safetensors.tmp-") }, "\(left)")
        #expect(throws: (any Error).self) { try totalTokens(out.appendingPathComponent(partial)) }

        let identify = try #require(try runLNA(["identify", "--activations", out.path, "--out", dir.appendingPathComponent("masks").path]))
        #expect(identify.status != 0)

        let resumed = try #require(try runLNA(lnaArguments(common + ["--out", out.path, "--resume"])))
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(try totalTokens(out.appendingPathComponent("en.safetensors")) > 0)
    }
}
