import AWS
import Engine
import Foundation

/// Every call of a run, with the resource it was made for and when it went out and came back,
/// from the client's recorder (`AWSClient.recording`): what an apply's floor is computed from.
///
/// A chain inside one resource's operation is calls each sent after the one before it was
/// answered; across resources, a resource's chain follows the longest of those it depends on.
/// Calls made for no resource count as a chain of their own, before every resource.
final class CallChains: @unchecked Sendable {
    /// The longest chains of a run, by two measures.
    struct Longest {
        /// The most calls in a chain: the floor is this × the latency.
        var calls: Int
        /// The longest chain with each call weighing what it took (seconds): the run's time if
        /// nothing but its calls took any.
        var seconds: Double
        /// Every call of the run.
        var total: Int
        /// The calls of the chain with the most calls, in order, each as `resource Operation time`
        /// (`s3.bucket.images PutBucketEncryption 61 ms`); `-` for a call made for no resource.
        var path: [String]

        /// The floor of a run with about `parallelism` calls in flight, each `latency` seconds
        /// long: its longest chain, or, for a stack wider than `parallelism`, all its calls
        /// `parallelism` at a time, whichever is longer. An apply's `--parallelism` bounds
        /// operations, not calls (a role's inline policies are put together), so for a wide
        /// stack this is an estimate, not a strict bound.
        func floor(latency: Double, parallelism: Int) -> Double {
            max(Double(calls), Double(total) / Double(parallelism)) * latency
        }

        /// Prints ``path``, one call a line under `title`, when `IMGSTACK_BENCHMARK_CALLS=1`.
        func printPath(_ title: String) {
            guard ProcessInfo.processInfo.environment["IMGSTACK_BENCHMARK_CALLS"] == "1" else { return }
            print("\(title): its longest chain of dependent calls (\(calls))")
            for call in path { print("  \(call)") }
        }
    }

    /// One attempt of one call: its operation and when it went out and came back.
    struct Call {
        var operation: String
        var timing: ClosedRange<Date>
        var seconds: Double { timing.upperBound.timeIntervalSince(timing.lowerBound) }
        var described: String { "\(operation) \(Int((seconds * 1000).rounded())) ms" }
    }

    private let lock = NSLock()
    private var recorded: [String?: [Call]] = [:]

    /// Records one attempt of one call.
    func record(_ call: AWSClient.CallRecord) {
        guard let timing = call.timing else { return }
        lock.withLock { recorded[call.resource, default: []].append(Call(operation: call.operation, timing: timing)) }
    }

    /// Prints every call recorded, one a line in the order sent, under `title`, when
    /// `IMGSTACK_BENCHMARK_CALLS=1`: when it was sent and answered, in milliseconds after `start`,
    /// then its resource (`-` for none) and operation.
    func printTimeline(_ title: String, since start: Date, until end: Date) {
        guard Measure.printsCalls else { return }
        func milliseconds(_ date: Date) -> Double { date.timeIntervalSince(start) * 1000 }
        let calls = lock.withLock { recorded.flatMap { resource, calls in calls.map { (resource, $0) } } }
        Measure.printCalls(title, end: milliseconds(end), calls.map { resource, call in
            (milliseconds(call.timing.lowerBound), milliseconds(call.timing.upperBound), "\(resource ?? "-") \(call.operation)")
        })
    }

    /// Forgets every call recorded so far.
    func reset() {
        lock.withLock { recorded = [:] }
    }

    /// The longest chains through `resources`.
    func longest(_ resources: [ResourceDeclaration]) -> Longest {
        let recorded = lock.withLock { self.recorded }
        let byCount = longest(resources, recorded) { _ in 1 }
        return Longest(calls: Int(byCount.weight), seconds: longest(resources, recorded, weight: \.seconds).weight,
                       total: recorded.values.map(\.count).reduce(0, +), path: byCount.path)
    }

    private func longest(_ resources: [ResourceDeclaration], _ recorded: [String?: [Call]],
                         weight: (Call) -> Double) -> (weight: Double, path: [String]) {
        let outside = Self.chain(recorded[nil] ?? [], weight: weight)
        let across = Self.heaviestPath(resources) { Self.chain(recorded[$0.description] ?? [], weight: weight).weight }
        let path = outside.calls.map { "- \($0.described)" } + across.resources.flatMap { address in
            Self.chain(recorded[address.description] ?? [], weight: weight).calls.map { "\(address) \($0.described)" }
        }
        return (outside.weight + across.weight, path)
    }

    /// The heaviest path through `resources` along their dependencies, each resource weighing
    /// `weight` of it.
    static func longestPath(_ resources: [ResourceDeclaration], weight: (Address) -> Double) -> Double {
        heaviestPath(resources, weight: weight).weight
    }

    /// The heaviest path through `resources` along their dependencies and the resources on it,
    /// first to last.
    private static func heaviestPath(_ resources: [ResourceDeclaration], weight: (Address) -> Double) -> (weight: Double, resources: [Address]) {
        let dependencies = Dictionary(resources.map { ($0.address, $0.dependencies) }, uniquingKeysWith: { first, _ in first })
        var finish: [Address: (weight: Double, before: Address?)] = [:]
        func through(_ address: Address) -> Double {
            if let known = finish[address] { return known.weight }
            let before = (dependencies[address] ?? []).map { ($0, through($0)) }.max { $0.1 < $1.1 }
            finish[address] = ((before?.1 ?? 0) + weight(address), before?.0)
            return finish[address]?.weight ?? 0
        }
        guard let last = resources.map({ ($0.address, through($0.address)) }).max(by: { $0.1 < $1.1 }) else { return (0, []) }
        var path = [last.0]
        while let before = finish[path[0]]?.before { path.insert(before, at: 0) }
        return (last.1, path)
    }

    /// The heaviest run of `calls` one after another, each sent after the one before it was
    /// answered, and its calls in order.
    static func chain(_ calls: [Call], weight: (Call) -> Double) -> (weight: Double, calls: [Call]) {
        let sorted = calls.sorted { $0.timing.lowerBound < $1.timing.lowerBound }
        var heaviest = sorted.map(weight)
        var before = [Int?](repeating: nil, count: sorted.count)
        for later in sorted.indices {
            for earlier in 0..<later where sorted[earlier].timing.upperBound <= sorted[later].timing.lowerBound
                && heaviest[earlier] + weight(sorted[later]) > heaviest[later] {
                heaviest[later] = heaviest[earlier] + weight(sorted[later])
                before[later] = earlier
            }
        }
        guard let last = heaviest.indices.max(by: { heaviest[$0] < heaviest[$1] }) else { return (0, []) }
        var path = [last]
        while let earlier = before[path[0]] { path.insert(earlier, at: 0) }
        return (heaviest[last], path.map { sorted[$0] })
    }
}
