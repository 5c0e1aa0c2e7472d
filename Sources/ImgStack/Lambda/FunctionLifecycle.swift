import AWS
import Engine
import Foundation

/// The waits and bounded retries Lambda needs around a function's create, update and delete.
struct FunctionLifecycle: Sendable {
    /// How long to wait for `State` `Active` and `LastUpdateStatus` done.
    var readyTimeout: TimeInterval = 300
    /// Seconds between two polls of the function's state.
    var pollInterval: TimeInterval = 2
    /// How long a role that Lambda cannot assume yet is retried: a new IAM role takes some
    /// seconds to reach Lambda.
    var roleWindow: TimeInterval = 30
    /// Seconds between two tries with such a role.
    var roleInterval: TimeInterval = 3
    /// How long deleting a Lambda@Edge function is retried while CloudFront's replicas remain.
    var replicaWindow: TimeInterval = 60
    /// Seconds between two deletion tries.
    var replicaInterval: TimeInterval = 15

    /// Polls the function until it is `Active` with no update in progress.
    /// - Returns: its configuration then.
    /// - Throws: `FunctionStateError` when it failed, vanished or the wait ran out; `AWSError`.
    func waitUntilReady(_ name: String, aws: AWSClient, context: OperationContext) async throws -> AWS.Lambda.FunctionConfiguration {
        let deadline = Date().addingTimeInterval(readyTimeout)
        var reported = false
        while true {
            guard let (configuration, _) = try await aws.lambda.function(name, region: context.region) else {
                throw FunctionStateError(message: "Lambda function \(name) disappeared while waiting for it to become active")
            }
            if configuration.state == "Failed" || configuration.lastUpdateStatus == "Failed" {
                let reason = configuration.lastUpdateStatusReason ?? configuration.stateReason ?? "no reason given"
                throw FunctionStateError(message: "Lambda function \(name) failed: \(reason)")
            }
            // `Pending` after a create, `InProgress` after an update: Lambda refuses further
            // updates (ResourceConflictException) until they are over.
            let ready = (configuration.state ?? "Active") == "Active" && configuration.lastUpdateStatus != "InProgress"
            if ready { return configuration }
            guard Date() < deadline else {
                throw FunctionStateError(message: "Lambda function \(name) is still \(configuration.state ?? "?")/\(configuration.lastUpdateStatus ?? "?") after \(Int(readyTimeout)) s")
            }
            if !reported {
                context.report("waiting for the function to become active")
                reported = true
            }
            try await Task.sleep(nanoseconds: UInt64(pollInterval * 1_000_000_000))
        }
    }

    /// Runs `call`, retrying it while Lambda answers that it cannot assume the role
    /// (`InvalidParameterValueException` "The role defined for the function cannot be
    /// assumed by Lambda"), which a role created seconds ago causes until IAM has propagated it.
    func retryingNewRole<T: Sendable>(context: OperationContext, _ call: () async throws -> T) async throws -> T {
        let deadline = Date().addingTimeInterval(roleWindow)
        while true {
            do {
                return try await call()
            } catch let error as AWSError where Self.isRoleNotAssumable(error) && Date() < deadline {
                context.report("the role cannot be assumed by Lambda yet; retrying")
                try await Task.sleep(nanoseconds: UInt64(roleInterval * 1_000_000_000))
            }
        }
    }

    /// Deletes the function; already gone is success. A Lambda@Edge function cannot be deleted
    /// while CloudFront still holds replicas of it (`InvalidParameterValueException` "…
    /// replicated function…"); CloudFront removes them some hours after the association goes.
    /// - Throws: `DeletionPendingError` when replicas remain after the retry window.
    func delete(_ name: String, aws: AWSClient, context: OperationContext) async throws {
        let deadline = Date().addingTimeInterval(replicaWindow)
        while true {
            do {
                try await aws.lambda.deleteFunction(name, region: context.region)
                return
            } catch let error as AWSError where error.code == "ResourceNotFoundException" {
                return
            } catch let error as AWSError where Self.isReplicated(error) {
                guard Date() < deadline else {
                    throw DeletionPendingError(message: "Lambda@Edge function \(name) still has replicas that CloudFront has not removed; "
                        + "AWS removes them within a few hours of the CloudFront association's removal. The next apply or destroy finishes the deletion.")
                }
                context.report("CloudFront still holds replicas of the function; retrying")
                try await Task.sleep(nanoseconds: UInt64(replicaInterval * 1_000_000_000))
            }
        }
    }

    static func isRoleNotAssumable(_ error: AWSError) -> Bool {
        error.code == "InvalidParameterValueException" && error.message.localizedCaseInsensitiveContains("cannot be assumed")
    }

    static func isReplicated(_ error: AWSError) -> Bool {
        error.code == "InvalidParameterValueException" && error.message.localizedCaseInsensitiveContains("replicated function")
    }
}

/// A function that failed, or did not become ready in time.
struct FunctionStateError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
