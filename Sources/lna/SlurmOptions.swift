import ArgumentParser
import LNAFiles

/// `lna run --slurm …`: how the run is cut into Slurm jobs and what each job asks for.
struct SlurmOptions: ParsableArguments {
    @Flag(name: .customLong("slurm"), help: "Write the run's Slurm job scripts to OUT/slurm/ and submit them (when sbatch is on PATH) instead of running here.")
    var enabled = false
    @Flag(help: "With --slurm: write the job scripts and OUT/slurm/submit.sh, submit nothing.")
    var dryRun = false
    @Option(help: "With --slurm: recording array tasks (shards of every language's forward calls).")
    var tasks = 4
    @Option(help: "With --slurm: perplexity-grid array tasks (cells split across tasks).")
    var pplTasks = 4
    @Option(help: "With --slurm: steering-grid array tasks (cells split across tasks).")
    var steeringTasks = 2
    @Option(help: "With --slurm: #SBATCH --cpus-per-task of every job.")
    var cpusPerTask = 8
    @Option(help: "With --slurm: #SBATCH --mem of every job.")
    var mem = "8G"
    @Option(help: "With --slurm: #SBATCH --time of every job.")
    var time = "04:00:00"
    @Option(help: "With --slurm: another #SBATCH option for every job, e.g. --sbatch=--partition=cpu (repeatable).")
    var sbatch: [String] = []

    func validate() throws {
        for (flag, value) in [("--tasks", tasks), ("--ppl-tasks", pplTasks), ("--steering-tasks", steeringTasks)]
        where !(1...Shard.maxCount).contains(value) {
            throw ValidationError("\(flag) \(value): expected 1 to \(Shard.maxCount)")
        }
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task \(cpusPerTask): expected ≥ 1") }
        for value in [mem, time] + sbatch where value.contains(where: \.isNewline) {
            throw ValidationError("Slurm option '\(value)': a line break would end the #SBATCH line")
        }
        for option in sbatch where !option.hasPrefix("-") {
            throw ValidationError("--sbatch '\(option)': expected an sbatch option such as --partition=cpu")
        }
        if dryRun && !enabled { throw ValidationError("--dry-run is an option of --slurm") }
    }
}
