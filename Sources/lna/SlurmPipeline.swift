import Foundation
import LNAFiles

/// `lna run --slurm`: the stages of `lna run` as Slurm batch jobs, each submitted after the jobs it needs with
/// `--kill-on-invalid-dep=yes`, so a failed job cancels what depends on it instead of leaving it pending forever.
///
/// A job waits for a single job with `afterok`, and for a job array with `afterany` plus a check, first thing in
/// its script, that every task of the array COMPLETED (`scontrol show job`). `afterok` on an array is not used
/// because Slurm (22.05, seen on the test cluster) remembers a cancelled task: after `scontrol requeue` the task
/// runs again and completes, yet the array's `afterok` still fails and cancels the rest of the run. `afterany`
/// waits for the requeued run, and a task that really failed still stops the run (the check exits 1, and the
/// `lna merge` of the shards refuses a missing shard).
///
/// Jobs (scripts in OUT/slurm/, logs in OUT/slurm/logs/):
/// record (array: shards of every language's forward calls, into OUT/shards/) → merge (sums the shards into
/// OUT/activations/) → identify (AutoSweep + figures) → ppl (array: cells of the perplexity grid) and steering
/// (array: cells of the steering grid) and one job per `--eval` task → report (joins the grids' shards with
/// `lna merge`, then writes the report). Every command is one of lna's own, with the arguments `lna run` uses,
/// so the results equal a single-machine `lna run` with the same settings (see docs/scaling-out.md).
/// Array tasks are requeue-safe: recording and both grids resume from their checkpoints.
///
/// ```swift
/// try SlurmPipeline(options: slurm, runDirectory: dir).write(stages)   // writes OUT/slurm/, then submits
/// ```
struct SlurmPipeline {
    let options: SlurmOptions
    let runDirectory: URL

    /// One batch job: its script name (also the shell variable holding its job id in submit.sh), the size of
    /// its array (nil: a single task), the jobs it waits for, and its bash lines.
    struct Job {
        let name: String
        var array: Int?
        var after: [String]
        var lines: [String]
    }

    var slurmDirectory: URL { runDirectory.appendingPathComponent("slurm") }

