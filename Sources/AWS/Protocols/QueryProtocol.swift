import Foundation

/// The query protocol (IAM, STS, SNS, CloudWatch): a form-encoded POST carrying `Action` and
/// `Version`, answered with XML.
enum QueryProtocol {
    /// The form body: `Action`, `Version`, then the parameters sorted by name.
    static func body(operation: String, version: String, parameters: [String: String]) -> Data {
        var items = [("Action", operation), ("Version", version)]
        items += parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return Data(PercentEncoding.query(items).utf8)
    }

    static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    /// The `<Operation>Result` element of a success, or the root when the operation has no
    /// result (e.g. `DeleteRole` answers only `<DeleteRoleResponse><ResponseMetadata>`).
    static func result(of response: HTTPResponse, operation: String) throws -> XMLNode {
        let root = try XMLNode.parse(response.body)
        return root["\(operation)Result"] ?? root
    }

    /// Decodes `<ErrorResponse><Error><Code>…</Code><Message>…` (IAM also answers a bare
    /// `<Error>` root in some paths; both are read).
    static func error(from response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        let root = try? XMLNode.parse(response.body)
        let error = root.flatMap { $0.name == "Error" ? $0 : $0["Error"] }
        let requestID = ErrorDecoding.requestIDHeader(response) ?? root?.string("RequestId") ?? root?.string("RequestID")
        return AWSError(service: service.signingName, operation: operation, statusCode: response.statusCode,
                        code: error?.string("Code") ?? ErrorDecoding.codeFromStatus(response.statusCode),
                        message: error?.string("Message") ?? "", requestID: requestID)
    }
}
