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

        /// The floor of a run with about `parallelism` calls in flight, each `latency` seconds
        /// long: its longest chain, or, for a stack wider than `parallelism`, all its calls
        /// `parallelism` at a time, whichever is longer. An apply's `--parallelism` bounds
        /// operations, not calls (a role's inline policies are put together), so for a wide
        /// stack this is an estimate, not a strict bound.
        func floor(latency: Double, parallelism: Int) -> Double {
            max(Double(calls), Double(total) / Double(parallelism)) * latency
        }
    }

    private let lock = NSLock()
    private var timings: [String?: [ClosedRange<Date>]] = [:]

    /// Records one attempt of one call.
    func record(_ call: AWSClient.CallRecord) {
        guard let timing = call.timing else { return }
        lock.withLock { timings[call.resource, default: []].append(timing) }
    }

    /// Forgets every call recorded so far.
    func reset() {
        lock.withLock { timings = [:] }
    }

    /// The longest chains through `resources`.
    func longest(_ resources: [ResourceDeclaration]) -> Longest {
        let recorded = lock.withLock { timings }
        return Longest(calls: Int(longest(resources, recorded) { _ in 1 }),
                       seconds: longest(resources, recorded) { $0.upperBound.timeIntervalSince($0.lowerBound) },
                       total: recorded.values.map(\.count).reduce(0, +))
    }

    private func longest(_ resources: [ResourceDeclaration], _ recorded: [String?: [ClosedRange<Date>]],
                         weight: (ClosedRange<Date>) -> Double) -> Double {
        Self.chain(recorded[nil] ?? [], weight: weight)
            + Self.longestPath(resources) { Self.chain(recorded[$0.description] ?? [], weight: weight) }
    }

    /// The heaviest path through `resources` along their dependencies, each resource weighing
    /// `weight` of it.
    static func longestPath(_ resources: [ResourceDeclaration], weight: (Address) -> Double) -> Double {
        let dependencies = Dictionary(resources.map { ($0.address, $0.dependencies) }, uniquingKeysWith: { first, _ in first })
        var finish: [Address: Double] = [:]
        func through(_ address: Address) -> Double {
            if let known = finish[address] { return known }
            let before = (dependencies[address] ?? []).map(through).max() ?? 0
            finish[address] = before + weight(address)
            return finish[address] ?? 0
        }
        return resources.map { through($0.address) }.max() ?? 0
    }

    /// The heaviest run of `timings` one after another, each sent after the one before it was answered.
    static func chain(_ timings: [ClosedRange<Date>], weight: (ClosedRange<Date>) -> Double) -> Double {
        let sorted = timings.sorted { $0.lowerBound < $1.lowerBound }
        var heaviest = sorted.map(weight)
        for later in sorted.indices {
            for earlier in 0..<later where sorted[earlier].upperBound <= sorted[later].lowerBound {
                heaviest[later] = max(heaviest[later], heaviest[earlier] + weight(sorted[later]))
            }
        }
        return heaviest.max() ?? 0
    }
}
