/// How an apply or destroy ended, as one JSON document for CI systems (`apply --json`,
/// `destroy --json`): counts in the shape of Terraform's `change_summary`, every failed operation
/// with the API's own error (service, operation, code, message, request id), what was skipped or
/// not started, and the outputs with secrets left out.
///
/// ```json
/// {"format_version": "1.0", "operation": "apply", "succeeded": false,
///  "change_summary": {"add": 2, "change": 0, "remove": 0, "operation": "apply"},
///  "failures": [{"address": "s3.bucket.site", "action": "create",
///                "error": {"message": "...", "service": "s3", "operation": "CreateBucket",
///                          "code": "BucketAlreadyExists", "request_id": "..."}}], ...}
/// ```
public struct JSONApplyRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The document for `plan` carried out with `summary`, leaving `state`.
    public func render(_ plan: Plan, _ summary: ExecutionSummary, state: StateFile) -> String {
        let counts = plan.counts
        let operation = plan.isDestroy ? "destroy" : "apply"
        var document: [String: Value] = [
            "format_version": "1.0",
            "operation": .string(operation),
            "succeeded": .bool(summary.succeeded),
            "change_summary": ["add": .int(counts.add), "change": .int(counts.change), "remove": .int(counts.destroy),
                               "operation": .string(operation)],
            "completed": .int(summary.completed),
            "interrupted": .bool(summary.interrupted),
            "failures": .list(summary.failures.map(failure)),
            "skipped": .list(summary.skipped.map {
                ["address": .string($0.address.description), "action": .string($0.operation.rawValue), "because": .string($0.cause.description)]
            }),
            "not_started": .list(summary.notStarted.map { ["address": .string($0.address.description), "action": .string($0.operation.rawValue)] }),
            "deletion_pending": .list(summary.deletionPending.map { .string($0.description) }),
        ]
        if !plan.isDestroy {
            document["outputs"] = .map(state.outputs.mapValues { output in
                ["sensitive": .bool(output.sensitive), "value": output.sensitive ? .null : output.value]
            })
        }
        return Value.map(document).canonicalJSON
    }

    private func failure(_ failure: ExecutionSummary.Failure) -> Value {
        var error: [String: Value] = ["message": .string("\(failure.error)")]
        if let api = failure.apiError {
            error["service"] = .string(api.service)
            error["operation"] = .string(api.operation)
            error["code"] = .string(api.errorCode)
            error["request_id"] = api.requestID.map(Value.string) ?? .null
        }
        return ["address": .string(failure.address.description), "action": .string(failure.operation.rawValue), "error": .map(error)]
    }
}
