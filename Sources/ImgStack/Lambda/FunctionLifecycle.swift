import AWS
import Engine
import Foundation

/// The waits and bounded retries Lambda needs around a function's create, update and delete.
struct FunctionLifecycle: Sendable {
    /// How long to wait for `State` `Active` and `LastUpdateStatus` done.
    var readyTimeout: TimeInterval = 300
    /// Seconds between two polls of the function's state.
    var pollInterval: TimeInterval = 2
    /// How long, and how often, a role Lambda cannot assume yet is retried.
    var newRole = LambdaRules.newRole
    /// How long, and how often, deleting a Lambda@Edge function is retried while CloudFront's
    /// replicas remain.
    var edgeReplicas = LambdaRules.edgeReplicas

    /// Polls the function until it is `Active` with no update in progress.
    /// - Returns: its configuration then.
    /// - Throws: `FunctionStateError` when it failed, vanished or the wait ran out; `AWSError`.
    func waitUntilReady(_ name: String, lambda: AWS.Lambda, context: OperationContext) async throws -> AWS.Lambda.FunctionConfiguration {
        let deadline = Date().addingTimeInterval(readyTimeout)
        var reported = false
        while true {
            guard let (configuration, _) = try await lambda.function(name) else {
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

    /// Runs `call`, retrying it while Lambda cannot assume the function's role yet
    /// (``LambdaRules/newRole``), as a role created seconds ago causes.
    func withNewRole<T>(context: OperationContext, _ call: () async throws -> T) async throws -> T {
        try await newRole.run(context, reason: "the role cannot be assumed by Lambda yet", call)
    }

    /// Deletes the function; already gone is success. A Lambda@Edge function cannot be deleted
    /// while CloudFront still holds replicas of it (``LambdaRules/edgeReplicas``); CloudFront
    /// removes them some hours after the association goes.
    /// - Throws: `DeletionPendingError` when replicas remain after the retry window.
    func delete(_ name: String, lambda: AWS.Lambda, context: OperationContext) async throws {
        do {
            try await edgeReplicas.run(waiting: { _ in context.report("CloudFront still holds replicas of the function; retrying") }) {
                _ = try await nilWhenMissing(.resourceNotFoundException) { try await lambda.deleteFunction(name) }
            }
        } catch let error as AWSError where edgeReplicas.conditions.contains(where: { error.matches($0.code, messageContaining: $0.messageContains) }) {
            throw DeletionPendingError(message: "Lambda@Edge function \(name) still has replicas that CloudFront has not removed; "
                + "AWS removes them within a few hours of the CloudFront association's removal. The next destroy, or an apply that no longer "
                + "declares the function, finishes the deletion; an apply that declares it again takes it back.")
        }
    }
}

/// A function that failed, or did not become ready in time.
struct FunctionStateError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
