import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport

/// A no-op plan's distance from the parallel read floor, for seed 004 (`microservice-storage`),
/// the image server and a stack of 1,000 buckets (the `plan` benchmark's, tagged in chains of
/// ten), behind a proxy holding every call 40 ms: each stack is applied, then planned again with
/// nothing to change (the engine's `Deployment`, as `imgstack plan` runs it, the account check
/// included; three times, once for the 1,000 buckets). The floor is the reads the plan made
/// (counted by the proxy) × the latency ÷ `--parallelism` (10): what the plan would cost with
/// every read in flight at once, no read waiting on another. The figure that matters is the
/// ratio of the median time to the floor (issue #13 asks ≤ 1.2).
///
/// A run first checks the state's account against its credentials' (``AWSClient/callerAccount()``).
/// The plans are made twice: with role credentials (web identity, as GitHub OIDC gives them),
/// whose session ARN names the account, so the plan's calls are its reads; and with the
/// emulator's access keys, which name no account, so STS `GetCallerIdentity` goes first, one
/// round trip before any read. The floors are the role plan's.
///
/// The emulator's own service time (moto and the verifying proxy are Python, one call at a time
/// on the CPU) is part of the plan's time, not of that floor; so a second, measured floor is
/// given beside it: as many STS `GetCallerIdentity` calls as the plan made reads, ten in flight at
/// a time, through the same proxy and client. Beside the floor, the whole-round floor: no
/// schedule makes n reads, at most p in flight and each a latency long, in less than ⌈n ÷ p⌉
/// latencies (21 reads ten at a time take three).
///
/// The apply before the plans is timed too (one run, with the access keys), beside its
/// critical-path floor: its longest chain of dependent calls × the latency (``CallChains``), and
/// the same chain with each call weighing what it took. moto makes a service's backend on the
/// first call to it in a region, which can take a second; so each of the first two stacks is
/// applied and destroyed once, untimed, first.
///
/// Environment: `IMGSTACK_BENCHMARK_REFRESH_COUNT` sets the number of buckets (default 1,000; 0
/// leaves that stack out); `IMGSTACK_BENCHMARK_REFRESH_STACKS` names the other stacks to run
/// (comma-separated, default both); `IMGSTACK_BENCHMARK_REFRESH_RUNS` the plans of each (default 3).
enum RefreshFloorBenchmark {
    static let latencyMilliseconds = 40

    static func run() async throws {
        let emulator = try Emulator.shared().withLatency(milliseconds: latencyMilliseconds)
        _ = try await emulator.client().sts.getCallerIdentity()  // moto makes its STS backend on the first call
        let suffix = UUID().uuidString.prefix(6).lowercased()
        let environment = ProcessInfo.processInfo.environment
        let chosen = environment["IMGSTACK_BENCHMARK_REFRESH_STACKS"].map { Set($0.split(separator: ",").map(String.init)) }
        let runs = Measure.count("IMGSTACK_BENCHMARK_REFRESH_RUNS", default: 3)
        for (stack, region, variables) in [
            (microserviceStorage, "us-east-1", ["service": Engine.Value.string("floor-\(suffix)"), "allowed_cidr": "203.0.113.10/32"]),
            (imageServer, "eu-west-1", ["service": Engine.Value.string("floor-\(suffix)")]),
        ] where chosen.map({ $0.contains(stack.name) }) ?? true {
            var warmUp = variables
            warmUp["service"] = .string("warm-\(suffix)")
            try await StackRun.warmUp(stack, variables: warmUp, region: region, emulator: emulator)
            try await measure(stack, region: region, variables: variables, runs: runs, emulator: emulator)
        }
        let buckets = environment["IMGSTACK_BENCHMARK_REFRESH_COUNT"].flatMap(Int.init) ?? 1_000
        if buckets > 0 {
            try await measure(PlanBenchmark.stack(buckets), region: PlanBenchmark.region, variables: [:], runs: 1, emulator: emulator)
        }
    }

