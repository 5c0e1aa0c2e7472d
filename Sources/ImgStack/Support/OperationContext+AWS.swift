import AWS
import Engine

extension OperationContext {
    /// The AWS client of this run (the engine hands it to every operation as
    /// ``OperationContext/client``), recording how each call ends in ``OperationContext/calls``.
    /// - Throws: `MissingAWSClientError` when the run was started without one.
    var aws: AWSClient {
        get throws {
            guard let client = client as? AWSClient else { throw MissingAWSClientError(address: address) }
            let calls = self.calls
            let observed = client.observing(creating: calls.creating, caller: address.type, resource: address.description) { outcome in
                switch outcome {
                case .succeeded: calls.record(.succeeded)
                case .refused: calls.record(.refused)
                case .unknown: calls.record(.unknown)
                }
            }
            return callSlots.map { observed.gated(by: $0) } ?? observed
        }
    }
}

/// The engine's bound on calls in flight (a refresh's `--parallelism`), honoured by the AWS client.
extension CallSlots: CallGate {}

extension EventualConsistency {
    /// Runs `call` through this retry, reporting each "not yet" answer on the resource's
    /// progress line with how long imgstack keeps trying, so a wait is never silent.
    /// - Parameter reason: what AWS has not seen yet ("a principal of the policy is not visible to KMS yet").
    /// - Throws: `call`'s error once it is not a "not yet" answer or the window has passed.
    func run<T>(_ context: OperationContext, reason: String, _ call: () async throws -> T) async throws -> T {
        try await run(waiting: { _ in context.report("\(reason); retrying for up to \(Int(window)) s") }, call)
    }
}

/// An operation ran without an AWS client: the deployment that started it was given none.
struct MissingAWSClientError: Error, CustomStringConvertible {
    var address: Address
    var description: String { "\(address): no AWS client was given to the deployment" }
}

extension AWSError: ProviderAPIError {
    public var errorCode: String { code.rawValue }
}
