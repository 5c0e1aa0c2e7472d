import Foundation

/// The REST-XML protocol (S3, CloudFront): method, path, query and headers per operation,
/// XML bodies both ways.
enum RESTXMLProtocol {
    /// Decodes `<Error><Code>` (S3) or `<ErrorResponse><Error><Code>` (CloudFront). S3 answers
    /// HEAD errors with no body at all, so the code then comes from the status (404
    /// `NotFound`, 403 `Forbidden`, 301 `PermanentRedirect`); a redirect names the bucket's
    /// region from `x-amz-bucket-region` in the message.
    static func error(from response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        let root = response.body.isEmpty ? nil : try? XMLNode.parse(response.body)
        let error = root.flatMap { $0.name == "Error" ? $0 : $0["Error"] }
        var message = error?.string("Message") ?? ""
        if let region = response.headers["x-amz-bucket-region"], (300..<400).contains(response.statusCode) {
            message = message.isEmpty ? "the bucket is in region \(region)" : "\(message) (the bucket is in region \(region))"
        }
        let requestID = ErrorDecoding.requestIDHeader(response) ?? error?.string("RequestId") ?? root?.string("RequestId")
        return AWSError(service: service.signingName, operation: operation, statusCode: response.statusCode,
                        code: error?.string("Code") ?? ErrorDecoding.codeFromStatus(response.statusCode),
                        message: message, requestID: requestID)
    }
}
