import AWS
import Engine
import Foundation
import ImgStack
import TestSupport

/// One evaluated stack run through the engine's `Deployment` against the emulator, as
/// `imgstack plan | apply | destroy` runs it (the account check included), with its state kept
/// in memory.
struct StackRun {
    let evaluation: Stack.Evaluation
    var client: AWSClient
    let backend = InMemoryStateBackend()
    /// Told every event of every run (operation times for ``ImageServerBenchmark/OperationDurations``).
    var events: @Sendable (DeploymentEvent) -> Void = { _ in }

    /// Evaluates `stack` with `variables` in `region`.
    /// - Throws: the stack's validation errors.
    init(_ stack: Stack, variables: [String: Engine.Value], region: String, client: AWSClient) throws {
        evaluation = try stack.evaluate(variables: variables, region: region)
        self.client = client
    }

    /// The stack's resources as declared.
    var resources: [ResourceDeclaration] { evaluation.definition.resources }

    /// Runs `operation` (`.plan` refreshes and plans; `.apply` and `.destroy` carry it out).
    func deploy(_ operation: Deployment.Operation) async throws -> Deployment.Result {
        // The account check as `imgstack` makes it: STS `GetCallerIdentity` for keys, nothing
        // for role credentials (``AWSClient/callerAccount()``).
        let client = self.client
        return try await Deployment(stack: evaluation.definition, variables: evaluation.variables, backend: backend, client: client,
                                    options: Deployment.Options(operation: operation), account: { try await client.callerAccount() },
                                    events: events).run()
    }

    /// Applies or destroys.
    /// - Throws: when any operation failed or did not run.
    func execute(_ operation: Deployment.Operation) async throws {
        let summary = try await deploy(operation).summary ?? .nothingToDo
        guard summary.succeeded else {
            throw AWSClientError(.invalidResponse, "\(evaluation.definition.name) \(operation) failed: \(summary.failures)")
        }
    }

    /// The role the benchmarks' web identity sessions assume (moto grants any), in the
    /// emulator's account.
    static let webIdentityRoleARN = "arn:aws:iam::123456789012:role/imgstack-benchmark"

    /// Applies and destroys `stack` once, untimed: moto makes a service's backend on the first
    /// call to it in a region (up to a second), which no timed run should include.
    static func warmUp(_ stack: Stack, variables: [String: Engine.Value], region: String, emulator: Emulator) async throws {
        let untimed = try StackRun(stack, variables: variables, region: region, client: emulator.client(region: region))
        try await untimed.execute(.apply)
        try await untimed.execute(.destroy)
    }

    /// Plans with nothing to change, as after an apply.
    /// - Throws: when the plan has changes.
    func planNothing() async throws {
        let actionable = try await deploy(.plan).plan.actionable
        guard actionable.isEmpty else {
            throw AWSClientError(.invalidResponse, "the \(evaluation.definition.name) plan after apply is not empty: \(actionable.map(\.address))")
        }
    }
}

/// A script of `Benchmarks/boto3/`, run with the emulator's endpoint and test credentials.
enum Boto3Script {
    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `Benchmarks/boto3/<name>` with `arguments`.
    /// - Returns: the seconds the script printed (what it timed itself).
    /// - Throws: when python3 is missing, or the script fails or prints no number.
    static func seconds(_ name: String, _ arguments: [String], emulator: Emulator, region: String) async throws -> Double {
        guard let python = ProcessRunner.which("python3") else { throw AWSClientError(.invalidResponse, "python3 is not on PATH") }
        var environment = emulator.environment(region: region)
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        let script = root.appendingPathComponent("Benchmarks/boto3/\(name)")
        let result = try await ProcessRunner(executable: python, arguments: [script.path] + arguments, environment: environment).run(timeout: 900)
        guard result.status == 0, let seconds = Double(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw AWSClientError(.invalidResponse, "boto3 \(name) \(arguments.first ?? "") failed (\(result.status)): \(result.standardError)")
        }
        return seconds
    }
}