    private static func measure(_ stack: Stack, region: String, variables: [String: Engine.Value], runs: Int,
                                emulator: Emulator) async throws {
        let options = Deployment.Options(operation: .plan)
        let chains = CallChains()
        let run = try StackRun(stack, variables: variables, region: region, client: emulator.client(region: region).recording { chains.record($0) })
        let applySeconds = try await Measure.seconds { try await run.execute(.apply) }
        let chain = chains.longest(run.resources)
        let applyFloor = chain.floor(latency: Double(latencyMilliseconds) / 1000, parallelism: options.parallelism)
        Measure.report("apply: \(stack.name)", applySeconds * 1000, "ms", "one run, \(chain.total) calls, \(latencyMilliseconds) ms per call")
        Measure.report("apply: \(stack.name), critical-path floor", applyFloor * 1000, "ms",
                       "longest chain of dependent calls (\(chain.calls)), or all \(chain.total) ÷ \(options.parallelism), × \(latencyMilliseconds) ms")
        Measure.report("apply: \(stack.name), time / floor", applySeconds / applyFloor, "x")
        Measure.report("apply: \(stack.name), chain of calls as they took", chain.seconds * 1000, "ms")
        Measure.report("apply: \(stack.name), time / chain as they took", applySeconds / chain.seconds, "x")
        chain.printPath("apply: \(stack.name)")

        // Role credentials name their account: the plan asks nothing before its reads.
        let role = try await emulator.client(region: region).sts.assumeRoleWithWebIdentity(
            roleARN: StackRun.webIdentityRoleARN, sessionName: "refresh-floor", webIdentityToken: "benchmark.oidc.token")
        var roleRun = run
        roleRun.client = emulator.client(region: region, credentials: role).recording { chains.record($0) }
        let withRole = try await plans(roleRun, stack.name, runs: runs, chains: chains, emulator: emulator)
        let withKeys = try await plans(run, "\(stack.name), access keys", runs: runs, chains: chains, emulator: emulator)
        let reads = withRole.calls
        let floor = Double(reads) * Double(latencyMilliseconds) / 1000 / Double(options.parallelism)
        var measuredFloors: [Double] = []
        for _ in 0..<runs { measuredFloors.append(try await independentReads(reads, parallelism: options.parallelism, emulator: emulator, region: region)) }
        let measuredFloor = Measure.median(measuredFloors)
        // No schedule does better than whole rounds of `parallelism` calls, each a latency long.
        let rounds = (reads + options.parallelism - 1) / options.parallelism
        let roundFloor = Double(rounds * latencyMilliseconds) / 1000
        Measure.report("no-op plan: \(stack.name)", withRole.median * 1000, "ms",
                       "median of \(runs), role credentials (web identity): \(withRole.calls) calls, all reads, \(latencyMilliseconds) ms per call")
        Measure.report("no-op plan: \(stack.name), parallel read floor", floor * 1000, "ms", "reads × latency ÷ parallelism \(options.parallelism)")
        Measure.report("no-op plan: \(stack.name), time / floor", withRole.median / floor, "x")
        Measure.report("no-op plan: \(stack.name), whole-round floor", roundFloor * 1000, "ms",
                       "⌈reads ÷ parallelism⌉ = \(rounds) rounds × latency")
        Measure.report("no-op plan: \(stack.name), time / whole-round floor", withRole.median / roundFloor, "x")
        Measure.report("no-op plan: \(stack.name), measured floor", measuredFloor * 1000, "ms", "\(reads) independent reads, \(options.parallelism) at a time")
        Measure.report("no-op plan: \(stack.name), time / measured floor", withRole.median / measuredFloor, "x")
        Measure.report("no-op plan: \(stack.name), access keys", withKeys.median * 1000, "ms",
                       "median of \(runs), \(withKeys.calls) calls: GetCallerIdentity, then the reads")
        Measure.report("no-op plan: \(stack.name), access keys / floor", withKeys.median / floor, "x")
        Measure.report("no-op plan: \(stack.name), access keys / (GetCallerIdentity + whole rounds)",
                       withKeys.median / (roundFloor + Double(latencyMilliseconds) / 1000), "x")
        try await run.execute(.destroy)
    }

    /// Plans `run` with nothing to change `runs` times.
    /// - Returns: the median seconds, and the calls of one plan (counted by the proxy).
    private static func plans(_ run: StackRun, _ title: String, runs: Int, chains: CallChains,
                              emulator: Emulator) async throws -> (median: Double, calls: Int) {
        var times: [Double] = []
        var calls = 0
        for _ in 0..<runs {
            try await emulator.resetCalls()
            chains.reset()
            let start = Date()
            times.append(try await Measure.seconds { try await run.planNothing() })
            chains.printTimeline("no-op plan: \(title)", since: start, until: Date())
            calls = try await emulator.calls().values.reduce(0, +)
        }
        return (Measure.median(times), calls)
    }

    /// Seconds taken by `count` STS `GetCallerIdentity` calls, `parallelism` in flight at a time.
    private static func independentReads(_ count: Int, parallelism: Int, emulator: Emulator, region: String) async throws -> Double {
        try await TransportBenchmark.callerIdentities(count, concurrency: parallelism, client: emulator.client(region: region))
    }
}
