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
            return client.observing { outcome in
                switch outcome {
                case .succeeded: calls.record(.succeeded)
                case .refused: calls.record(.refused)
                case .unknown: calls.record(.unknown)
                }
            }
        }
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
