import Foundation

/// Pieces of error decoding every protocol shares.
enum ErrorDecoding {
    /// The request id AWS puts in a header, whichever spelling the service uses.
    static func requestIDHeader(_ response: HTTPResponse) -> String? {
        response.headers["x-amzn-RequestId"] ?? response.headers["x-amz-request-id"] ?? response.headers["x-amzn-requestid"]
    }

    /// A code for an answer without an error body (S3 HEAD, a proxy's bare 503): the names
    /// botocore gives them.
    static func codeFromStatus(_ status: Int) -> String {
        switch status {
        case 301: return "PermanentRedirect"
        case 304: return "NotModified"
        case 400: return "BadRequest"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 412: return "PreconditionFailed"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        default: return "HTTP\(status)"
        }
    }
}