    /// Writes the job scripts and submit.sh, then submits them unless `--dry-run` or sbatch is not on PATH.
    func write(_ stages: [RunCommand.Stage]) throws {
        let jobs = try self.jobs(stages)
        try FileManager.default.createDirectory(at: slurmDirectory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        for job in jobs {
            try AtomicFile.write(Data(script(job, in: jobs).utf8), to: slurmDirectory.appendingPathComponent("\(job.name).sh"))
        }
        let submit = slurmDirectory.appendingPathComponent("submit.sh")
        try AtomicFile.write(Data(submitScript(jobs).utf8), to: submit)
        print("wrote \(jobs.count) job scripts and \(submit.path) (\(jobs.map { job in job.array.map { "\(job.name)[\($0)]" } ?? job.name }.joined(separator: ", ")))")
        if options.dryRun { return }
        guard let sbatch = Self.onPath("sbatch") else {
            print("sbatch is not on PATH: nothing submitted; on the cluster run  bash \(submit.path)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [submit.path]
        var environment = ProcessInfo.processInfo.environment
        environment["LNA_SBATCH"] = sbatch
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError("\(submit.path) failed (exit \(process.terminationStatus)); jobs submitted so far are listed in \(slurmDirectory.path)/jobs.txt")
        }
    }

    func jobs(_ stages: [RunCommand.Stage]) throws -> [Job] {
        var jobs: [Job] = []
        var identifyAfter: [String] = []
        var reportAfter: [String] = []
        var joins: [String] = []   // `lna merge` lines of the sharded grids, run by the report job
        for stage in stages {
            let arguments = stage.arguments
            switch stage.kind {
            case .record where options.tasks > 1:
                let shards = runDirectory.appendingPathComponent("shards").path
                let activations = try Self.value(of: "--out", in: arguments)
                jobs.append(Job(name: "record", array: options.tasks, after: [],
                                lines: [lna(try Self.replacing("--out", with: shards, in: arguments) + ["--shard", Self.taskShard(options.tasks)])]))
                jobs.append(Job(name: "merge", after: ["record"], lines: mergeStatistics(shards: shards, into: activations)))
                identifyAfter = ["merge"]
            case .record:
                jobs.append(Job(name: "record", after: [], lines: [lna(arguments)]))
                identifyAfter = ["record"]
            case .identify:
                jobs.append(Job(name: "identify", after: identifyAfter, lines: [lna(arguments)]))
            case .figures:
                guard let i = jobs.firstIndex(where: { $0.name == "identify" }) else { throw CLIError("the run's plan draws figures before identifying") }
                jobs[i].lines.append(lna(arguments))
            case .perplexity:
                let tasks = options.pplTasks
                let folder = try Self.value(of: "--out", in: arguments)
                jobs.append(gridJob("ppl", arguments, tasks: tasks))
                if tasks > 1 { joins.append(join(Self.quote(folder + "/ppl.shard-"), tasks: tasks, Self.quote("-of-\(tasks).json"), into: Self.quote(folder + "/ppl.json"))) }
                reportAfter.append("ppl")
            case .experts:
                jobs.append(Job(name: "experts", after: ["identify"], lines: [lna(arguments)]))
                reportAfter.append("experts")
            case .steering:
                let tasks = options.steeringTasks
                let folder = try Self.value(of: "--out", in: arguments) + "/steering"
                jobs.append(gridJob("steering", arguments, tasks: tasks))
                if tasks > 1 { joins.append(join(Self.quote(folder + "/grid.shard-"), tasks: tasks, Self.quote("-of-\(tasks).json"), into: Self.quote(folder + "/grid.json"))) }
                reportAfter.append("steering")
            case .evaluation(let task):
                let name = "eval_" + task.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
                jobs.append(Job(name: name, after: ["identify"], lines: [lna(arguments)]))
                reportAfter.append(name)
            case .report:
                jobs.append(Job(name: "report", after: reportAfter.isEmpty ? ["identify"] : reportAfter, lines: joins + [lna(arguments)]))
            }
        }
        return jobs
    }

    /// A grid stage as an array of `tasks` shards after identification (one plain job for one task).
    func gridJob(_ name: String, _ arguments: [String], tasks: Int) -> Job {
        Job(name: name, array: tasks > 1 ? tasks : nil, after: ["identify"],
            lines: [lna(tasks > 1 ? arguments + ["--shard", Self.taskShard(tasks)] : arguments)])
    }

    /// The job arrays among the jobs `job` waits for.
    static func arrays(before job: Job, in jobs: [Job]) -> [String] {
        job.after.filter { name in jobs.first { $0.name == name }?.array != nil }
    }

    /// `lna merge BEFORE{0..n-1}AFTER --out OUT`: the n shard files of one output (arguments already words for bash).
    func join(_ before: String, tasks: Int, _ after: String, into out: String) -> String {
        "\(Self.quote(Self.lnaPath)) merge \(before){0..\(tasks - 1)}\(after) --out \(out)"
    }

    /// Sums the shards of every language recorded into `activations`. Every language needs all n shard files
    /// (`lna merge` refuses a missing one), and a checkpoint left behind means a task did not finish.
    func mergeStatistics(shards: String, into activations: String) -> [String] {
        let n = options.tasks
        let folder = Self.quote(shards)
        return [
            "shopt -s nullglob",
            "partial=(\(folder)/*.partial)",
            "[ ${#partial[@]} -eq 0 ] || { echo \"unfinished recording shards: ${partial[*]}\" >&2; exit 1; }",
            "languages=$(for file in \(folder)/*.shard-*-of-\(n).safetensors; do basename \"$file\" | sed 's/[.]shard-[0-9]*-of-\(n)[.]safetensors$//'; done | sort -u)",
            "[ -n \"$languages\" ] || { echo \"no recording shards in \(shards)\" >&2; exit 1; }",
            "for language in $languages; do",
            "    " + join(Self.quote(shards + "/") + "\"$language\"" + Self.quote(".shard-"), tasks: n, Self.quote("-of-\(n).safetensors"),
                          into: Self.quote(activations + "/") + "\"$language\"" + Self.quote(".safetensors")),
            "done",
        ]
    }

    /// `$SLURM_ARRAY_TASK_ID/n`, written unquoted-by-single-quotes so the shell expands it.
    static func taskShard(_ n: Int) -> String { "$SLURM_ARRAY_TASK_ID/\(n)" }

    func lna(_ arguments: [String]) -> String {
        ([Self.lnaPath] + arguments).map { $0.hasPrefix("$SLURM_ARRAY_TASK_ID/") ? "\"\($0)\"" : Self.quote($0) }.joined(separator: " ")
    }

    /// One batch script: #SBATCH header, then the job's lines run from the directory `lna run` was started in
    /// (after checking the arrays it waited for; `jobs` are all jobs of the run).
    func script(_ job: Job, in jobs: [Job]) -> String {
        let log = slurmDirectory.appendingPathComponent("logs").path + "/" + job.name + (job.array == nil ? "-%j.out" : "-%A_%a.out")
        var lines = ["#!/bin/bash",
                     "# Job '\(job.name)' of the run \(runDirectory.path), written by `lna run --slurm`; submitted by submit.sh.",
                     "#SBATCH --job-name=lna-\(runDirectory.lastPathComponent)-\(job.name)",
                     "#SBATCH --output=\(log)",
                     "#SBATCH --open-mode=append",
                     "#SBATCH --requeue",
                     "#SBATCH --cpus-per-task=\(options.cpusPerTask)",
                     "#SBATCH --mem=\(options.mem)",
                     "#SBATCH --time=\(options.time)"]
        lines += options.sbatch.map { "#SBATCH \($0)" }
        lines += ["set -euo pipefail", "cd \(Self.quote(FileManager.default.currentDirectoryPath))"]
        if !Self.arrays(before: job, in: jobs).isEmpty {
            lines += ["# The arrays this job waited for (afterany): every task must have completed.",
                      "for array in ${LNA_SLURM_ARRAYS//:/ }; do",
                      "    unfinished=$(scontrol -o show job \"$array\" | grep -o 'JobState=[A-Z_]*' | grep -v -x 'JobState=COMPLETED' || true)",
                      "    [ -z \"$unfinished\" ] || { echo \"job array $array has tasks that did not complete: \"$unfinished >&2; exit 1; }",
                      "done"]
        }
        lines += job.lines
        return lines.joined(separator: "\n") + "\n"
    }

    /// submit.sh: submits every job after the ones it needs and prints (and saves in jobs.txt) "name jobid".
    func submitScript(_ jobs: [Job]) -> String {
        var lines = ["#!/bin/bash",
                     "# Submits the jobs of \(runDirectory.path) to Slurm, each after the jobs it needs (afterok; afterany for arrays).",
                     "# Prints one line per job, \"name jobid\", also saved in jobs.txt. Written by `lna run --slurm`.",
                     "set -euo pipefail",
                     "cd \"$(dirname \"${BASH_SOURCE[0]}\")\"",
                     "sbatch=\"${LNA_SBATCH:-sbatch}\"",
                     ": > jobs.txt"]
        for job in jobs {
            var flags = ["--parsable"]
            if let n = job.array { flags.append("--array=0-\(n - 1)") }
            let arrays = Self.arrays(before: job, in: jobs)
            if !arrays.isEmpty { flags.append("--export=ALL,LNA_SLURM_ARRAYS=" + arrays.map { "$\($0)" }.joined(separator: ":")) }
            if !job.after.isEmpty {
                let kinds = job.after.map { arrays.contains($0) ? "afterany:$\($0)" : "afterok:$\($0)" }
                flags.append("--dependency=" + kinds.joined(separator: ","))
                flags.append("--kill-on-invalid-dep=yes")
            }
            lines.append("\(job.name)=$(\"$sbatch\" \(flags.joined(separator: " ")) \(job.name).sh)")
            lines.append("\(job.name)=${\(job.name)%%;*}   # \"id;cluster\" on federated clusters")
            lines.append("echo \"\(job.name) $\(job.name)\" | tee -a jobs.txt")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The value after `flag` in a stage's arguments.
    static func value(of flag: String, in arguments: [String]) throws -> String {
        guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { throw CLIError("the run's plan has no \(flag) in: \(arguments.joined(separator: " "))") }
        return arguments[i + 1]
    }

    static func replacing(_ flag: String, with value: String, in arguments: [String]) throws -> [String] {
        guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { throw CLIError("the run's plan has no \(flag) in: \(arguments.joined(separator: " "))") }
        var copy = arguments
        copy[i + 1] = value
        return copy
    }

    /// This lna binary, so the jobs run the same build that wrote them.
    static var lnaPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CLI.absolutePath(CommandLine.arguments[0])
    }

    /// A word for bash: single-quoted, with ' written as '\''.
    static func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The first executable `name` on PATH.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
