/// An error a cloud API answered with, as the engine keeps it for summaries and JSON output:
/// which service and operation refused, its error code and the request id to quote to support.
///
/// The engine knows no AWS; the AWS client's `AWSError` conforms in the ImgStack target.
public protocol ProviderAPIError: Error {
    /// The service (`s3`, `iam`).
    var service: String { get }
    /// The API operation (`CreateBucket`).
    var operation: String { get }
    /// The service's error code (`BucketAlreadyExists`, `AccessDenied`).
    var errorCode: String { get }
    /// The service's message, possibly empty.
    var message: String { get }
    /// The request id, when the service gave one.
    var requestID: String? { get }
}
