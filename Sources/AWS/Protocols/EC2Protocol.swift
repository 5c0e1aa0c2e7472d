import Foundation

/// The EC2 protocol (botocore `"ec2"`): a query-style form POST carrying `Action` and
/// `Version`, with lists sent as `Name.1`, `Name.2` (see ``QueryParameters/addIndexedList(_:_:)``),
/// answered with XML whose root is `<OperationResponse>` and holds the members directly (no
/// `<OperationResult>` wrapper), and errors as `<Response><Errors><Error>`.
///
/// Source: Amazon EC2 API Reference, "Query requests" and "Error codes"; botocore's
/// `EC2Serializer` and `EC2QueryParser`.
enum EC2Protocol {
    /// The form body: the same encoding as the query protocol.
    static func body(operation: String, version: String, parameters: [String: String]) -> Data {
        QueryProtocol.body(operation: operation, version: version, parameters: parameters)
    }

    /// The `<OperationResponse>` root of a success: its children are the output members.
    static func result(of response: HTTPResponse) throws -> XMLNode {
        try XMLNode.parse(response.body)
    }

    /// Decodes `<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors>
    /// <RequestID>…</RequestID></Response>`.
    static func error(from response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        let root = try? XMLNode.parse(response.body)
        let error = root?.path("Errors/Error") ?? root.flatMap { $0.name == "Error" ? $0 : $0["Error"] }
        let requestID = ErrorDecoding.requestIDHeader(response) ?? root?.string("RequestID") ?? root?.string("RequestId")
        return AWSError(service: service.signingName, operation: operation, statusCode: response.statusCode,
                        code: error?.string("Code") ?? ErrorDecoding.codeFromStatus(response.statusCode),
                        message: error?.string("Message") ?? "", requestID: requestID)
    }
}
