import ArgumentParser

/// `--parallelism N` of `plan`, `apply` and `destroy`, as Terraform's `-parallelism`: how many
/// operations run at once, and how many calls a refresh has in flight (default 10).
struct ParallelismOption: ParsableArguments {
    // Unconditional, so `--parallelism -1` is read as a bad value, not as a missing one.
    @Option(name: .long, parsing: .unconditional, help: "How many operations run at once, and calls in flight while refreshing (at least 1).")
    var parallelism = 10

    func validate() throws {
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1") }
    }
}
