import Foundation
import LNAFormats
import LNATestSupport
import Testing

/// `lna run --slurm`: the job scripts it writes, and the whole pipeline on a real one-node Slurm cluster
/// (scripts/test-slurm.sh) compared with a single-machine `lna run`.
@Suite(.serialized) struct SlurmCLITests {
    @Test func dryRunWritesChainedJobScripts() throws {
        let dir = try TestResources.temporaryDirectory("lna-slurm-dry")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let model = try TestResources.model("smollm2-135m"),
              let r = try runLNA(["run", "-m", model.path, "-l", "en,fr", "--out", dir.path, "--slurm", "--dry-run",
                                  "--tasks", "5", "--ppl-tasks", "3", "--steering-tasks", "2", "--eval", "mgsm",
                                  "--sbatch=--partition=cpu"]) else { return }
        #expect(r.status == 0, "\(r.err)")
        let slurm = dir.appendingPathComponent("slurm")
        func text(_ name: String) throws -> String { try String(contentsOf: slurm.appendingPathComponent(name), encoding: .utf8) }
        let submit = try text("submit.sh")
        // Arrays for recording and both grids; every later job waits for the ones it needs and dies with them:
        // afterok on single jobs, afterany on arrays (whose tasks the job then checks: a requeued task would
        // fail afterok for good).
        #expect(submit.contains(#"record=$("$sbatch" --parsable --array=0-4 record.sh)"#))
        #expect(submit.contains(#"merge=$("$sbatch" --parsable --export=ALL,LNA_SLURM_ARRAYS=$record --dependency=afterany:$record --kill-on-invalid-dep=yes merge.sh)"#))
        #expect(submit.contains("--dependency=afterok:$merge --kill-on-invalid-dep=yes identify.sh"))
        #expect(submit.contains("--array=0-2 --dependency=afterok:$identify --kill-on-invalid-dep=yes ppl.sh"))
        #expect(submit.contains("--array=0-1 --dependency=afterok:$identify --kill-on-invalid-dep=yes steering.sh"))
        #expect(submit.contains("--dependency=afterok:$identify --kill-on-invalid-dep=yes eval_mgsm.sh"))
        #expect(submit.contains("--export=ALL,LNA_SLURM_ARRAYS=$ppl:$steering --dependency=afterany:$ppl,afterany:$steering,afterok:$eval_mgsm --kill-on-invalid-dep=yes report.sh"))
        #expect(try text("merge.sh").contains("grep -v -x 'JobState=COMPLETED'"))
        #expect(!(try text("identify.sh")).contains("LNA_SLURM_ARRAYS"))
        let record = try text("record.sh")
        #expect(record.contains("#SBATCH --requeue") && record.contains("#SBATCH --partition=cpu"))
        #expect(record.contains(#"'--shard' "$SLURM_ARRAY_TASK_ID/5""#) && record.contains("'\(dir.path)/shards'"))
        #expect(try text("merge.sh").contains(#"'\#(dir.path)/shards/'"$language"'.shard-'{0..4}'-of-5.safetensors' --out '\#(dir.path)/activations/'"$language"'.safetensors'"#))
        #expect(try text("ppl.sh").contains(#"'--shard' "$SLURM_ARRAY_TASK_ID/3""#))
        let report = try text("report.sh")
        #expect(report.contains("'\(dir.path)/ppl/ppl.shard-'{0..2}'-of-3.json' --out '\(dir.path)/ppl/ppl.json'"))
        #expect(report.contains("'\(dir.path)/steering/grid.shard-'{0..1}'-of-2.json' --out '\(dir.path)/steering/grid.json'"))
        // Dry run: nothing recorded or submitted.
        #expect(!FileManager.default.fileExists(atPath: slurm.appendingPathComponent("jobs.txt").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("shards").path))
    }

    /// The Must-show of issue 15: a real cluster, a task killed and requeued, results equal to one machine.
    @Test func pipelineOnARealSlurmClusterEqualsOneMachine() throws {
        guard let binary = try TestResources.lnaBinary(), try TestResources.model("smollm2-135m") != nil else { return }
        let work = try TestResources.temporaryDirectory("lna-slurm")
        defer { try? FileManager.default.removeItem(at: work) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [TestResources.repositoryRoot.appendingPathComponent("scripts/test-slurm.sh").path, work.path]
        var environment = ProcessInfo.processInfo.environment
        environment["LNA_BIN"] = binary.path
        environment["LNA_MODELS_DIR"] = TestResources.modelsDirectory.path
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(log)
        try #require(process.terminationStatus == 0, "scripts/test-slurm.sh failed:\n\(log)")

        // The counts (and prefix counts) of every language: bit for bit; sum_act is added in another order
        // (shard by shard), so it agrees to Double rounding only.
        for language in ["en", "de", "zh"] {
            let sharded = try SafeTensorsFile(contentsOf: work.appendingPathComponent("slurm-run/activations/\(language).safetensors"))
            let single = try SafeTensorsFile(contentsOf: work.appendingPathComponent("local-run/activations/\(language).safetensors"))
            #expect(sharded.tensorNames.sorted() == single.tensorNames.sorted())
            for name in single.tensorNames {
                if name.contains("sum") {
                    let a = try sharded.doubles(name), b = try single.doubles(name)
                    let gap = zip(a, b).map { abs($0 - $1) / max(abs($1), 1e-30) }.max() ?? 0
                    #expect(a.count == b.count && gap < 1e-12, "\(language) \(name): relative gap \(gap)")
                } else {
                    #expect(Array(try sharded.rawBytes(name)) == Array(try single.rawBytes(name)), "\(language) \(name) differs")
                }
            }
            #expect(sharded.tensorNames.contains { $0.contains("over_zero") })
        }
    }
}
