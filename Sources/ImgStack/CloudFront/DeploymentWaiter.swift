import AWS
import Engine
import Foundation

/// Waits until a distribution's status is `Deployed`: CloudFront takes minutes to push a
/// configuration to every edge location, and a distribution can be deleted only once it is
/// disabled and deployed.
struct DeploymentWaiter: Sendable {
    /// Seconds between two `GetDistribution` calls.
    var interval: TimeInterval = 15
    /// Seconds after which the wait gives up (AWS deploys in 5 to 15 minutes, rarely longer).
    var timeout: TimeInterval = 45 * 60

    /// Polls until the distribution is deployed, reporting progress at each poll.
    /// - Returns: the deployed distribution, with its current ETag.
    /// - Throws: `DeploymentTimeoutError` when the timeout passes; `AWSError` from the reads.
    func wait(for id: String, cloudFront: AWS.CloudFront, context: OperationContext) async throws -> AWS.CloudFront.Distribution {
        let start = Date()
        while true {
            let distribution = try await cloudFront.getDistribution(id)
            if distribution.status == "Deployed" { return distribution }
            let elapsed = Date().timeIntervalSince(start)
            guard elapsed < timeout else { throw DeploymentTimeoutError(id: id, status: distribution.status, seconds: Int(elapsed)) }
            context.report("waiting for CloudFront distribution \(id) to deploy (\(distribution.status), \(Int(elapsed))s elapsed)")
            try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
        }
    }
}

/// A distribution did not reach `Deployed` within the wait's bound.
struct DeploymentTimeoutError: Error, Sendable, CustomStringConvertible {
    var id: String
    var status: String
    var seconds: Int

    var description: String {
        "CloudFront distribution \(id) is still \(status) after \(seconds)s; run apply again to resume waiting, or set waitForDeployment: false"
    }
}
